"""``talentflow export``: postings as CSV or Parquet, with the API's posting filters."""

from __future__ import annotations

import sys
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from service.console import err, fail
from service.settings import Settings
from store.engine import make_engine
from store.exports import write_csv, write_parquet
from store.queries import PostingFilter
from store.vocab import StatusFilter, Workplace


class Format(StrEnum):
    csv = "csv"
    parquet = "parquet"


def export(
    format_: Annotated[Format, typer.Option("--format", help="file format")] = Format.csv,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", dir_okay=False, help="file to write (CSV: default stdout)"),
    ] = None,
    company: Annotated[list[str] | None, typer.Option("--company", help="repeatable")] = None,
    status: Annotated[StatusFilter, typer.Option("--status")] = StatusFilter.open,
    q: Annotated[str | None, typer.Option("--q", help="full-text query")] = None,
    topic: Annotated[list[str] | None, typer.Option("--topic", help="repeatable")] = None,
    workplace: Annotated[Workplace | None, typer.Option("--workplace")] = None,
    min_annual_pay: Annotated[float | None, typer.Option("--min-annual-pay", min=0)] = None,
    since: Annotated[
        datetime | None,
        typer.Option("--since", formats=["%Y-%m-%d"], help="first seen on/after (YYYY-MM-DD)"),
    ] = None,
) -> None:
    """Export postings (the same filters as /api/postings; --status all for the history)."""
    if format_ is Format.parquet and output is None:
        raise fail("--format parquet needs --output FILE", 2)
    since_day: date | None = since.date() if since else None
    flt = PostingFilter(
        companies=company or [],
        status=status.value,
        q=q or None,
        topics=topic or [],
        workplace=workplace.value if workplace else None,
        min_annual_pay=min_annual_pay,
        since=since_day,
    )
    settings = Settings()
    engine = make_engine(settings.database_url)
    try:
        with Session(engine) as session:
            if format_ is Format.parquet:
                assert output is not None
                count = write_parquet(session, flt, output)
            elif output is None:
                count = write_csv(session, flt, sys.stdout)
            else:
                with output.open("w", newline="", encoding="utf-8") as handle:
                    count = write_csv(session, flt, handle)
    except SQLAlchemyError as exc:
        raise fail(f"cannot read {settings.database_url}: {exc}", 1) from exc
    except OSError as exc:
        raise fail(f"cannot write {output}: {exc}", 1) from exc
    finally:
        engine.dispose()
    err.print(f"exported {count} postings" + (f" to {output}" if output else ""))


def register(app: typer.Typer) -> None:
    app.command("export")(export)
