"""A generated one-year hiring history at scale (1,000,000 postings by default), for the read-side
benchmarks.

The history is planned first (``plan``: companies, boards, and every posting's life: when it was
first seen, whether and when it closed or came back, its labels and pay), then written by a
sink. ``CoreSink`` writes rows in bulk with SQLAlchemy Core ``executemany``; a sink that replays
the same plan through the real bulk ingest path can take its place without changing the plan.

The SQLite file is cached under ``~/.cache/talentflow-bench/`` (``TALENTFLOW_BENCH_CACHE``),
keyed by ``GENERATOR_VERSION`` and the size, so reruns start at once. A PostgreSQL database
(``TALENTFLOW_BENCH_PG_URL``, e.g. ``postgresql+psycopg://postgres@127.0.0.1:5432/bench_1m``) is
filled once and marked with the same key in a ``bench_meta`` table.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import random
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import JSON, Table, column, create_engine, table, text
from sqlalchemy.engine import Connection, Engine, make_url

import store.models  # noqa: F401  (registers every table)
from service.migrations import upgrade
from store.engine import make_engine
from store.models import Board, Company, Event, Posting, PostingChange, ScrapeRun
from store.reposts import repost_key

GENERATOR_VERSION = 1
DEFAULT_POSTINGS = 1_000_000
COMPANIES = 1_000
SECOND_BOARDS = 250  # companies with a second board on another ATS
DAYS = 365
MEAN_LIFETIME_DAYS = 68.0  # ≈ 186k of 1M still open after a year of steady arrivals
REOPEN_SHARE = 0.02
PAY_SHARE = 0.6
REPOST_SHARE = 0.04
BATCH = 5_000
RUN_DAYS = 30
# The revision whose schema the rows are written for; later migrations run on top of them.
DATA_REVISION = "0006"

TOPICS = (
    "world-models",
    "video-generation",
    "image-generation",
    "audio",
    "multimodal",
    "robotics",
    "games",
    "pretraining",
    "post-training",
    "inference",
    "infrastructure",
    "hardware",
    "safety",
    "data-annotation",
    "agents",
)
TOPIC_WEIGHTS = (3, 1, 1, 1, 3, 2, 1, 3, 3, 4, 6, 2, 2, 1, 4)
FUNCTIONS = (
    "research",
    "engineering",
    "product",
    "design",
    "data",
    "go-to-market",
    "operations",
    "other",
)
FUNCTION_WEIGHTS = (15, 40, 6, 3, 6, 14, 10, 4)
SENIORITIES = (
    "intern",
    "junior",
    "mid",
    "senior",
    "staff",
    "principal",
    "manager",
    "director",
    "executive",
)
SENIORITY_WEIGHTS = (3, 6, 30, 30, 10, 4, 9, 5, 1)
ROLES = {
    "research": ("Research Scientist", "Research Engineer", "Applied Scientist"),
    "engineering": ("Software Engineer", "Infrastructure Engineer", "ML Engineer"),
    "product": ("Product Manager", "Technical Program Manager"),
    "design": ("Product Designer", "Design Engineer"),
    "data": ("Data Scientist", "Data Engineer", "Analytics Engineer"),
    "go-to-market": ("Account Executive", "Solutions Architect", "Partnerships Lead"),
    "operations": ("Recruiter", "Finance Manager", "Office Manager"),
    "other": ("Chief of Staff", "Legal Counsel"),
}
LEVEL_WORDS = {
    "intern": "Intern",
    "junior": "Associate",
    "mid": "",
    "senior": "Senior",
    "staff": "Staff",
    "principal": "Principal",
    "manager": "Manager,",
    "director": "Director,",
    "executive": "VP,",
}
TOPIC_WORDS = {
    "world-models": "World Models",
    "video-generation": "Video Generation",
    "image-generation": "Image Generation",
    "audio": "Audio",
    "multimodal": "Multimodal",
    "robotics": "Robotics",
    "games": "Games",
    "pretraining": "Pretraining",
    "post-training": "Post-Training",
    "inference": "Inference",
    "infrastructure": "Infrastructure",
    "hardware": "Hardware",
    "safety": "Safety",
    "data-annotation": "Data Annotation",
    "agents": "Agents",
}
PLACES = (
    "San Francisco, CA",
    "Palo Alto, CA",
    "Mountain View, CA",
    "Seattle, WA",
    "New York, NY",
    "Austin, TX",
    "Boston, MA",
    "Chicago, IL",
    "Remote, United States",
    "Toronto, Canada",
    "London, United Kingdom",
    "London, UK",
    "Cambridge, United Kingdom",
    "Paris, France",
    "Berlin, Germany",
    "Munich, Germany",
    "Zurich, Switzerland",
    "Amsterdam, Netherlands",
    "Dublin, Ireland",
    "Tel Aviv, Israel",
    "Bangalore, India",
    "Singapore, Singapore",
    "Tokyo, Japan",
    "Seoul, South Korea",
    "Sydney, Australia",
)
PLACE_WEIGHTS = (20, 6, 3, 6, 10, 3, 3, 2, 8, 2, 6, 2, 1, 2, 2, 1, 1, 1, 1, 1, 2, 1, 1, 1, 1)
TEAMS = (
    "Research",
    "Pretraining",
    "Post-Training",
    "Inference",
    "Platform",
    "Applied AI",
    "Safety",
    "Robotics",
    "Data",
    "Security",
    "Sales",
    "Recruiting",
    "Finance",
    "Hardware",
    "Product",
    "Developer Relations",
)
DEPARTMENTS = ("Research", "Engineering", "Product", "Go-to-Market", "Operations", "G&A")
WORKPLACES = ("onsite", "hybrid", "remote", None)
WORKPLACE_WEIGHTS = (45, 30, 20, 5)
ATS = ("greenhouse", "lever", "ashby", "workday", "smartrecruiters")
# Non-USD bands and the rate their annual figures are converted with.
CURRENCIES = (("GBP", 1.27), ("EUR", 1.08), ("CAD", 0.73))
WORDS = [
    "train",
    "evaluate",
    "deploy",
    "frontier",
    "models",
    "systems",
    "inference",
    "pretraining",
    "alignment",
    "robots",
    "simulation",
    "agents",
    "tooling",
    "kernels",
    "clusters",
    "datasets",
    "reliability",
    "customers",
    "partners",
    "research",
    "product",
    "safety",
    "multimodal",
    "video",
    "audio",
    "language",
    "reasoning",
    "planning",
    "hardware",
    "accelerators",
    "compilers",
    "distributed",
    "storage",
    "networking",
    "observability",
    "latency",
    "quality",
]


def cache_dir() -> Path:
    return Path(os.environ.get("TALENTFLOW_BENCH_CACHE", "~/.cache/talentflow-bench")).expanduser()


def dataset_key(postings: int) -> str:
    return f"readside-v{GENERATOR_VERSION}-{postings}"


# -- the plan ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CompanyPlan:
    id: int
    name: str
    size: int  # postings over the year
    teams: tuple[str, ...]


@dataclass(frozen=True)
class BoardPlan:
    id: int
    company_id: int
    ats: str
    token: str


@dataclass
class PostingPlan:
    """One posting's whole life; ids grow with first sight, as ingest assigns them."""

    id: int
    board: BoardPlan
    first_seen_at: datetime
    closed_at: datetime | None
    reopened_at: datetime | None  # closed once at ``first_close`` and came back
    first_close: datetime | None
    row: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Plan:
    start: datetime
    end: datetime
    companies: list[CompanyPlan]
    boards: list[BoardPlan]
    postings: int
    seed: int


