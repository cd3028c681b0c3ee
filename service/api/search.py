"""Ranked full-text search (`/api/search`): the `/api/postings` filters, most relevant first."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from service.api.deps import LimitQuery, RankCursorQuery, SessionDep, query_error
from service.api.errors import errors
from service.api.filters import search_filter
from store.queries import PostingFilter
from store.schemas import SearchPage
from store.search import SearchCursorError, search_postings

router = APIRouter(tags=["postings"])


@router.get(
    "/api/search",
    response_model=SearchPage,
    responses=errors(422, 503, notes={422: "no `q`, a bad filter or cursor"}),
)
def search(
    session: SessionDep,
    flt: Annotated[PostingFilter, Depends(search_filter)],
    limit: LimitQuery = 50,
    cursor: RankCursorQuery = None,
) -> dict[str, Any]:
    """`q` is required: words (all must match), `"a phrase"`, `prefix*`. Items carry `score`."""
    if not flt.q or not flt.q.strip():
        raise query_error("q", "q is required")
    try:
        page = search_postings(session, flt.q, flt, limit=limit, cursor=cursor)
    except SearchCursorError as exc:
        raise query_error("cursor", str(exc)) from exc
    return {"items": page.items, "next_cursor": page.next_cursor}
