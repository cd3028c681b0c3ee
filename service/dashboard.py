"""The web dashboard: HTML pages over the same query functions as the JSON API.

Charts are Vega-Lite specs built by ``charts/`` and drawn in the browser by vega-embed. The
Vega, Vega-Lite and vega-embed builds are shipped in ``service/static/vendor/`` (BSD-3 licences
alongside) rather than rendered to SVG on the server: pages stay fast, charts keep their
tooltips and export menu, and nothing is fetched from a CDN, so the dashboard works offline.
Every chart's spec is also served as JSON at ``/charts/<name>.json`` with the page's parameters.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Mapping
from dataclasses import replace
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import parse_qsl, urlencode

import altair as alt
from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlmodel import Session

from charts import flows_chart, run_outcomes_chart
from charts.companies import open_roles_spec
from charts.pay import pay_bands_spec
from charts.style import chart_spec
from charts.trends import trend_spec as trend_chart_spec
from service.api.deps import MAX_ROW_ID, CursorQuery, LimitQuery, SessionDep
from service.api.errors import validation_error as api_validation_error
from service.api.filters import posting_filter, trend_filter
from service.pay_text import fmt_money, format_pay
from store.hires import flows, list_hires
from store.queries import (
    CursorError,
    PostingFilter,
    company_names,
    get_posting,
    list_companies,
    list_postings,
    list_runs,
)
from store.search import SearchCursorError, search_postings
from store.trends import TrendError, pay_stats, rollup_keys, trend_series
from store.types import utcnow
from store.vocab import Group, Interval, Metric, RunOutcome

HERE = Path(__file__).parent
PAGE_SIZE = 50
# How many buckets a chart shows when the request gives no ``since``.
RECENT_BUCKETS = {"day": 31, "week": 12, "month": 12}
Outcome = RunOutcome
DateQuery = Annotated[date | None, Query(description="ISO date, e.g. 2026-11-01")]


class FormRoute(APIRoute):
    """A browser submits a form's empty fields as ``name=``; on these pages an empty field
    means "any", so it is dropped before the parameters are validated."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def drop_empty(request: Request) -> Response:
            raw = request.scope.get("query_string", b"").decode("latin-1")
            kept = [(k, v) for k, v in parse_qsl(raw, keep_blank_values=True) if v.strip()]
            request.scope["query_string"] = urlencode(kept).encode("latin-1")
            return await handler(request)

        return drop_empty


router = APIRouter(include_in_schema=False, route_class=FormRoute)


class PageError(Exception):
    """A request the page cannot answer: shown as an HTML error page with this status."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


# -- formatting helpers used by the templates ----------------------------------------------


def fmt_time(value: str | None) -> str:
    """ "2026-11-01 08:00 UTC" from the API's ISO form."""
    if not value:
        return "—"
    return value.replace("T", " ").removesuffix("Z")[:16] + " UTC"