def make_plan(
    postings: int = DEFAULT_POSTINGS, *, seed: int = 12, end: datetime | None = None
) -> Plan:
    """Companies with Zipf-like sizes (the largest ~20k postings a year, the smallest ~200),
    a board each and a second one for some."""
    rng = random.Random(seed)
    end = end or datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    start = end - timedelta(days=DAYS)
    weights = [1.0 / (rank + 10) for rank in range(COMPANIES)]
    total = sum(weights)
    sizes = [max(1, round(postings * w / total)) for w in weights]
    sizes[0] += postings - sum(sizes)
    companies = [
        CompanyPlan(
            id=i + 1,
            name=f"Company {i + 1:04d}",
            size=sizes[i],
            teams=tuple(rng.sample(TEAMS, rng.randint(4, len(TEAMS)))),
        )
        for i in range(COMPANIES)
    ]
    boards = [
        BoardPlan(i + 1, c.id, "greenhouse", f"company{c.id:04d}") for i, c in enumerate(companies)
    ]
    for c in companies[:SECOND_BOARDS]:
        boards.append(BoardPlan(len(boards) + 1, c.id, rng.choice(ATS[1:]), f"company{c.id:04d}-2"))
    return Plan(start, end, companies, boards, postings, seed)


def _pay(rng: random.Random, seniority: str) -> dict[str, Any]:
    none: dict[str, Any] = dict.fromkeys(
        (
            "pay_min",
            "pay_max",
            "pay_currency",
            "pay_period",
            "pay_annual_min",
            "pay_annual_max",
            "pay_annual_min_usd",
            "pay_annual_max_usd",
            "pay_source",
        )
    )
    if rng.random() >= PAY_SHARE:
        return none
    level = SENIORITIES.index(seniority)
    base = rng.lognormvariate(math.log(110_000 + 25_000 * level), 0.3)
    low = round(base / 5_000) * 5_000
    high = round(low * rng.uniform(1.2, 1.7) / 5_000) * 5_000
    kind = rng.random()
    source = "structured" if rng.random() < 0.8 else "text"
    if kind < 0.06:  # hourly, annualised at 2080 hours
        hour_low, hour_high = round(low / 2080), round(high / 2080)
        return {
            "pay_min": hour_low,
            "pay_max": hour_high,
            "pay_currency": "USD",
            "pay_period": "hour",
            "pay_annual_min": hour_low * 2080.0,
            "pay_annual_max": hour_high * 2080.0,
            "pay_annual_min_usd": hour_low * 2080.0,
            "pay_annual_max_usd": hour_high * 2080.0,
            "pay_source": source,
        }
    if kind < 0.18:
        currency, rate = rng.choice(CURRENCIES)
        local_low, local_high = round(low / rate, -3), round(high / rate, -3)
        return {
            "pay_min": local_low,
            "pay_max": local_high,
            "pay_currency": currency,
            "pay_period": "year",
            "pay_annual_min": local_low,
            "pay_annual_max": local_high,
            "pay_annual_min_usd": round(local_low * rate, 2),
            "pay_annual_max_usd": round(local_high * rate, 2),
            "pay_source": source,
        }
    return {
        "pay_min": float(low),
        "pay_max": float(high),
        "pay_currency": "USD",
        "pay_period": "year",
        "pay_annual_min": float(low),
        "pay_annual_max": float(high),
        "pay_annual_min_usd": float(low),
        "pay_annual_max_usd": float(high),
        "pay_source": source,
    }


