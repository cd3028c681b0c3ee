"""Building snapshots and running ingest at controlled times, for lifecycle tests."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from scrapers.models import BoardConfig, BoardSnapshot, NormalizedPosting, Pay
from store.engine import session_scope
from store.ingest import get_or_create_board, record_failure
from store.models import Event, Posting, PostingChange, ScrapeRun
from tests.enrich_helpers import store_snapshot

BOARD = BoardConfig(company="xAI", ats="greenhouse", token="xai")


def posting(n: int, **changes: object) -> NormalizedPosting:
    base: dict[str, object] = {
        "external_id": str(1000 + n),
        "title": f"Member of Technical Staff {n}",
        "url": f"https://job-boards.greenhouse.io/xai/jobs/{1000 + n}",
        "team": "Omni",
        "locations": ("Palo Alto, CA",),
        "workplace": "onsite",
        "employment_type": "full_time",
        "pay": Pay(min=180000, max=440000, currency="USD", period="year"),
        "description": f"Role {n}",
    }
    base.update(changes)
    return NormalizedPosting(**base)  # type: ignore[arg-type]


def snapshot(
    *items: NormalizedPosting, complete: bool = True, board: BoardConfig = BOARD
) -> BoardSnapshot:
    return BoardSnapshot(board=board, postings=tuple(items), complete=complete)


def ingest(engine: Engine, snap: BoardSnapshot, now: datetime) -> ScrapeRun:
    with session_scope(engine) as session:
        board = get_or_create_board(session, snap.board)
        return store_snapshot(session, board, snap, started_at=now, now=now)


def fail(
    engine: Engine, now: datetime, error: str = "FetchError: HTTP 503", board: BoardConfig = BOARD
) -> ScrapeRun:
    with session_scope(engine) as session:
        b = get_or_create_board(session, board)
        return record_failure(session, b, error, started_at=now, now=now)


def postings(engine: Engine) -> dict[str, Posting]:
    with Session(engine) as session:
        return {p.external_id: p for p in session.exec(select(Posting))}


def changes(engine: Engine, external_id: str) -> list[tuple[str, object, object]]:
    with Session(engine) as session:
        rows = session.exec(
            select(PostingChange)
            .join(Posting, Posting.id == PostingChange.posting_id)
            .where(Posting.external_id == external_id)
            .order_by(PostingChange.id)  # type: ignore[arg-type]
        )
        return [(c.field, c.old, c.new) for c in rows]


def events(engine: Engine) -> list[tuple[str, str]]:
    with Session(engine) as session:
        rows = session.exec(select(Event).order_by(Event.id))  # type: ignore[arg-type]
        return [(e.type, e.data["posting"]["external_id"]) for e in rows]
