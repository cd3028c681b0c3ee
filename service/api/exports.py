"""`GET /api/postings.csv`: the postings matching the `/api/postings` filters, as CSV."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import StreamingResponse
from sqlalchemy.engine import Engine
from sqlmodel import Session

from service.api.deps import get_engine
from service.api.errors import errors
from service.api.filters import posting_filter
from store.exports import csv_chunks, export_rows
from store.queries import PostingFilter

router = APIRouter(tags=["postings"])


@router.get(
    "/api/postings.csv",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}}, **errors(503)},
)
def postings_csv(
    engine: Annotated[Engine, Depends(get_engine)],
    flt: Annotated[PostingFilter, Depends(posting_filter)],
) -> StreamingResponse:
    """Every matching posting (no pagination), one row each; lists are joined with `; `."""

    def body() -> Iterator[str]:
        # The stream outlives the request's dependencies, so it holds its own session.
        with Session(engine) as session:
            yield from csv_chunks(export_rows(session, flt))

    return StreamingResponse(
        body(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="postings.csv"'},
    )
