from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query

from scrapers.topics import TaxonomyError, taxonomy_at
from service.api.deps import CursorQuery, LimitQuery, RowId, SessionDep, SettingsDep, query_error
from store.queries import CursorError, PostingFilter, get_posting, list_postings
from store.schemas import PostingDetailOut, PostingPage
from store.vocab import StatusFilter
from store.vocab import Workplace as VWorkplace

router = APIRouter(tags=["postings"])

# Kept for callers of the older name.
Workplace = VWorkplace


def _checked(name: str, values: list[str] | None, known: list[str]) -> list[str]:
    """The values, or a 422 naming the unknown ones and what the taxonomy allows."""
    unknown = [v for v in values or [] if v not in known]
    if unknown:
        raise query_error(name, f"unknown {name} {', '.join(map(repr, unknown))}; "
                                f"expected one of {', '.join(known)}", "enum")
    return list(values or [])


def posting_filter(
    settings: SettingsDep,
    company: Annotated[list[str] | None, Query(max_length=200)] = None,
    status: StatusFilter = StatusFilter.open,
    q: Annotated[str | None, Query(max_length=200)] = None,
    topic: Annotated[list[str] | None, Query(max_length=64)] = None,
    workplace: Workplace | None = None,
    min_annual_pay: Annotated[float | None, Query(ge=0, le=1e9)] = None,
    since: date | None = None,
    function: Annotated[list[str] | None, Query(max_length=64, description=(
        "a function from the taxonomy, e.g. research, engineering (repeatable)"))] = None,
    seniority: Annotated[list[str] | None, Query(max_length=64, description=(
        "a seniority level from the taxonomy, e.g. senior, staff (repeatable)"))] = None,
    exclude_reposts: Annotated[bool, Query(description=(
        "leave out postings that republish a role closed in the previous 30 days"))] = False,
) -> PostingFilter:
    if function or seniority:
        try:
            taxonomy = taxonomy_at(settings.taxonomy_file)
        except TaxonomyError as exc:
            raise HTTPException(status_code=503, detail=f"taxonomy unavailable: {exc}") from exc
        functions = _checked("function", function, taxonomy.function_slugs)
        seniorities = _checked("seniority", seniority, taxonomy.seniority_slugs)
    else:
        functions = seniorities = []
    return PostingFilter(companies=company or [], status=status, q=q or None,
                         topics=topic or [], workplace=workplace,
                         min_annual_pay=min_annual_pay, since=since,
                         functions=functions, seniorities=seniorities,
                         exclude_reposts=exclude_reposts)


@router.get("/api/postings", response_model=PostingPage,
            responses={422: {"description": "a bad filter or cursor"}})
def postings(
    session: SessionDep,
    flt: Annotated[PostingFilter, Depends(posting_filter)],
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
) -> dict[str, Any]:
    try:
        page = list_postings(session, flt, limit=limit, cursor=cursor)
    except CursorError as exc:
        raise cursor_or_422(exc) from exc
    return {"items": page.items, "next_cursor": page.next_cursor}


@router.get("/api/postings/{posting_id}", response_model=PostingDetailOut,
            responses={404: {"description": "no posting with that id"}})
def posting(session: SessionDep,
            posting_id: RowId) -> dict[str, Any]:
    found = get_posting(session, posting_id)
    if found is None:
        raise HTTPException(status_code=404, detail=f"posting {posting_id} not found")
    return found


def cursor_or_422(exc: CursorError) -> HTTPException:
    return query_error("cursor", str(exc))

