from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query
from fastapi import Path as PathParam

from service.api.deps import CursorQuery, LimitQuery, SessionDep
from service.api.errors import errors
from service.api.params import CleanText
from service.api.postings import cursor_or_422
from service.api.schemas_company import BoardFailures
from store.board_health import board_failures
from store.queries import CursorError, list_runs
from store.schemas import RunPage
from store.vocab import RunOutcome

router = APIRouter(tags=["runs"])


@router.get("/api/runs", response_model=RunPage, responses=errors(422, notes={422: "a bad cursor"}))
def runs(
    session: SessionDep,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
    board: Annotated[
        CleanText | None, Query(max_length=600, description="token, key or company")
    ] = None,
    outcome: RunOutcome | None = None,
) -> dict[str, Any]:
    try:
        page = list_runs(session, limit=limit, cursor=cursor, board=board, outcome=outcome)
    except CursorError as exc:
        raise cursor_or_422(exc) from exc
    return {"items": page.items, "next_cursor": page.next_cursor}


@router.get(
    "/api/runs/boards/{key:path}",
    response_model=BoardFailures,
    responses=errors(404, notes={404: "no board with that key"}),
)
def board_runs(
    session: SessionDep,
    key: Annotated[
        CleanText,
        PathParam(
            min_length=1,
            max_length=600,
            description=("the board's key, e.g. greenhouse:xai (as in /api/runs)"),
        ),
    ],
) -> dict[str, Any]:
    """One board's failure streak, the kinds of its errors, what to do, and its latest runs."""
    board = board_failures(session, key)
    if board is None:
        raise HTTPException(404, detail=f"no board {key!r}")
    return board
