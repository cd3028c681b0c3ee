"""A randomly generated hiring history, built through ingest, for comparing the rollups' answers
with a scan of the postings.

Every posting's labels are written into its description (``labels: topics | function |
seniority``), so a changed description is a content change that relabels it, as a taxonomy
would. Postings open, flicker out of single runs (missing once), close after two misses, come
back (reopened), change title, pay and labels, and reappear under a new id (reposts).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from sqlalchemy.engine import Engine

from scrapers.enrich.topics import Classification
from scrapers.models import BoardConfig, BoardSnapshot, NormalizedPosting, Pay
from store.engine import session_scope
from store.ingest import get_or_create_board
from tests.enrich_helpers import store_snapshot

TOPICS = ("robotics", "safety", "world-models", "games", "unknown")
FUNCTIONS = ("research", "engineering", "go-to-market", "unknown")
SENIORITIES = ("mid", "senior", "staff")
PLACES = (
    "Palo Alto, CA",
    "New York, NY",
    "London, UK",
    "London, United Kingdom",
    "Berlin, Germany",
    "Remote",
    "Zurich,  Switzerland ",
    "",
)
TEAMS = ("Omni", "Optimus", "Research", "", None)
WORKPLACES = ("onsite", "hybrid", "remote", None)
BOARDS = (
    BoardConfig(company="xAI", ats="greenhouse", token="xai"),
    BoardConfig(company="xAI", ats="lever", token="xai-2"),
    BoardConfig(company="Anthropic", ats="greenhouse", token="anthropic"),
    BoardConfig(company="École Labs", ats="ashby", token="ecole"),
)
START = datetime(2026, 9, 28, 6, 0, tzinfo=UTC)


def classify(item: NormalizedPosting) -> Classification | list[str]:
    """The labels written in the description; a bare topic list leaves function and seniority
    unset (``NULL``, shown as "unknown")."""
    _, _, labels = item.description.partition("labels: ")
    topics, function, seniority = (part.strip() for part in labels.split("|"))
    topic_list = [t for t in topics.split(",") if t]
    if not function:
        return topic_list
    return Classification(topics=topic_list, function=function, seniority=seniority)


@dataclass
class Role:
    item: NormalizedPosting
    opens: int  # run index
    closes: int


def _pay(rng: random.Random) -> Pay | None:
    kind = rng.random()
    low = rng.choice((90_000, 120_000, 150_000, 150_000, 200_000, 210_500.5))
    if kind < 0.3:
        return None
    if kind < 0.45:
        return Pay(min=round(low / 2080), max=round(low / 1500), currency="USD", period="hour")
    if kind < 0.55:
        return Pay(min=low / 1.3, max=None, currency="EUR", period="year")
    return Pay(min=low, max=low * rng.choice((1.2, 1.5)), currency="USD", period="year")


def _item(rng: random.Random, board: BoardConfig, n: int) -> NormalizedPosting:
    topics = rng.sample(TOPICS, rng.randint(0, 2))
    if topics and rng.random() < 0.1:
        topics.append(topics[0])  # one topic listed twice is still one posting under it
    function = rng.choice(FUNCTIONS) if rng.random() < 0.8 else ""
    labels = f"{','.join(topics)} | {function} | {rng.choice(SENIORITIES)}"
    return NormalizedPosting(
        external_id=f"{board.token}-{n}",
        title=rng.choice(("Research Engineer", "Robotics Lead", "Account Executive")) + f" {n % 5}",
        team=rng.choice(TEAMS),
        locations=tuple(rng.sample(PLACES, rng.randint(0, 3))),
        workplace=rng.choice(WORKPLACES),  # type: ignore[arg-type]
        pay=_pay(rng),
        description=f"Role {n}. labels: {labels}",
    )


def _changed(rng: random.Random, item: NormalizedPosting) -> NormalizedPosting:
    fresh = _item(rng, BOARDS[0], 0)
    return replace(
        item,
        title=fresh.title if rng.random() < 0.5 else item.title,
        pay=fresh.pay,
        locations=fresh.locations,
        workplace=fresh.workplace,
        description=fresh.description,
    )


def build_random_history(engine: Engine, seed: int, *, runs: int = 24) -> None:
    rng = random.Random(seed)
    roles: dict[str, list[Role]] = {b.key: [] for b in BOARDS}
    for board in BOARDS:
        for n in range(rng.randint(8, 14)):
            opens = rng.randrange(runs)
            role = Role(_item(rng, board, n), opens, opens + rng.randint(1, runs))
            roles[board.key].append(role)
            if rng.random() < 0.15:  # republished under a new id soon after it closes
                again = replace(role.item, external_id=f"{board.token}-{n}-again")
                roles[board.key].append(Role(again, role.closes + 3, runs + 5))
            if rng.random() < 0.1:  # closes, then comes back under its own id
                roles[board.key].append(Role(role.item, role.closes + 4, runs + 5))
    moment = START
    for run in range(runs):
        moment += timedelta(hours=rng.choice((5, 11, 23, 30, 52)))
        for board in BOARDS:
            if rng.random() < 0.2:
                continue  # not scraped this time
            listed: dict[str, NormalizedPosting] = {}
            for role in roles[board.key]:
                if role.opens <= run < role.closes and rng.random() > 0.08:
                    if rng.random() < 0.06:
                        role.item = _changed(rng, role.item)
                    listed[role.item.external_id] = role.item
            snap = BoardSnapshot(
                board=board, postings=tuple(listed.values()), complete=rng.random() > 0.05
            )
            with session_scope(engine) as session:
                store_snapshot(
                    session,
                    get_or_create_board(session, board),
                    snap,
                    started_at=moment,
                    now=moment,
                    classify=classify,
                )
