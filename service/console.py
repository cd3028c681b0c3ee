"""Terminal output shared by every CLI module: one console each for stdout and stderr."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

console = Console()
err = Console(stderr=True)

# Exit codes: 2 for bad input (config, arguments), 1 when the work could not be done.
BAD_INPUT = 2
FAILED = 1


def fail(message: str, code: int = BAD_INPUT) -> typer.Exit:
    """Print an error to stderr and return the Exit to raise."""
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    return typer.Exit(code)


def progress_bar() -> Progress:
    """A count-of-total bar on stdout, silent when stdout is not a terminal (pipes, CI)."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        disable=not console.is_terminal,
    )
