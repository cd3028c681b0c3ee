"""``talentflow keys create|list|revoke``."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from service.console import FAILED, console, err, fail
from service.settings import Settings
from store.engine import make_engine, session_scope
from store.keys import ApiKeyError, create_key, list_keys, revoke_key
from store.serialize import iso

keys_app = typer.Typer(help="API keys for write endpoints.", no_args_is_help=True)

NameArg = Annotated[str, typer.Argument(help="a unique name for the key, e.g. 'ci'")]


def _engine() -> Engine:
    return make_engine(Settings().database_url)


@keys_app.command("create")
def keys_create(name: NameArg) -> None:
    """Create a key; it is printed once, alone on the last line, and only its hash is kept."""
    try:
        with session_scope(_engine()) as session:
            _row, plaintext = create_key(session, name)
    except ApiKeyError as exc:
        raise fail(str(exc), FAILED) from exc
    except SQLAlchemyError as exc:
        raise fail(f"database error (did you run `talentflow db upgrade`?): {exc}", FAILED) from exc
    err.print(f"created key {name!r}; store it now, it cannot be shown again:")
    print(plaintext)


@keys_app.command("list")
def keys_list() -> None:
    """Names, prefixes and state of every key (never the keys themselves)."""
    try:
        with Session(_engine()) as session:
            rows = list_keys(session)
    except SQLAlchemyError as exc:
        raise fail(f"database error: {exc}", FAILED) from exc
    table = Table(title="API keys")
    for column in ("name", "prefix", "created", "state"):
        table.add_column(column)
    for row in rows:
        state = f"revoked {iso(row.revoked_at)}" if row.revoked_at else "active"
        table.add_row(row.name, row.prefix + "…", iso(row.created_at) or "", state)
    console.print(table)


@keys_app.command("revoke")
def keys_revoke(name: NameArg) -> None:
    """Revoke a key by name; requests with it get 403 from now on."""
    try:
        with session_scope(_engine()) as session:
            revoke_key(session, name)
    except ApiKeyError as exc:
        raise fail(str(exc), FAILED) from exc
    console.print(f"revoked key {name!r}")


def register(app: typer.Typer) -> None:
    app.add_typer(keys_app, name="keys")
