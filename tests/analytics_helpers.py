"""A small known hiring history, built through ingest at controlled times, whose trend, pay and
search figures are worked out by hand in the tests that use it."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from scrapers.enrich.topics import Classification
from scrapers.models import BoardConfig, BoardSnapshot, NormalizedPosting, Pay
from service.app import create_app
from service.settings import Settings
from store.engine import session_scope
from store.ingest import get_or_create_board
from tests.enrich_helpers import store_snapshot

XAI = BoardConfig(company="xAI", ats="greenhouse", token="xai")
ANTHROPIC = BoardConfig(company="Anthropic", ats="greenhouse", token="anthropic")

# Labels for the history: a title word -> topic slug; function and seniority from the title.
TOPIC_WORDS = {"world": "world-models", "robot": "robotics", "safety": "safety"}


def classify(item: NormalizedPosting) -> Classification:
    title = item.title.lower()
    topics = sorted({topic for word, topic in TOPIC_WORDS.items() if word in title})
    if "research" in title or "scientist" in title:
        function = "research"
    elif "account" in title:
        function = "go-to-market"
    else:
        function = "engineering"
    return Classification(
        topics=topics, function=function, seniority="senior" if "lead" in title else "mid"
    )


def usd(low: float, high: float, period: str = "year") -> Pay:
    return Pay(min=low, max=high, currency="USD", period=period)  # type: ignore[arg-type]


ROLES: dict[str, NormalizedPosting] = {
    "p1": NormalizedPosting(
        external_id="p1",
        title="World Model Researcher",
        team="Omni",
        locations=("Palo Alto, CA",),
        workplace="onsite",
        pay=usd(200000, 300000),
        description="Train video world models that simulate physics for embodied agents.",
    ),
    "p2": NormalizedPosting(
        external_id="p2",
        title="Robotics Engineer",
        team="Optimus",
        locations=("Austin, TX",),
        workplace="onsite",
        description="Build manipulation policies for humanoid robots.",
    ),
    "p3": NormalizedPosting(
        external_id="p3",
        title="World Model Robotics Lead",
        team="Omni",
        locations=("Palo Alto, CA", "New York, NY"),
        workplace="onsite",
        pay=usd(100, 150, "hour"),
        description="Lead a team bridging simulation and robotic control.",
    ),
    "p4": NormalizedPosting(
        external_id="p4",
        title="Account Executive",
        team="Sales",
        locations=("Remote, United States",),
        workplace="remote",
        description="Close enterprise deals for the API platform.",
    ),
    "p5": NormalizedPosting(
        external_id="p5",
        title="Robot Learning Scientist",
        team="Optimus",
        locations=("London, UK",),
        workplace="hybrid",
        pay=usd(150000, 250000),
        description="Reinforcement learning for dexterous manipulation.",
    ),
    "a1": NormalizedPosting(
        external_id="a1",
        title="Safety Researcher",
        team="Alignment",
        locations=("London, United Kingdom",),
        workplace="hybrid",
        pay=usd(300000, 400000),
        description="Interpretability research on large language models.",
    ),
    "a2": NormalizedPosting(
        external_id="a2",
        title="World Model Engineer",
        team="Research",
        locations=("San Francisco, CA",),
        workplace="onsite",
        description="Scale pretraining of multimodal world models.",
    ),
}

# (day in November 2026, board, roles listed); every run is complete, at 08:00 UTC.
RUNS: list[tuple[int, BoardConfig, tuple[str, ...]]] = [
    (2, XAI, ("p1", "p2", "p3")),
    (2, ANTHROPIC, ("a1",)),
    (3, XAI, ("p1", "p2", "p3", "p4")),
    (3, ANTHROPIC, ("a1", "a2")),
    (4, XAI, ("p1", "p3", "p4")),  # p2 missing once
    (5, XAI, ("p1", "p3", "p4")),
    (5, ANTHROPIC, ("a2",)),  # p2 closed; a1 missing once
    (9, XAI, ("p1", "p3", "p4", "p5")),
    (9, ANTHROPIC, ("a2",)),  # a1 closed
    (10, XAI, ("p1", "p4", "p5")),  # p3 missing once
    (11, XAI, ("p1", "p4", "p5")),  # p3 closed
]


def when(day: int) -> datetime:
    return datetime(2026, 11, day, 8, 0, tzinfo=UTC)


def build_history(engine: Engine) -> None:
    for day, board_config, roles in RUNS:
        snap = BoardSnapshot(board=board_config, postings=tuple(ROLES[r] for r in roles))
        with session_scope(engine) as session:
            board = get_or_create_board(session, board_config)
            store_snapshot(
                session, board, snap, started_at=when(day), now=when(day), classify=classify
            )


def api_client(engine: Engine) -> TestClient:
    return TestClient(create_app(Settings(), engine))
