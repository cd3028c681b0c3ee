"""``talentflow sources discover``: find a company's boards, optionally add one to the watchlist."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import httpx
import typer
from rich.table import Table

from service.console import FAILED, console, err, fail, progress_bar
from service.discover import Candidate, Discovery, discover
from service.discover.bulk import (
    BulkInputError,
    append,
    done_keys,
    open_results,
    pending,
    read_rows,
    results_path,
)
from service.discover.watchlist import add_board
from service.settings import Settings
from service.sources import ConfigError


def discovery_transport() -> httpx.AsyncBaseTransport | None:
    """The transport discovery sends through; None is the network (tests replace this)."""
    return None


def candidates_table(found: Discovery) -> Table:
    table = Table(title=f"boards found for {found.company}")
    for column in ("#", "ats", "board", "postings", "confidence", "via"):
        table.add_column(
            column, justify="right" if column in {"#", "postings", "confidence"} else "left"
        )
    for rank, c in enumerate(found.candidates, start=1):
        board = c.label + (f" (api_base {c.api_base})" if c.api_base else "")
        table.add_row(
            str(rank),
            c.ats,
            board,
            str(c.postings),
            f"{c.confidence:.2f}",
            c.via + (" (empty board)" if c.status == "empty" else ""),
        )
    return table


def _add(settings: Settings, company: str, candidate: Candidate) -> None:
    try:
        result = add_board(settings.sources, company, candidate.board(company))
    except ConfigError as exc:
        raise fail(str(exc)) from exc
    where = f"{candidate.ats}:{candidate.label}"
    if result.action == "already listed":
        console.print(
            f"{where} is already in {settings.sources} (for {result.company}); nothing changed"
        )
    elif result.action == "added board":
        console.print(f"added {where} to {result.company} in {settings.sources}")
    else:
        console.print(f"added {result.company} with {where} to {settings.sources}")


def _run(settings: Settings, query: str | None, url: str | None, name: str | None) -> Discovery:
    try:
        return asyncio.run(
            discover(settings, query, url, name=name, transport=discovery_transport())
        )
    except ValueError as exc:
        raise fail(str(exc)) from exc


def _one(
    settings: Settings,
    target: str | None,
    url: str | None,
    name: str | None,
    add: bool,
    pick: int | None,
) -> None:
    found = _run(settings, target, url, name)
    for note in found.notes:
        err.print(f"[yellow]note:[/] {note}", highlight=False)
    if not found.found:
        err.print(
            f"[bold red]not found:[/] no public board for {found.company!r} "
            f"({found.tried} boards tried"
            + (f", {len(found.pages)} page(s) read" if found.url else "")
            + ")",
            highlight=False,
        )
        raise typer.Exit(FAILED)
    console.print(candidates_table(found))
    if not add:
        console.print(f"to add the best one: {found.add_command()}", highlight=False)
        return
    rank = pick or 1
    if rank > len(found.candidates):
        raise fail(f"--pick {rank}: only {len(found.candidates)} candidate(s) found")
    _add(settings, name or found.company, found.candidates[rank - 1])


def _bulk(settings: Settings, source: Path, add: bool) -> None:
    try:
        rows = read_rows(source)
    except BulkInputError as exc:
        raise fail(str(exc)) from exc
    out = results_path(source)
    todo = list(pending(rows, done_keys(out)))
    skipped = len(rows) - len(todo)
    found = not_found = 0
    progress = progress_bar()
    with progress, open_results(out) as handle:
        task = progress.add_task("discovering", total=len(todo))
        for row in todo:
            progress.update(task, description=row.name)
            try:
                result = asyncio.run(
                    discover(settings, row.name or None, row.url, transport=discovery_transport())
                )
            except ValueError as exc:
                append(
                    handle,
                    {
                        "name": row.name,
                        "url": row.url,
                        "found": False,
                        "error": str(exc),
                        "candidates": [],
                    },
                )
                not_found += 1
                progress.advance(task)
                continue
            # The row's own spelling identifies it on a rerun (the result's URL is normalised).
            record = {**result.as_dict(), "name": row.name, "url": row.url}
            append(handle, record)
            if result.found:
                found += 1
                if add:
                    _add(settings, row.name or result.company, result.candidates[0])
            else:
                not_found += 1
            progress.advance(task)
    console.print(
        f"{len(todo)} companies searched: {found} found, {not_found} not found"
        + (f"; {skipped} already in {out}" if skipped else "")
        + f"; results in {out}",
        highlight=False,
    )


def register(sources_app: typer.Typer) -> None:
    @sources_app.command("discover")
    def sources_discover(
        target: Annotated[
            str | None,
            typer.Argument(
                metavar="NAME|URL",
                help='company name ("Figure AI") or careers-page URL',
                show_default=False,
            ),
        ] = None,
        url: Annotated[
            str | None,
            typer.Option("--url", help="the company's careers page, read for embedded boards"),
        ] = None,
        name: Annotated[
            str | None,
            typer.Option(
                "--name", help="company name to write (default: the query or the site's name)"
            ),
        ] = None,
        add: Annotated[
            bool, typer.Option("--add", help="append the best board (or --pick N) to the watchlist")
        ] = False,
        pick: Annotated[
            int | None,
            typer.Option(
                "--pick", min=1, help="with --add: the N-th candidate instead of the best"
            ),
        ] = None,
        from_csv: Annotated[
            Path | None,
            typer.Option(
                "--from",
                help="a CSV with a `name` column (and optional `url`): discover each; "
                "results go to <file>.discover.jsonl and a rerun resumes",
            ),
        ] = None,
    ) -> None:
        """Find a company's public job board(s) on every supported ATS and its careers page."""
        settings = Settings()
        if pick is not None and not add:
            raise fail("--pick chooses what --add writes; give --add too")
        if from_csv is not None:
            if target or url or pick:
                raise fail(
                    "--from reads the companies from the file; give no NAME, --url "
                    "or --pick with it"
                )
            _bulk(settings, from_csv, add)
            return
        if not target and not url:
            raise fail("give a company name or a careers-page URL (or --from companies.csv)")
        _one(settings, target, url, name, add, pick)
