"""``talentflow demo``: build the sample history in a temporary directory, then serve it."""

from __future__ import annotations

import signal
import socket
import tempfile
from contextlib import suppress
from pathlib import Path
from typing import Annotated

import typer

from service.console import FAILED, console, fail


def port_problem(host: str, port: int) -> str | None:
    """Why ``host:port`` cannot be listened on, checked before the history is built."""
    try:
        with socket.create_server((host, port)):
            return None
    except OSError as exc:
        return f"cannot listen on {host}:{port}: {exc.strerror or exc}"


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt  # a service manager's SIGTERM cleans up exactly like Ctrl-C


def demo(
    host: Annotated[str, typer.Option("--host", help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="port to listen on")] = 8000,
    weeks: Annotated[
        int, typer.Option("--weeks", min=1, max=52, help="weeks of sample history to build")
    ] = 12,
) -> None:
    """Serve a bundled, clearly labelled sample history from a local simulated board server,
    offline, in its own temporary database (your own database is never touched)."""
    import uvicorn

    from service.app import create_app
    from service.demo.history import WeekReport, built_demo

    problem = port_problem(host, port)
    if problem:
        raise fail(problem, FAILED)

    def progress(report: WeekReport) -> None:
        failed = sum(r.outcome == "failed" for r in report.boards)
        console.print(
            f"week {report.week + 1:>2}/{weeks} ({report.at:%Y-%m-%d}): "
            f"{len(report.boards)} boards read, {failed} failed, "
            f"announced hires: {sum(f.hires for f in report.feeds)}",
            highlight=False,
        )

    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        with tempfile.TemporaryDirectory(prefix="talentflow-demo-") as directory:
            console.print(f"demo: building {weeks} weeks of sample history", highlight=False)
            console.print(f"demo: sample data in {directory}", highlight=False, soft_wrap=True)
            with built_demo(Path(directory), weeks=weeks, on_week=progress) as built:
                console.print(
                    f"demo: simulated boards at {built.server.base_url}",
                    highlight=False,
                    soft_wrap=True,
                )
                console.print(
                    f"demo: dashboard at http://{host}:{port}/ (Ctrl-C stops it and "
                    "removes the sample data)",
                    highlight=False,
                    soft_wrap=True,
                )
                application = create_app(built.settings, built.engine)
                with suppress(KeyboardInterrupt):  # uvicorn re-raises the Ctrl-C it handled
                    uvicorn.run(application, host=host, port=port, log_level="info")
    except KeyboardInterrupt:  # Ctrl-C while the history was being built
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
    console.print("demo: stopped; sample data removed", highlight=False)


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
