from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query

from service.api.deps import CursorQuery, LimitQuery, SessionDep
from service.api.postings import cursor_or_422
from store.queries import CursorError, list_runs

router = APIRouter(tags=["runs"])


@router.get("/api/runs")
def runs(
    session: SessionDep,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
    board: Annotated[str | None, Query(max_length=600, description="token, key or company")] = None,
    outcome: Literal["ok", "unchanged", "partial", "failed"] | None = None,
) -> dict[str, Any]:
    try:
        page = list_runs(session, limit=limit, cursor=cursor, board=board, outcome=outcome)
    except CursorError as exc:
        raise cursor_or_422(exc) from exc
    return {"items": page.items, "next_cursor": page.next_cursor}