def _bodies(rng: random.Random, count: int = 4096) -> list[str]:
    """Description bodies to draw from (drawing every word of every posting costs minutes)."""
    return [" ".join(rng.choices(WORDS, k=rng.randint(90, 160))) + "." for _ in range(count)]


def _description(rng: random.Random, title: str, topics: Sequence[str], bodies: list[str]) -> str:
    extra = " ".join(TOPIC_WORDS[t].lower() for t in topics)
    return f"{title}. {extra}. {rng.choice(bodies)}"


def posting_plans(plan: Plan) -> Iterator[PostingPlan]:
    """Every posting, in the order it was first seen; deterministic for a plan's seed."""
    rng = random.Random(plan.seed + 1)
    boards_of: dict[int, list[BoardPlan]] = {}
    for board in plan.boards:
        boards_of.setdefault(board.company_id, []).append(board)
    companies = plan.companies
    cum: list[int] = []
    running = 0
    for c in companies:
        running += c.size
        cum.append(running)
    span = (plan.end - plan.start).total_seconds()
    # Arrival times, sorted, so ids grow with first sight; a company drawn in proportion to size.
    times = sorted(rng.random() * span for _ in range(plan.postings))
    bodies = _bodies(rng)
    recent: dict[int, list[int]] = {}  # company → ids of some earlier postings (for reposts)
    counters: dict[int, int] = {}
    for n, offset in enumerate(times, start=1):
        company = companies[_bisect(cum, rng.randrange(running))]
        board = rng.choice(boards_of[company.id])
        first_seen = plan.start + timedelta(
            seconds=int(offset // 3600 * 3600 + 60 * rng.randint(0, 5))
        )
        life = timedelta(days=rng.expovariate(1.0 / MEAN_LIFETIME_DAYS))
        closed_at: datetime | None = _run_time(first_seen + life)
        first_close = reopened_at = None
        if closed_at is not None and closed_at >= plan.end:
            closed_at = None
        if closed_at is not None and rng.random() < REOPEN_SHARE:
            back = _run_time(closed_at + timedelta(days=rng.uniform(1, 20)))
            if back < plan.end:  # it came back, and perhaps closed again
                first_close, reopened_at = closed_at, back
                again = _run_time(back + timedelta(days=rng.expovariate(1 / 30)))
                closed_at = again if again < plan.end and rng.random() < 0.5 else None
        counters[company.id] = counters.get(company.id, 0) + 1
        row = _row(rng, company, board, counters[company.id], bodies)
        earlier = recent.setdefault(company.id, [])
        if earlier and rng.random() < REPOST_SHARE:
            row["repost_of"] = rng.choice(earlier)
        if len(earlier) < 64:
            earlier.append(n)
        elif rng.random() < 0.05:
            earlier[rng.randrange(64)] = n
        yield PostingPlan(n, board, first_seen, closed_at, reopened_at, first_close, row)


def _bisect(cum: list[int], value: int) -> int:
    low, high = 0, len(cum) - 1
    while low < high:
        mid = (low + high) // 2
        if cum[mid] > value:
            high = mid
        else:
            low = mid + 1
    return low


def _run_time(moment: datetime) -> datetime:
    """Boards are scraped hourly: things are noticed on the hour."""
    return moment.replace(minute=0, second=0, microsecond=0)


def _row(
    rng: random.Random, company: CompanyPlan, board: BoardPlan, serial: int, bodies: list[str]
) -> dict[str, Any]:
    function = rng.choices(FUNCTIONS, FUNCTION_WEIGHTS)[0] if rng.random() > 0.03 else None
    seniority = rng.choices(SENIORITIES, SENIORITY_WEIGHTS)[0] if rng.random() > 0.03 else None
    count = rng.choices((0, 1, 2, 3), (25, 40, 25, 10))[0]
    topics = sorted(set(rng.choices(TOPICS, TOPIC_WEIGHTS, k=count)))
    role = rng.choice(ROLES[function or "other"])
    level = LEVEL_WORDS[seniority or "mid"]
    area = f", {TOPIC_WORDS[topics[0]]}" if topics else ""
    title = " ".join(part for part in (level, role) if part) + area
    places = sorted(
        set(rng.choices(PLACES, PLACE_WEIGHTS, k=rng.choices((1, 2, 3), (70, 22, 8))[0]))
    )
    team = rng.choice(company.teams) if rng.random() > 0.05 else None
    external = f"{board.token}-{serial}"
    return {
        "board_id": board.id,
        "company_id": company.id,
        "external_id": external,
        "title": title,
        "team": team,
        "department": rng.choice(DEPARTMENTS),
        "locations": places,
        "workplace": rng.choices(WORKPLACES, WORKPLACE_WEIGHTS)[0],
        "employment_type": "full_time" if rng.random() < 0.93 else "contract",
        **_pay(rng, seniority or "mid"),
        "topics": topics,
        "function": function,
        "seniority": seniority,
        "url": f"https://jobs.example.com/{board.token}/{serial}",
        "description": _description(rng, title, topics, bodies),
        "content_hash": hashlib.sha256(f"{external}:{title}".encode()).hexdigest(),
        "repost_key": repost_key(title, places),
        "repost_of": None,
        "missing_runs": 0,
    }


# -- rows ---------------------------------------------------------------------------------------


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def posting_row(p: PostingPlan, plan: Plan) -> dict[str, Any]:
    last_seen = (p.closed_at or plan.end) - timedelta(hours=1)
    return {
        "id": p.id,
        **p.row,
        "posted_at": p.first_seen_at - timedelta(days=1),
        "updated_at": p.first_seen_at,
        "first_seen_at": p.first_seen_at,
        "last_seen_at": max(last_seen, p.first_seen_at),
        "closed_at": p.closed_at,
        "status": "closed" if p.closed_at is not None else "open",
    }


def _event_data(
    row: dict[str, Any], company: str, ats: str, status: str, closed: datetime | None
) -> dict[str, Any]:
    # The posting as events carry it (``store.serialize.posting_dict``), without a description.
    pay = None
    if row["pay_currency"] is not None:
        pay = {
            "min": row["pay_min"],
            "max": row["pay_max"],
            "currency": row["pay_currency"],
            "period": row["pay_period"],
            "annual_min": row["pay_annual_min"],
            "annual_max": row["pay_annual_max"],
            "annual_min_usd": row["pay_annual_min_usd"],
            "annual_max_usd": row["pay_annual_max_usd"],
            "source": row["pay_source"],
        }
    return {
        "posting": {
            "id": row["id"],
            "company": company,
            "ats": ats,
            "external_id": row["external_id"],
            "title": row["title"],
            "team": row["team"],
            "department": row["department"],
            "locations": row["locations"],
            "workplace": row["workplace"],
            "employment_type": row["employment_type"],
            "pay": pay,
            "topics": row["topics"],
            "function": row["function"],
            "seniority": row["seniority"],
            "url": row["url"],
            "posted_at": _iso(row["posted_at"]),
            "first_seen_at": _iso(row["first_seen_at"]),
            "last_seen_at": _iso(row["last_seen_at"]),
            "closed_at": _iso(closed),
            "status": status,
            "repost_of": row["repost_of"],
        }
    }


def lifecycle_rows(
    p: PostingPlan, row: dict[str, Any], company: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The events and history rows the posting's life wrote, as ingest writes them."""
    events = [
        {
            "type": "posting.opened",
            "created_at": p.first_seen_at,
            "posting_id": p.id,
            "data": _event_data(row, company, p.board.ats, "open", None),
        }
    ]
    changes: list[dict[str, Any]] = []

    def status(at: datetime, old: str, new: str) -> None:
        changes.append({"posting_id": p.id, "at": at, "field": "status", "old": old, "new": new})
        kind = "posting.closed" if new == "closed" else "posting.opened"
        data = _event_data(row, company, p.board.ats, new, at if new == "closed" else None)
        if new == "open":
            data["reopened"] = True
        events.append({"type": kind, "created_at": at, "posting_id": p.id, "data": data})

    if p.first_close is not None and p.reopened_at is not None:
        status(p.first_close, "open", "closed")
        status(p.reopened_at, "closed", "open")
    if p.closed_at is not None:
        status(p.closed_at, "open", "closed")
    if p.id % 29 == 0:  # a title edit now and then
        at = p.first_seen_at + timedelta(days=3)
        if p.closed_at is None or at < p.closed_at:
            changes.append(
                {
                    "posting_id": p.id,
                    "at": at,
                    "field": "title",
                    "old": row["title"] + " (draft)",
                    "new": row["title"],
                }
            )
    if p.id % 37 == 0 and row["pay_currency"] is not None:
        at = p.first_seen_at + timedelta(days=5)
        if p.closed_at is None or at < p.closed_at:
            changes.append(
                {
                    "posting_id": p.id,
                    "at": at,
                    "field": "pay",
                    "old": None,
                    "new": {"min": row["pay_min"]},
                }
            )
            events.append(
                {
                    "type": "posting.pay_changed",
                    "created_at": at,
                    "posting_id": p.id,
                    "data": {
                        **_event_data(row, company, p.board.ats, "open", None),
                        "previous_pay": None,
                    },
                }
            )
    return events, changes


# -- sinks --------------------------------------------------------------------------------------


class Sink(Protocol):
    """Where a planned history is written."""

    def companies_and_boards(self, plan: Plan) -> None: ...

    def postings(self, plan: Plan, batch: list[PostingPlan]) -> None: ...

    def runs(self, plan: Plan) -> None: ...

    def finish(self) -> None: ...


class CoreSink:
    """Bulk ``executemany`` of the rows, one transaction per batch."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.names: dict[int, str] = {}

    def _insert(self, conn: Connection, model: Any, rows: list[dict[str, Any]]) -> None:
        """A Core ``executemany`` into an untyped view of the table, the values converted here
        once: the typed columns' per-value processing would cost more than the database."""
        if not rows:
            return
        names = list(rows[0])
        model_table = _table(model)
        target = table(model_table.name, *(column(name) for name in names))
        convert = _sqlite_value if conn.dialect.name == "sqlite" else _pg_value
        # A JSON column holds JSON text whatever the value (a plain string too: quoted).
        json_columns = {c.name for c in model_table.columns if isinstance(c.type, JSON)}

        def value(name: str, raw: Any) -> Any:
            if name in json_columns and raw is not None:
                return json.dumps(raw)
            return convert(raw)

        conn.execute(target.insert(), [{n: value(n, row[n]) for n in names} for row in rows])

    def companies_and_boards(self, plan: Plan) -> None:
        created = plan.start - timedelta(days=1)
        self.names = {c.id: c.name for c in plan.companies}
        with self.engine.begin() as conn:
            self._insert(
                conn,
                Company,
                [{"id": c.id, "name": c.name, "created_at": created} for c in plan.companies],
            )
            self._insert(
                conn,
                Board,
                [
                    {
                        "id": b.id,
                        "key": f"{b.ats}:{b.token}",
                        "company_id": b.company_id,
                        "ats": b.ats,
                        "token": b.token,
                        "ever_nonempty": True,
                        "drop_streak": 0,
                        "last_run_at": plan.end - timedelta(hours=1),
                        "last_ok_at": plan.end - timedelta(hours=1),
                        "created_at": created,
                    }
                    for b in plan.boards
                ],
            )

    def postings(self, plan: Plan, batch: list[PostingPlan]) -> None:
        rows = [posting_row(p, plan) for p in batch]
        events: list[dict[str, Any]] = []
        changes: list[dict[str, Any]] = []
        for p, row in zip(batch, rows, strict=True):
            more_events, more_changes = lifecycle_rows(p, row, self.names[p.board.company_id])
            events += more_events
            changes += more_changes
        events.sort(key=lambda e: e["created_at"])
        with self.engine.begin() as conn:
            self._insert(conn, Posting, rows)
            self._insert(conn, PostingChange, changes)
            self._insert(conn, Event, events)

    def runs(self, plan: Plan) -> None:
        """One ok run a day per board over the last ``RUN_DAYS`` days."""
        rows: list[dict[str, Any]] = []
        for day in range(DAYS - RUN_DAYS, DAYS):
            at = plan.start + timedelta(days=day, hours=8)
            for b in plan.boards:
                rows.append(
                    {
                        "board_id": b.id,
                        "started_at": at,
                        "finished_at": at + timedelta(seconds=3),
                        "outcome": "ok",
                        "suspicious": False,
                        "seen": 100,
                        "new": 3,
                        "changed": 1,
                        "closed": 2,
                        "reopened": 0,
                        "missing": 0,
                    }
                )
            if len(rows) >= BATCH * 4:
                with self.engine.begin() as conn:
                    self._insert(conn, ScrapeRun, rows)
                rows = []
        with self.engine.begin() as conn:
            self._insert(conn, ScrapeRun, rows)

    def finish(self) -> None:
        if self.engine.dialect.name == "postgresql":  # explicit ids: move the sequences past them
            with self.engine.begin() as conn:
                for table in (
                    "company",
                    "board",
                    "posting",
                    "posting_change",
                    "event",
                    "scrape_run",
                ):
                    conn.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                            f"coalesce((SELECT max(id) FROM {table}), 1))"
                        )
                    )