def fmt_ago(value: str | None, now: datetime | None = None) -> str:
    if not value:
        return "never"
    then = datetime.fromisoformat(value.replace("Z", "+00:00"))
    seconds = int(((now or utcnow()) - then).total_seconds())
    if seconds < 0:
        return "just now"
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{seconds // size} {unit} ago"
    return "just now"


def fmt_pay(pay: Mapping[str, Any] | None) -> str:
    """ "$180k-$440k / year" in the posting's own currency and period."""
    return format_pay(pay, "compact")


def safe_url(value: str | None) -> str | None:
    """Only web links from a board become hrefs (never ``javascript:`` or the like)."""
    return value if value and value.lower().startswith(("https://", "http://")) else None


@lru_cache(maxsize=1)
def templates() -> Jinja2Templates:
    env = Jinja2Templates(directory=HERE / "templates")
    env.env.filters.update(
        time=fmt_time, ago=fmt_ago, pay=fmt_pay, money=fmt_money, safe_url=safe_url
    )
    return env


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    return templates().TemplateResponse(request, name, context, status_code=status)


def with_params(request: Request, **changes: str | None) -> str:
    """This page's URL with some query parameters replaced (``None`` drops one)."""
    kept = [(k, v) for k, v in request.query_params.multi_items() if k not in changes]
    kept += [(k, v) for k, v in changes.items() if v is not None]
    return f"{request.url.path}?{urlencode(kept)}" if kept else request.url.path


# -- chart builders: one query, one spec, shared by pages and /charts/*.json ----------------


def spec(chart: alt.TopLevelMixin) -> dict[str, Any]:
    return chart_spec(chart)  # validated, but not row by row


def trend_spec(
    session: Session,
    *,
    metric: str,
    group: str,
    interval: str,
    since: date | None,
    until: date | None,
    flt: PostingFilter | None = None,
    title: str | None = None,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The chart and its series. Without ``since`` the series start at the first posting seen
    and are cut to the last ``RECENT_BUCKETS`` buckets, so a young database shows no empty past
    and an old one stays legible."""
    try:
        series = trend_series(
            session,
            metric=metric,
            group=group,
            interval=interval,
            since=since,
            until=until,
            flt=flt,
            # Only the buckets shown are read (for new and closed, the same values).
            last=RECENT_BUCKETS[interval] if since is None else None,
        )
    except TrendError as exc:
        if since is not None or until is None:
            raise PageError(422, str(exc)) from exc
        series = []  # an ``until`` before the first posting: nothing to show, not an error
    if since is None:
        keep = RECENT_BUCKETS[interval]
        series = [{"key": s["key"], "points": s["points"][-keep:]} for s in series]
        series = [s for s in series if metric == "open" or any(p["value"] for p in s["points"])]
    chart = trend_chart_spec(series, metric=metric, interval=interval, group=group, title=title)
    return chart, series


def series_window(series: list[dict[str, Any]], until: date | None) -> tuple[str, str]:
    """The first and last bucket shown, for the form's date fields."""
    if series and series[0]["points"]:
        return series[0]["points"][0]["t"], (until or utcnow().date()).isoformat()
    return "", (until or utcnow().date()).isoformat()


def pay_spec(
    session: Session, *, group: str, flt: PostingFilter | None = None
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    try:
        stats = pay_stats(session, group=group, flt=flt)
    except TrendError as exc:
        raise PageError(422, str(exc)) from exc
    return pay_bands_spec(stats, group=group), stats


def known_topics(session: Session) -> list[str]:
    """Topics that occur in stored postings, for the filter menus."""
    return rollup_keys(session, "topic")


def run_rows(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``list_runs`` items with how long each run took, for the runs table."""
    rows = []
    for run in items:
        took = ""
        if run["started_at"] and run["finished_at"]:
            start, end = (
                datetime.fromisoformat(run[k].replace("Z", "+00:00"))
                for k in ("started_at", "finished_at")
            )
            seconds = max(0, int((end - start).total_seconds()))
            took = f"{seconds // 60} min {seconds % 60} s" if seconds >= 60 else f"{seconds} s"
        rows.append({**run, "took": took})
    return rows


def board_health(companies: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every board with its last run and whether its last run succeeded."""
    rows = []
    for company in companies:
        for board in company["boards"]:
            last_run, last_ok = board["last_run_at"], board["last_ok_at"]
            state = (
                "never run"
                if not last_run
                else "ok"
                if last_ok and last_ok >= last_run
                else "failing"
            )
            rows.append(
                {
                    **board,
                    "company": company["name"],
                    "state": state,
                    "label": f"{board['ats']}:{board['token'] or board['url']}",
                }
            )
    return sorted(rows, key=lambda r: (r["state"] != "failing", r["company"]))


# -- pages ----------------------------------------------------------------------------------


@router.get("/", response_class=HTMLResponse, name="overview")
def overview(
    request: Request, session: SessionDep, since: DateQuery = None, until: DateQuery = None
) -> HTMLResponse:
    companies = list_companies(session)
    new_by_company, weekly = trend_spec(
        session,
        metric="new",
        group="company",
        interval="week",
        since=since,
        until=until,
        title="New roles per week by company",
    )
    new_by_topic, _ = trend_spec(
        session,
        metric="new",
        group="topic",
        interval="week",
        since=since,
        until=until,
        title="New roles per week by topic",
    )
    pay, stats = pay_spec(session, group="company")
    with_pay, total = sum(s["with_pay"] for s in stats), sum(s["postings"] for s in stats)
    runs = list_runs(session, limit=12).items
    return render(
        request,
        "overview.html",
        companies=companies,
        open_roles=sum(c["open_roles"] for c in companies),
        new_this_week=sum(s["points"][-1]["value"] for s in weekly if s["points"]),
        transparency=with_pay / total if total else None,
        boards=board_health(companies),
        latest=list_postings(session, PostingFilter(), limit=10).items,
        runs=runs,
        charts={
            "open": open_roles_spec(companies),
            "new_company": new_by_company,
            "new_topic": new_by_topic,
            "pay": pay,
        },
        has_pay=bool(with_pay),
        query=request.url.query,
    )


@router.get("/postings", response_class=HTMLResponse, name="postings_page")
def postings_page(
    request: Request,
    session: SessionDep,
    flt: Annotated[PostingFilter, Depends(posting_filter)],
    limit: LimitQuery = PAGE_SIZE,
    cursor: CursorQuery = None,
) -> HTMLResponse:
    try:
        # With words to look for, the most relevant come first (as on /api/search).
        page = (
            search_postings(session, flt.q, flt, limit=limit, cursor=cursor)
            if flt.q
            else list_postings(session, flt, limit=limit, cursor=cursor)
        )
    except (CursorError, SearchCursorError) as exc:
        raise PageError(422, "This page link is not valid any more; start again.") from exc
    return render(
        request,
        "postings.html",
        flt=flt,
        page=page,
        companies=company_names(session),
        topics=known_topics(session),
        next_url=with_params(request, cursor=page.next_cursor) if page.next_cursor else None,
        api_url=("/api/search" if flt.q else "/api/postings")
        + (f"?{request.url.query}" if request.url.query else ""),
    )


@router.get("/postings/{posting_id}", response_class=HTMLResponse, name="posting_page")
def posting_page(
    request: Request,
    session: SessionDep,
    posting_id: Annotated[int, PathParam(ge=1, le=MAX_ROW_ID)],
) -> HTMLResponse:
    posting = get_posting(session, posting_id)
    if posting is None:
        raise PageError(404, f"There is no posting {posting_id}.")
    return render(request, "posting.html", p=posting)


@router.get("/trends", response_class=HTMLResponse, name="trends_page")
def trends_page(
    request: Request,
    session: SessionDep,
    flt: Annotated[PostingFilter, Depends(trend_filter)],
    metric: Metric = Metric.new,
    group: Group = Group.company,
    interval: Interval = Interval.week,
    since: DateQuery = None,
    until: DateQuery = None,
) -> HTMLResponse:
    chart, series = trend_spec(
        session, metric=metric, group=group, interval=interval, since=since, until=until, flt=flt
    )
    pay, stats = pay_spec(session, group=group, flt=replace(flt, status="open"))
    return render(
        request,
        "trends.html",
        trend=chart,
        series=series,
        pay=pay,
        stats=stats,
        metric=metric,
        group=group,
        interval=interval,
        window=series_window(series, until),
        flt=flt,
        companies=company_names(session),
        topics=known_topics(session),
        query=request.url.query,
    )


@router.get("/companies", response_class=HTMLResponse, name="companies_page")
def companies_page(request: Request, session: SessionDep) -> HTMLResponse:
    companies = list_companies(session)
    pay, stats = pay_spec(session, group="company")
    by_name = {s["key"]: s for s in stats}
    return render(
        request,
        "companies.html",
        companies=companies,
        stats=by_name,
        open_chart=open_roles_spec(companies),
        pay=pay,
        has_pay=any(s["with_pay"] for s in stats),
    )


@router.get("/runs", response_class=HTMLResponse, name="runs_page")
def runs_page(
    request: Request,
    session: SessionDep,
    board: Annotated[str | None, Query(max_length=600)] = None,
    outcome: Outcome | None = None,
    limit: LimitQuery = PAGE_SIZE,
    cursor: CursorQuery = None,
) -> HTMLResponse:
    try:
        page = list_runs(session, limit=limit, cursor=cursor, board=board or None, outcome=outcome)
    except CursorError as exc:
        raise PageError(422, "This page link is not valid any more; start again.") from exc
    page = replace(page, items=run_rows(page.items))
    return render(
        request,
        "runs.html",
        page=page,
        boards=board_health(list_companies(session)),
        board=board or "",
        chosen_outcome=outcome or "",  # not `outcome`: the template imports a macro of that name
        outcomes=[o.value for o in Outcome],
        runs_chart=spec(run_outcomes_chart(page.items)),
        next_url=with_params(request, cursor=page.next_cursor) if page.next_cursor else None,
        query=request.url.query,
    )


@router.get("/hires", response_class=HTMLResponse, name="hires_page")
def hires_page(
    request: Request,
    session: SessionDep,
    company: Annotated[list[str] | None, Query(max_length=200)] = None,
    since: DateQuery = None,
    until: DateQuery = None,
    limit: LimitQuery = PAGE_SIZE,
    cursor: CursorQuery = None,
) -> HTMLResponse:
    if since and until and until < since:
        raise PageError(422, "until must not be before since")
    try:
        page = list_hires(
            session, companies=company or [], since=since, until=until, limit=limit, cursor=cursor
        )
    except CursorError as exc:
        raise PageError(422, "This page link is not valid any more; start again.") from exc
    edges = flows(session, companies=company or [], since=since, until=until)
    return render(
        request,
        "hires.html",
        page=page,
        edges=edges,
        flows_spec=spec(flows_chart(edges)),
        company=company or [],
        since=since,
        until=until,
        companies=company_names(session),
        next_url=with_params(request, cursor=page.next_cursor) if page.next_cursor else None,
        query=request.url.query,
    )


# -- chart specs as JSON --------------------------------------------------------------------


@router.get("/charts/open-roles.json", name="chart_open_roles")
def chart_open_roles(session: SessionDep) -> dict[str, Any]:
    return open_roles_spec(list_companies(session))


@router.get("/charts/trend.json", name="chart_trend")
def chart_trend(
    session: SessionDep,
    flt: Annotated[PostingFilter, Depends(trend_filter)],
    metric: Metric = Metric.new,
    group: Group = Group.company,
    interval: Interval = Interval.week,
    since: DateQuery = None,
    until: DateQuery = None,
) -> dict[str, Any]:
    return trend_spec(
        session, metric=metric, group=group, interval=interval, since=since, until=until, flt=flt
    )[0]


@router.get("/charts/pay-bands.json", name="chart_pay_bands")
def chart_pay_bands(
    session: SessionDep,
    flt: Annotated[PostingFilter, Depends(posting_filter)],
    group: Group = Group.company,
) -> dict[str, Any]:
    return pay_spec(session, group=group, flt=flt)[0]


@router.get("/charts/runs.json", name="chart_runs")
def chart_runs(
    session: SessionDep,
    board: Annotated[str | None, Query(max_length=600)] = None,
    outcome: Outcome | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = PAGE_SIZE,
) -> dict[str, Any]:
    runs = list_runs(session, limit=limit, board=board or None, outcome=outcome).items
    return spec(run_outcomes_chart(runs))


@router.get("/charts/flows.json", name="chart_flows")
def chart_flows(
    session: SessionDep,
    company: Annotated[list[str] | None, Query(max_length=200)] = None,
    since: DateQuery = None,
    until: DateQuery = None,
) -> dict[str, Any]:
    return spec(flows_chart(flows(session, companies=company or [], since=since, until=until)))


# -- wiring ---------------------------------------------------------------------------------

HTML_PAGES = frozenset(
    {overview, postings_page, posting_page, trends_page, companies_page, runs_page, hires_page}
)


async def page_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, PageError)
    if request.url.path.startswith("/charts/"):
        return JSONResponse({"detail": str(exc)}, status_code=exc.status)
    return render(
        request, "error.html", status=exc.status, status_code=exc.status, message=str(exc)
    )


async def validation_error(request: Request, exc: Exception) -> Response:
    """A bad parameter on an HTML page is a 422 page saying which; elsewhere, the API's JSON."""
    assert isinstance(exc, RequestValidationError)
    if request.scope.get("endpoint") not in HTML_PAGES:
        return await api_validation_error(request, exc)
    problems = [
        f"{'.'.join(str(p) for p in e['loc'][1:]) or 'request'}: {e['msg']}" for e in exc.errors()
    ]
    return render(
        request,
        "error.html",
        status=422,
        status_code=422,
        message="Some parameters are not valid.",
        problems=problems,
    )


def install(app: FastAPI) -> None:
    """Add the dashboard pages, their static files and their error pages to an app."""
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.add_exception_handler(PageError, page_error)
    app.add_exception_handler(RequestValidationError, validation_error)
