"""``talentflow deliver``: one delivery pass over due webhooks, from the command line."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer
from sqlalchemy.exc import SQLAlchemyError

from service.console import FAILED, console, fail
from service.context import AppContext
from service.webhooks.dispatcher import PassResult, deliver_due


def summary_line(result: PassResult) -> str:
    return (
        f"webhooks: {result.attempted} attempted, {result.delivered} delivered, "
        f"{result.retrying} to retry, {result.failed} failed"
    )


def deliver(
    retry_now: Annotated[
        bool, typer.Option("--retry-now", help="also attempt every pending retry immediately")
    ] = False,
) -> None:
    """One delivery pass over due webhooks."""
    context = AppContext()
    try:
        result = asyncio.run(deliver_due(context.engine, context.settings, retry_now=retry_now))
    except SQLAlchemyError as exc:
        raise fail(f"database error: {exc}", FAILED) from exc
    console.print(summary_line(result))


def register(app: typer.Typer) -> None:
    app.command("deliver")(deliver)