def _sqlite_value(value: Any) -> Any:
    # SQLAlchemy's SQLite DATETIME storage format (naive UTC, as ``store.types`` binds it).
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.isoformat(sep=" ", timespec="microseconds")
    if isinstance(value, list | dict):
        return json.dumps(value)
    return value


def _pg_value(value: Any) -> Any:
    return json.dumps(value) if isinstance(value, list | dict) else value


def _table(model: Any) -> Table:
    table: Table = model.__table__
    return table


def write(plan: Plan, sink: Sink, *, progress: bool = True) -> None:
    begin = time.perf_counter()
    sink.companies_and_boards(plan)
    batch: list[PostingPlan] = []
    done = 0
    for posting in posting_plans(plan):
        batch.append(posting)
        if len(batch) >= BATCH:
            sink.postings(plan, batch)
            done += len(batch)
            batch = []
            if progress and done % 100_000 == 0:
                print(f"  … {done:,} postings in {time.perf_counter() - begin:.0f} s", flush=True)
    if batch:
        sink.postings(plan, batch)
    sink.runs(plan)
    sink.finish()


# -- databases ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dataset:
    url: str
    dialect: str
    key: str
    generated_in_s: float | None  # None when it came from the cache


def sqlite_dataset(postings: int = DEFAULT_POSTINGS) -> Dataset:
    """The cached SQLite file, generated first if missing (then migrated to the newest schema)."""
    path = cache_dir() / f"{dataset_key(postings)}.db"
    url = f"sqlite:///{path}"
    took = None
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial.db")
        for stale in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
            stale.unlink(missing_ok=True)
        print(f"generating {postings:,} postings into {path} (once; cached) …", flush=True)
        begin = time.perf_counter()
        partial_url = f"sqlite:///{partial}"
        upgrade(partial_url, DATA_REVISION)
        engine = make_engine(partial_url)
        with engine.connect() as conn:  # a generated file needs no crash safety while it fills
            conn.exec_driver_sql("PRAGMA journal_mode=DELETE")
        engine.dispose()
        engine = create_engine(partial_url)
        _fast_sqlite(engine)
        write(make_plan(postings), CoreSink(engine))
        engine.dispose()
        partial.rename(path)
        took = time.perf_counter() - begin
    upgrade(url)
    _repair_json(url)
    return Dataset(url, "sqlite", dataset_key(postings), took)


