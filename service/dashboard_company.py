"""Dashboard pages that follow one company (``/companies/{name}``) and one board's failure
streak (``/runs/boards/{key}``). Both read the same query functions as the JSON API."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse
from sqlmodel import Session

from charts import (
    company_open_chart,
    hiring_areas_chart,
    new_closed_chart,
    posting_ages_chart,
    run_outcomes_chart,
)
from charts.pay import pay_bands_spec
from service.api.companies import find_view
from service.api.deps import ContextDep, SessionDep
from service.context import AppContext
from service.dashboard import FormRoute, PageError, render, spec, templates
from store.board_health import board_failures
from store.company import STALE_AFTER, find_company
from store.trends import TrendError

router = APIRouter(include_in_schema=False, route_class=FormRoute)

CompanyChart = Literal["open", "new-closed", "teams", "topics", "pay", "ages"]
DateQuery = Annotated[date | None, Query(description="ISO date, e.g. 2026-11-01")]
NameParam = Annotated[str, PathParam(min_length=1, max_length=200)]


def company_url(name: str) -> str:
    """The company page's path; every character that could end a path segment is escaped."""
    return f"/companies/{quote(name, safe='')}"


def board_url(key: str) -> str:
    return f"/runs/boards/{quote(key, safe=':')}"


def _view(
    session: Session, context: AppContext, name: str, since: date | None, until: date | None
) -> dict[str, Any]:
    if since and until and until < since:
        raise PageError(422, "until must not be before since")
    try:
        view = find_view(session, context, name, since=since, until=until)
    except TrendError as exc:
        raise PageError(422, str(exc)) from exc
    if view is None:
        raise PageError(404, f"No company named \u201c{name}\u201d is watched.")
    return view


def company_charts(view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every chart of the company page, as Vega-Lite specs."""
    pay = [{"key": p["function"], **p} for p in view["pay_by_function"]]
    return {
        "open": spec(company_open_chart(view["weekly"], company=view["name"])),
        "new-closed": spec(new_closed_chart(view["weekly"])),
        "teams": spec(hiring_areas_chart(view["teams"], kind="team")),
        "topics": spec(hiring_areas_chart(view["topics"], kind="topic")),
        "pay": pay_bands_spec(pay, group="function"),
        "ages": spec(
            posting_ages_chart(
                view["open_postings"]["buckets"] if view["open_postings"]["total"] else [],
                stale_days=STALE_AFTER.days,
            )
        ),
    }


def page_date(name: str, value: str | None) -> date | None:
    """A date field of the page's form; a bad one is a 422 page, not FastAPI's JSON."""
    try:
        return date.fromisoformat(value) if value else None
    except ValueError as exc:
        raise PageError(422, f"{name}: {value!r} is not a date (YYYY-MM-DD)") from exc


def watched_names(session: Session, view: dict[str, Any]) -> set[str]:
    """The other companies of the view's hires that have a page (lower case)."""
    names = {e["hire"]["from_company"] for e in view["hires"]["in"]} | {
        h["to_company"] for h in view["hires"]["out"]
    }
    return {n.lower() for n in names if n and find_company(session, n) is not None}


@router.get("/companies/{name}", response_class=HTMLResponse, name="company_page")
def company_page(
    request: Request,
    session: SessionDep,
    context: ContextDep,
    name: NameParam,
    since: Annotated[str | None, Query(max_length=40)] = None,
    until: Annotated[str | None, Query(max_length=40)] = None,
) -> HTMLResponse:
    view = _view(session, context, name, page_date("since", since), page_date("until", until))
    query = request.url.query
    return render(
        request,
        "company.html",
        c=view,
        charts=company_charts(view),
        has_pay=any(p["with_pay"] for p in view["pay_by_function"]),
        failing=[b for b in view["boards"] if b["state"] == "failing"],
        watched=watched_names(session, view),
        chart_url=lambda chart: (
            f"/charts/company/{chart}.json?company="
            f"{quote(view['name'], safe='')}" + (f"&{query}" if query else "")
        ),
        api_url=f"/api/companies/{quote(view['name'], safe='')}" + (f"?{query}" if query else ""),
    )


@router.get("/charts/company/{chart}.json", name="chart_company")
def chart_company(
    session: SessionDep,
    context: ContextDep,
    chart: CompanyChart,
    company: Annotated[str, Query(min_length=1, max_length=200)],
    since: DateQuery = None,
    until: DateQuery = None,
) -> dict[str, Any]:
    return company_charts(_view(session, context, company, since, until))[chart]


@router.get("/runs/boards/{key:path}", response_class=HTMLResponse, name="board_page")
def board_page(
    request: Request,
    session: SessionDep,
    key: Annotated[str, PathParam(min_length=1, max_length=600)],
) -> HTMLResponse:
    board = board_failures(session, key)
    if board is None:
        raise PageError(404, f"There is no board {key!r}.")
    return render(
        request,
        "board.html",
        b=board,
        runs_chart=spec(run_outcomes_chart(board["runs"])),
        runs_json=f"/charts/runs.json?board={quote(board['key'], safe='')}",
    )


def install(app: FastAPI) -> None:
    """Add the pages and the link filters the other templates use for company names."""
    templates().env.filters.update(company_url=company_url, board_url=board_url)
    app.include_router(router)
