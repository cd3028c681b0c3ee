from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query
from sqlmodel import Session

from service.api.deps import ContextDep, SessionDep, query_error
from service.api.errors import errors
from service.api.params import CleanText, IsoDate
from service.api.schemas_company import CompanyView
from service.context import AppContext
from store.company import company_view
from store.queries import list_companies
from store.schemas import CompanyPage
from store.trends import TrendError

router = APIRouter(tags=["companies"])

CompanyName = Annotated[
    CleanText,
    Path(
        min_length=1,
        max_length=200,
        description=("the company's name, any case; percent-encode spaces and symbols"),
    ),
]


def find_view(
    session: Session, context: AppContext, name: str, *, since: date | None, until: date | None
) -> dict[str, Any] | None:
    """The company's view by its name in any case, else by another spelling of it ("GDM",
    "Nvidia") from the alias table the hire extractor uses."""
    view = company_view(session, name, since=since, until=until)
    if view is None:
        canonical = context.company(name)
        if canonical.casefold() != name.strip().casefold():
            view = company_view(session, canonical, since=since, until=until)
    return view


@router.get("/api/companies", response_model=CompanyPage)
def companies(session: SessionDep) -> dict[str, Any]:
    items = list_companies(session)
    return {"items": items, "next_cursor": None}


@router.get(
    "/api/companies/{name}",
    response_model=CompanyView,
    responses=errors(404, notes={404: "no company of that name"}),
)
def company(
    session: SessionDep,
    context: ContextDep,
    name: CompanyName,
    since: Annotated[IsoDate | None, Query(description="from this day (history and hires)")] = None,
    until: Annotated[IsoDate | None, Query(description="to this day (default today)")] = None,
) -> dict[str, Any]:
    """One company: open roles over time, new and closed per week, teams and topics hiring,
    pay bands by role family, latest roles, posting ages, roles open more than 90 days, its
    boards and their health, and announced hires in (with the roles they may fill) and out.
    ``since``/``until`` bound the weekly history (default: the last 26 weeks) and the hires."""
    if since and until and until < since:
        raise query_error("until", "`until` is before `since`")
    try:
        view = find_view(session, context, name, since=since, until=until)
    except TrendError as exc:
        raise query_error(exc.param, str(exc)) from exc
    if view is None:
        raise HTTPException(404, detail=f"no company named {name!r}")
    return view