def _repair_json(url: str) -> None:
    """Files written before the JSON columns were always encoded hold title changes as bare
    text, which a posting's history cannot read: quote them (once; a no-op afterwards)."""
    engine = make_engine(url)
    with engine.begin() as conn:
        for name in ("old", "new"):
            conn.exec_driver_sql(
                f"UPDATE posting_change SET {name} = json_quote({name}) "
                f"WHERE field = 'title' AND {name} IS NOT NULL AND NOT json_valid({name})"
            )
    engine.dispose()


def _fast_sqlite(engine: Engine) -> None:
    from sqlalchemy import event

    def pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.execute("PRAGMA cache_size=-400000")
        cursor.close()

    event.listen(engine, "connect", pragmas)


def pg_dataset(url: str, postings: int = DEFAULT_POSTINGS) -> Dataset:
    """The PostgreSQL database at ``url`` (created if missing), filled once for this key."""
    key = dataset_key(postings)
    parsed = make_url(url)
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": parsed.database}
        ).first()
        if exists is None:
            conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE IF NOT EXISTS bench_meta (key text PRIMARY KEY)"))
        ready = conn.execute(text("SELECT key FROM bench_meta")).scalar()
    took = None
    if ready != key:
        print(
            f"generating {postings:,} postings into {parsed.render_as_string()} (once) …",
            flush=True,
        )
        begin = time.perf_counter()
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
        upgrade(url, DATA_REVISION)
        engine = make_engine(url)
        write(make_plan(postings), CoreSink(engine))
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE IF NOT EXISTS bench_meta (key text PRIMARY KEY)"))
            conn.execute(text("DELETE FROM bench_meta"))
            conn.execute(text("INSERT INTO bench_meta VALUES (:k)"), {"k": key})
        took = time.perf_counter() - begin
    engine.dispose()
    upgrade(url)
    # A database in service has been vacuumed by autovacuum long since; a freshly written one
    # has no visibility map yet, and every index-only scan would read the table as well.
    vacuum = create_engine(make_url(url), isolation_level="AUTOCOMMIT")
    with vacuum.connect() as conn:
        conn.execute(text("VACUUM (ANALYZE)"))
    vacuum.dispose()
    return Dataset(url, "postgresql", key, took)
