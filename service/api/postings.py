from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException

from service.api.deps import CursorQuery, LimitQuery, RowId, SessionDep, query_error
from service.api.errors import errors
from service.api.filters import posting_filter
from store.queries import CursorError, PostingFilter, get_posting, list_postings
from store.schemas import PostingDetailOut, PostingPage

router = APIRouter(tags=["postings"])


@router.get(
    "/api/postings",
    response_model=PostingPage,
    responses=errors(422, 503, notes={422: "a bad filter or cursor"}),
)
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


@router.get(
    "/api/postings/{posting_id}",
    response_model=PostingDetailOut,
    responses=errors(404, notes={404: "no posting with that id"}),
)
def posting(session: SessionDep, posting_id: RowId) -> dict[str, Any]:
    found = get_posting(session, posting_id)
    if found is None:
        raise HTTPException(status_code=404, detail=f"posting {posting_id} not found")
    return found


def cursor_or_422(exc: CursorError) -> HTTPException:
    return query_error("cursor", str(exc))
