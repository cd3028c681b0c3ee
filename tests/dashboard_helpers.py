"""A small, known hiring history built through ingest, for the dashboard and browser tests."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import uvicorn
from fastapi import FastAPI
from sqlalchemy.engine import Engine

from scrapers.models import BoardConfig, BoardSnapshot, NormalizedPosting, Pay
from store.engine import session_scope
from store.hires import NewHire, record_hire
from store.ingest import get_or_create_board, record_failure
from tests.enrich_helpers import store_snapshot

XAI = BoardConfig(company="xAI", ats="greenhouse", token="xai")
ANTHROPIC = BoardConfig(company="Anthropic", ats="greenhouse", token="anthropic")
# Topic per title word: a stand-in classifier, so topic charts have known answers.
TITLE_TOPICS = {
    "World": ["world-models"],
    "Game": ["games"],
    "Tutor": ["data-annotation"],
    "Safety": ["safety"],
}
HOSTILE_TITLE = "<script>alert('x')</script> Engineer"


def when(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def classify(item: NormalizedPosting) -> list[str]:
    return sorted(
        {t for word, topics in TITLE_TOPICS.items() if word in item.title for t in topics}
    )


def usd(low: float, high: float) -> Pay:
    return Pay(min=low, max=high, currency="USD", period="year")


def role(
    ext: str,
    title: str,
    *,
    board: BoardConfig = XAI,
    pay: Pay | None = None,
    workplace: str | None = "onsite",
    url: str | None = None,
) -> NormalizedPosting:
    return NormalizedPosting(
        external_id=ext,
        title=title,
        team="Research",
        locations=("Palo Alto, CA",),
        workplace=workplace,  # type: ignore[arg-type]
        employment_type="full_time",
        pay=pay,
        description=f"About {title}.\nSecond line.",
        url=url or f"https://job-boards.greenhouse.io/{board.token}/jobs/{ext}",
    )


def ingest(engine: Engine, board: BoardConfig, at: str, *items: NormalizedPosting) -> None:
    now = when(at)
    snap = BoardSnapshot(board=board, postings=tuple(items), complete=True)
    with session_scope(engine) as session:
        store_snapshot(
            session,
            get_or_create_board(session, board),
            snap,
            started_at=now,
            now=now,
            classify=classify,
        )


def fail(engine: Engine, board: BoardConfig, at: str, error: str) -> None:
    now = when(at)
    with session_scope(engine) as session:
        record_failure(session, get_or_create_board(session, board), error, started_at=now, now=now)


XAI_WEEK1 = (
    role("x1", "World Model Researcher", pay=usd(200_000, 400_000)),
    role("x2", "Game Designer", pay=usd(150_000, 250_000), workplace="remote"),
    role("x3", "AI Tutor", pay=Pay(min=45, max=100, currency="USD", period="hour")),
)


def seed(engine: Engine) -> None:
    """The history, checked by hand:

    - week of 2026-10-05: xAI opens x1 x2 x3 (3 new);
    - week of 2026-10-12: xAI opens x4 x5 and raises x1's pay; Anthropic opens a1 a2 (4 new);
    - week of 2026-10-19: x3 is missing from two ok runs and closes; Anthropic's board fails.
    Open at the end: xAI x1 x2 x4 x5 (4), Anthropic a1 a2 (2).
    """
    ingest(engine, XAI, "2026-10-05T08:00", *XAI_WEEK1)
    week2 = (
        role("x1", "World Model Researcher", pay=usd(220_000, 440_000)),
        *XAI_WEEK1[1:],
        role("x4", "Safety Researcher", pay=usd(250_000, 350_000)),
        role("x5", HOSTILE_TITLE, url="javascript:alert(1)"),
    )
    ingest(engine, XAI, "2026-10-12T08:00", *week2)
    ingest(
        engine,
        ANTHROPIC,
        "2026-10-13T09:00",
        role("a1", "Research Engineer, Safety", board=ANTHROPIC, pay=usd(300_000, 400_000)),
        role("a2", "Account Executive", board=ANTHROPIC, workplace="hybrid"),
    )
    without_x3 = tuple(p for p in week2 if p.external_id != "x3")
    ingest(engine, XAI, "2026-10-19T08:00", *without_x3)
    ingest(engine, XAI, "2026-10-20T08:00", *without_x3)
    fail(engine, ANTHROPIC, "2026-10-20T09:00", "FetchError: HTTP 503 from boards-api")
    seed_hires(engine)


HIRES = (
    NewHire(
        person="Ada Example",
        from_company="OpenAI",
        to_company="xAI",
        announced_at=when("2026-10-06T10:00"),
        role="Research Scientist",
        source_url="https://news.example.com/ada",
        source_title="Ada joins xAI",
    ),
    NewHire(
        person="Grace Example",
        from_company="OpenAI",
        to_company="xAI",
        announced_at=when("2026-10-14T10:00"),
        source_url="javascript:alert(1)",
    ),
    NewHire(
        person="Alan Example",
        from_company="Google DeepMind",
        to_company="Anthropic",
        announced_at=when("2026-10-15T10:00"),
        role="Interpretability lead",
    ),
    NewHire(person="Kim Example", to_company="Anthropic", announced_at=when("2026-10-16T10:00")),
)


def seed_hires(engine: Engine) -> None:
    """Flows: OpenAI -> xAI 2, Google DeepMind -> Anthropic 1 (Kim's origin is unknown)."""
    with session_scope(engine) as session:
        for hire in HIRES:
            record_hire(session, hire)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def served(app: FastAPI) -> Iterator[str]:
    """The app on a real local server (for the browser tests): yields its base URL."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the dashboard server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
