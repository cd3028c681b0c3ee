"""Detail faults end to end: a fake board behind ``httpx.MockTransport`` whose detail answers
can be made to fail, scrapes through ``service.scrape.scrape_boards`` at controlled times, and
a comparable picture of what the store holds for a board afterwards."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from scrapers.models import BoardConfig
from service.scrape import RunSummary, scrape_boards
from service.settings import Settings
from store.models import Board, Event, Posting, PostingChange, ScrapeRun

# A detail fault: a status code to answer, or an httpx exception class to raise.
Fault = int | type[httpx.TransportError]


@dataclass
class FakeBoard:
    """One board's API: ``listing`` answers list requests, ``details`` holds each detail body
    by path, ``faults`` break chosen details. Every request is recorded."""

    listing: Callable[[httpx.Request], httpx.Response]
    details: dict[str, Any]
    faults: dict[str, Fault] = field(default_factory=dict)
    requests: list[httpx.Request] = field(default_factory=list)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        path = request.url.path
        if path not in self.details:
            return self.listing(request)
        fault = self.faults.get(path)
        if isinstance(fault, int):
            body = {"status": fault, "error": "Job not found" if fault in (404, 410) else "error"}
            return httpx.Response(fault, json=body)
        if fault is not None:
            raise fault("injected fault", request=request)
        return httpx.Response(200, json=self.details[path])

    def detail_paths(self) -> set[str]:
        """The distinct detail paths requested since the last call (retries count once)."""
        paths = {r.url.path for r in self.requests if r.url.path in self.details}
        self.requests.clear()
        return paths


def scrape(engine: Engine, board: BoardConfig, fake: FakeBoard, now: datetime) -> RunSummary:
    """One run of one board at ``now``, as `talentflow scrape` runs it (no retry backoff)."""
    settings = Settings(http_backoff=0)
    (summary,) = asyncio.run(
        scrape_boards(
            engine, settings, [board], transport=httpx.MockTransport(fake), clock=lambda: now
        )
    )
    return summary


def stored(engine: Engine, board: BoardConfig) -> dict[str, Posting]:
    with Session(engine) as session:
        board_id = session.exec(select(Board.id).where(Board.key == board.key)).one()
        rows = session.exec(select(Posting).where(Posting.board_id == board_id))
        return {p.external_id: p for p in rows}


KEPT = (
    "title",
    "team",
    "department",
    "locations",
    "workplace",
    "employment_type",
    "pay_min",
    "pay_max",
    "pay_currency",
    "pay_period",
    "pay_source",
    "pay_annual_min_usd",
    "pay_annual_max_usd",
    "topics",
    "function",
    "seniority",
    "url",
    "description",
    "posted_at",
    "updated_at",
    "status",
    "missing_runs",
    "listing_hash",
    "detail_pending",
    "detail_attempts",
    "listing_only",
)


def picture(
    engine: Engine, board: BoardConfig, *, same: tuple[str, str] = ("", "")
) -> dict[str, Any]:
    """Everything a user can observe of a board's postings, free of ids and times: fields,
    history rows and events (by type and external id). ``same``: a part of URLs to read as
    another (a twin board's own name)."""
    postings = stored(engine, board)
    by_id = {p.id: p.external_id for p in postings.values()}
    with Session(engine) as session:
        history = session.exec(
            select(PostingChange).where(col(PostingChange.posting_id).in_(list(by_id)))
        ).all()
        events = session.exec(select(Event).where(col(Event.posting_id).in_(list(by_id)))).all()
    return {
        "postings": {
            external_id: {
                name: (p.url or "").replace(*same) if name == "url" else getattr(p, name)
                for name in KEPT
            }
            for external_id, p in postings.items()
        },
        "history": sorted(
            (by_id[c.posting_id], c.field, json.dumps(c.old), json.dumps(c.new)) for c in history
        ),
        "events": Counter((e.type, by_id[e.posting_id or 0]) for e in events),
    }


def event_types(engine: Engine, board: BoardConfig) -> Counter[str]:
    return Counter(event for event, _ in picture(engine, board)["events"].elements())


def runs(engine: Engine, board: BoardConfig) -> list[ScrapeRun]:
    with Session(engine) as session:
        board_id = session.exec(select(Board.id).where(Board.key == board.key)).one()
        return list(
            session.exec(
                select(ScrapeRun).where(ScrapeRun.board_id == board_id).order_by(col(ScrapeRun.id))
            )
        )


def differences(left: dict[str, Any], right: dict[str, Any]) -> list[str]:
    """Where two pictures differ, readably (for assertion messages)."""
    out = [f"{key} differ" for key in ("history", "events") if left[key] != right[key]]
    for external_id in sorted(set(left["postings"]) | set(right["postings"])):
        a, b = left["postings"].get(external_id), right["postings"].get(external_id)
        if a is None or b is None:
            out.append(f"{external_id} only on one side")
            continue
        out += [f"{external_id}.{k}: {a[k]!r} != {b[k]!r}" for k in a if a[k] != b[k]]
    return out
