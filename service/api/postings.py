from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Query

from service.api.deps import CursorQuery, LimitQuery, SessionDep
from store.queries import CursorError, PostingFilter, get_posting, list_postings

router = APIRouter(tags=["postings"])

Workplace = Literal["onsite", "hybrid", "remote"]


def posting_filter(
    company: Annotated[list[str] | None, Query(max_length=200)] = None,
    status: Literal["open", "closed", "all"] = "open",
    q: Annotated[str | None, Query(max_length=200)] = None,
    topic: Annotated[list[str] | None, Query(max_length=64)] = None,
    workplace: Workplace | None = None,
    min_annual_pay: Annotated[float | None, Query(ge=0, le=1e9)] = None,
    since: date | None = None,
) -> PostingFilter:
    return PostingFilter(companies=company or [], status=status, q=q or None,
                         topics=topic or [], workplace=workplace,
                         min_annual_pay=min_annual_pay, since=since)


@router.get("/api/postings")
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


@router.get("/api/postings/{posting_id}")
def posting(session: SessionDep,
            posting_id: Annotated[int, Path(ge=1, le=2**62)]) -> dict[str, Any]:
    found = get_posting(session, posting_id)
    if found is None:
        raise HTTPException(status_code=404, detail=f"posting {posting_id} not found")
    return found


def cursor_or_422(exc: CursorError) -> HTTPException:
    return HTTPException(status_code=422, detail=[{"loc": ["query", "cursor"],
                                                   "msg": str(exc), "type": "value_error"}])

