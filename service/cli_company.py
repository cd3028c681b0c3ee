"""``talentflow company NAME``: one company's view (the page /companies/{name}) in the terminal."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.table import Table
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from service.console import console, fail
from service.settings import Settings
from store.company import company_view
from store.engine import make_engine


def _summary(view: dict[str, Any]) -> None:
    stale = view["open_over_90_days"]
    console.print(
        f"[bold]{view['name']}[/]: {view['open_roles']} open roles, "
        f"{view['closed_roles']} closed, {stale['count']} open more than "
        f"{stale['days']} days, {view['reposted_90_days']} reposted in 90 days"
    )
    boards = Table("board", "state", "last ok", "failing runs", title="Boards")
    for board in view["boards"]:
        boards.add_row(
            board["key"],
            board["state"],
            board["last_ok_at"] or "never",
            str(board["failure_streak"]),
        )
    console.print(boards)
    roles = Table("id", "title", "team", "first seen", title="Latest roles")
    for role in view["latest_roles"]:
        roles.add_row(
            str(role["id"]), role["title"], role["team"] or "", (role["first_seen_at"] or "")[:10]
        )
    console.print(roles)
    if stale["items"]:
        old = Table("id", "title", "days open", title=f"Open more than {stale['days']} days")
        for role in stale["items"]:
            old.add_row(str(role["id"]), role["title"], str(role.get("age_days", "")))
        console.print(old)


def company(
    name: Annotated[str, typer.Argument(help="the company, as in sources.toml (any case)")],
    as_json: Annotated[
        bool, typer.Option("--json", help="print the JSON of GET /api/companies/{name}")
    ] = False,
) -> None:
    """One company: open roles, boards and their health, latest and long-open roles, reposts."""
    settings = Settings()
    engine = make_engine(settings.database_url)
    try:
        with Session(engine) as session:
            view = company_view(session, name)
    except SQLAlchemyError as exc:
        raise fail(f"cannot read {settings.database_url}: {exc}", 1) from exc
    finally:
        engine.dispose()
    if view is None:
        raise fail(f"no company {name!r} is stored (see `talentflow sources discover`)", 1)
    if as_json:
        typer.echo(json.dumps(view, indent=2, default=str))
    else:
        _summary(view)


def register(app: typer.Typer) -> None:
    app.command("company")(company)
