"""``talentflow hires import FILE.csv``: bulk entry of moves by analysts, and the feed pass that
``talentflow scrape`` runs after the boards."""

from __future__ import annotations

import asyncio
import csv
import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.table import Table
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from scrapers.errors import ParseError
from scrapers.hires import HireMention, ModelMissing
from scrapers.sources.news import parse_feed
from service.api.hires import HireIn, new_hire
from service.console import FAILED, console, fail
from service.context import AppContext
from service.news import FeedSummary, scrape_feeds
from service.settings import Settings
from service.sources import Sources
from store.engine import session_scope
from store.hires import SameCompanyMove, record_hire

hires_app = typer.Typer(help="Announced hires.", no_args_is_help=True)

COLUMNS = (
    "person",
    "to_company",
    "from_company",
    "role",
    "announced_at",
    "source_url",
    "source_title",
    "evidence",
)
REQUIRED = ("person", "to_company")


def read_hires_csv(path: Path) -> list[HireIn]:
    """Every row validated first; any problem is reported as ``file:line`` and nothing is kept."""
    return [row for _, row in read_numbered_rows(path)]


def read_numbered_rows(path: Path) -> list[tuple[int, HireIn]]:
    """The rows of :func:`read_hires_csv` with their line numbers."""
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise ValueError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    with handle:
        reader = csv.DictReader(handle)
        header = [h.strip() for h in reader.fieldnames or []]
        missing = [c for c in REQUIRED if c not in header]
        unknown = [c for c in header if c not in COLUMNS]
        if missing or unknown:
            raise ValueError(
                f"{path}:1: header needs {', '.join(REQUIRED)}"
                + (f"; missing {', '.join(missing)}" if missing else "")
                + (f"; unknown column(s) {', '.join(unknown)}" if unknown else "")
                + f" (allowed: {', '.join(COLUMNS)})"
            )
        rows: list[tuple[int, HireIn]] = []
        problems: list[str] = []
        for raw in reader:
            values = {
                (k or "").strip(): (v or "").strip() for k, v in raw.items() if isinstance(v, str)
            }
            if None in raw:
                problems.append(f"{path}:{reader.line_num}: more fields than columns")
                continue
            try:
                rows.append(
                    (reader.line_num, HireIn.model_validate({k: v for k, v in values.items() if v}))
                )
            except ValidationError as exc:
                detail = "; ".join(
                    f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()
                )
                problems.append(f"{path}:{reader.line_num}: {detail}")
    if problems:
        raise ValueError("\n".join(problems))
    return rows


@hires_app.command("import")
def hires_import(
    file: Annotated[Path, typer.Argument(help="CSV with columns " + ", ".join(COLUMNS))],
) -> None:
    """Import moves from a CSV file (all rows or none); known moves are not duplicated."""
    context = AppContext()
    try:
        rows = read_numbered_rows(file)
    except ValueError as exc:
        raise fail(str(exc), 2) from exc
    created = repeated = 0
    refused: list[str] = []
    try:
        with session_scope(context.engine) as session:
            for line, row in rows:
                try:
                    _, new = record_hire(session, new_hire(row, context, origin="import"))
                except SameCompanyMove as exc:  # the rule the API answers 422 for
                    refused.append(f"{file}:{line}: from_company: {exc}")
                    continue
                created += new
                repeated += not new
            if refused:  # all rows or none: leaving the block this way rolls back
                raise fail("\n".join(refused), 2)
    except SQLAlchemyError as exc:
        raise fail(f"database error, nothing imported: {exc}", FAILED) from exc
    console.print(f"{len(rows)} rows: {created} hires added, {repeated} already known")


def read_items(text: str) -> list[tuple[str, str]]:
    """(title, summary) pairs: the entries of an RSS/Atom document, or one item per paragraph
    of plain text (its first line the title, the rest the summary)."""
    if text.lstrip().startswith("<"):
        try:
            return [(e.title, e.summary) for e in parse_feed(text.encode()).entries]
        except ParseError:
            pass  # markup that is not a feed is read as text
    items = []
    for paragraph in text.replace("\r\n", "\n").split("\n\n"):
        lines = [line.strip() for line in paragraph.strip().splitlines() if line.strip()]
        if lines:
            items.append((lines[0], " ".join(lines[1:])))
    return items


@hires_app.command("extract")
def hires_extract(
    file: Annotated[
        str,
        typer.Argument(
            help="a text file (one item per paragraph) or an RSS/Atom file; - reads standard input"
        ),
    ] = "-",
    as_json: Annotated[bool, typer.Option("--json", help="one JSON object per mention")] = False,
) -> None:
    """Show the hires the extractor reads from some text, each with its rule and evidence."""
    context = AppContext()
    try:
        text = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise fail(f"{file}: cannot read: {exc}", 2) from exc
    items = read_items(text)
    try:
        from scrapers.hires.parse import SpacyExtractor  # spaCy: imported on use

        extractor = SpacyExtractor(context.aliases, model=context.settings.nlp_model)
    except ModelMissing as exc:
        raise fail(str(exc), FAILED) from exc
    found: list[tuple[int, HireMention]] = [
        (n, m) for n, mentions in enumerate(extractor.extract_many(items), 1) for m in mentions
    ]
    if as_json:
        for n, m in found:
            typer.echo(json.dumps({"item": n, **asdict(m)}))
        return
    table = Table(title=f"{len(found)} hires in {len(items)} items")
    for column in ("item", "person", "from", "to", "rule", "evidence"):
        table.add_column(column, overflow="fold")
    for n, m in found:
        table.add_row(str(n), m.person, m.from_company or "-", m.to_company, m.rule, m.evidence)
    console.print(table)


def scrape_feeds_step(engine: Engine, settings: Settings, sources: Sources) -> list[FeedSummary]:
    """The feed half of a scrape cycle, printed as a table."""
    if not sources.feeds:
        return []
    try:
        results = asyncio.run(scrape_feeds(engine, settings, sources.feeds, sources=sources))
    except ModelMissing as exc:
        raise fail(str(exc), FAILED) from exc
    table = Table(title="feeds")
    for column in ("feed", "outcome", "items", "new items", "hires", "note"):
        table.add_column(column)
    for r in results:
        table.add_row(
            r.feed.name,
            r.outcome,
            str(r.items),
            str(r.new_items),
            str(r.hires),
            (r.error or "")[:120],
        )
    console.print(table)
    return results


def register(app: typer.Typer) -> None:
    app.add_typer(hires_app, name="hires")
