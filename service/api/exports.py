"""`GET /api/postings.csv`: the postings matching the `/api/postings` filters, as CSV."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Generator
from typing import Annotated

import anyio
import anyio.to_thread
from fastapi import APIRouter, Depends
from fastapi.responses import StreamingResponse
from sqlalchemy.engine import Engine
from sqlmodel import Session
from starlette.types import Send

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

    def chunks() -> Generator[str, None, None]:
        # The stream outlives the request's dependencies, so it holds its own session.
        with Session(engine) as session:
            yield from csv_chunks(export_rows(session, flt))

    return ClosingStream(
        closing(chunks()),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="postings.csv"'},
    )


async def closing(rows: Generator[str, None, None]) -> AsyncGenerator[str, None]:
    """``rows`` read in worker threads, one chunk at a time, and closed there however the
    stream ends, so the session inside gives its connection back at once."""
    try:
        while (chunk := await anyio.to_thread.run_sync(next, rows, None)) is not None:
            yield chunk
    finally:
        with anyio.CancelScope(shield=True):
            await anyio.to_thread.run_sync(rows.close)


class ClosingStream(StreamingResponse):
    """A streaming response that closes its body when the client leaves, not only at its end.
    Left to the garbage collector, an abandoned export was closed at some later moment in some
    thread, after its pooled PostgreSQL connection had been finalised: the next request got a
    connection "in transaction" or an error rolling back a closed one."""

    body_iterator: AsyncGenerator[str, None]

    async def stream_response(self, send: Send) -> None:
        try:
            await super().stream_response(send)
        finally:
            with anyio.CancelScope(shield=True):
                await self.body_iterator.aclose()
