"""Announced hires: list, flows between companies, manual entry, and a company's talent view."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Response
from pydantic import BaseModel, Field, HttpUrl, field_validator

from service.api.auth import WriteKeyDep
from service.api.deps import ContextDep, CursorQuery, LimitQuery, SessionDep, query_error
from service.api.errors import BODY_ERRORS, KEY_ERRORS, errors
from service.api.params import CleanText, HasText, IsoDate, IsoDateTime
from service.context import AppContext
from store.hires import (
    NewHire,
    SameCompanyMove,
    company_talent,
    flows,
    hire_dict,
    list_hires,
    record_hire,
)
from store.queries import CursorError
from store.schemas import FlowsOut, HireCreatedOut, HirePage, TalentOut
from store.types import utcnow

router = APIRouter(tags=["hires"])

CompanyQuery = Annotated[
    list[CleanText] | None,
    Query(max_length=200, description=("a company on either side of the move (repeatable)")),
]


SinceQuery = Annotated[IsoDate | None, Query(description="announced on or after this day")]
UntilQuery = Annotated[IsoDate | None, Query(description="announced on or before this day")]


def _checked_range(since: date | None, until: date | None) -> None:
    if since and until and until < since:
        raise query_error("until", "`until` is before `since`")


@router.get(
    "/api/hires",
    response_model=HirePage,
    responses=errors(422, notes={422: "a bad range or cursor"}),
)
def hires(
    session: SessionDep,
    company: CompanyQuery = None,
    since: SinceQuery = None,
    until: UntilQuery = None,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
) -> dict[str, Any]:
    _checked_range(since, until)
    try:
        page = list_hires(
            session, companies=company or [], since=since, until=until, limit=limit, cursor=cursor
        )
    except CursorError as exc:
        raise query_error("cursor", str(exc)) from exc
    return {"items": page.items, "next_cursor": page.next_cursor}


@router.get(
    "/api/flows", response_model=FlowsOut, responses=errors(422, notes={422: "a bad range"})
)
def flow_edges(
    session: SessionDep,
    company: CompanyQuery = None,
    since: SinceQuery = None,
    until: UntilQuery = None,
) -> dict[str, Any]:
    _checked_range(since, until)
    return {"edges": flows(session, companies=company or [], since=since, until=until)}


class HireIn(BaseModel):
    # Control characters are dropped when the hire is stored, so they are not refused here.
    person: HasText = Field(min_length=2, max_length=200)
    to_company: HasText = Field(min_length=1, max_length=200)
    from_company: HasText | None = Field(default=None, max_length=200)
    role: HasText | None = Field(default=None, max_length=300)
    announced_at: IsoDateTime | None = None
    source_url: HttpUrl | None = None
    source_title: str | None = Field(default=None, max_length=500)
    evidence: str = Field(default="", max_length=5000)

    @field_validator("person", "to_company", "from_company", "role")
    @classmethod
    def _strip(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = " ".join(value.split())
        if not value:
            raise ValueError("must not be blank")
        return value


def announced(value: datetime | date | None) -> datetime:
    if value is None:
        return utcnow()
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return datetime.combine(value, time.min, tzinfo=UTC)


def new_hire(body: HireIn, context: AppContext, *, origin: str) -> NewHire:
    """The move as the store records it, company names resolved through the alias table."""
    return NewHire(
        person=body.person,
        to_company=context.company(body.to_company),
        from_company=context.company(body.from_company) if body.from_company else None,
        role=body.role,
        announced_at=announced(body.announced_at),
        source_url=str(body.source_url) if body.source_url else None,
        source_title=body.source_title,
        evidence=body.evidence,
        confidence=1.0,
        origin=origin,
    )


@router.post(
    "/api/hires",
    status_code=201,
    response_model=HireCreatedOut,
    responses={
        200: {"model": HireCreatedOut, "description": "the move was already known"},
        **errors(
            *KEY_ERRORS,
            *BODY_ERRORS,
            422,
            notes={422: "a bad body, or a move inside one company"},
        ),
    },
)
def create_hire(
    body: HireIn, session: SessionDep, context: ContextDep, _key: WriteKeyDep, response: Response
) -> dict[str, Any]:
    """Record a move by hand. A move already known (same person and company joined within 30
    days) is not duplicated: the answer is 200 with the existing hire."""
    try:
        hire, created = record_hire(session, new_hire(body, context, origin="manual"))
    except SameCompanyMove as exc:
        raise HTTPException(
            422, detail=[{"loc": ["body", "from_company"], "type": "value_error", "msg": str(exc)}]
        ) from exc
    session.commit()
    if not created:
        response.status_code = 200
    return {**hire_dict(hire), "created": created}


@router.get("/api/companies/{name}/talent", response_model=TalentOut)
def talent(
    session: SessionDep,
    context: ContextDep,
    name: Annotated[CleanText, Path(min_length=1, max_length=200)],
    since: SinceQuery = None,
) -> dict[str, Any]:
    """Hires into the company, each next to its open roles on the same team or topic."""
    return company_talent(session, context.company(name), since=since)
