"""Prometheus metrics: what this process scraped, and what the database holds right now.

Counters and the duration histogram live in the process that ran the scrapes (`run`, or each
`worker`, which can expose them with ``--metrics-port``): scrape every such process. Gauges that
describe the database (open postings, queue depth, deliveries) are read by a collector at
scrape time with a few indexed queries, so any API process's ``/metrics`` shows them.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import func, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import select

from service.scrape import RunSummary
from store.models import Delivery, Event, Posting
from store.types import utcnow

log = logging.getLogger(__name__)

BOARD_RUNS = Counter(
    "talentflow_board_runs",
    "Board runs recorded by this process, by ATS and outcome.",
    ["ats", "outcome"],
)
POSTINGS_NEW = Counter(
    "talentflow_postings_new", "Postings first seen by this process's runs.", ["ats"]
)
POSTINGS_CLOSED = Counter(
    "talentflow_postings_closed", "Postings closed by this process's runs.", ["ats"]
)
SCRAPE_SECONDS = Histogram(
    "talentflow_scrape_duration_seconds",
    "Wall time of one board run (fetch, enrich, ingest), by ATS.",
    ["ats"],
    buckets=(0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600),
)
QUEUE_STATUSES = ("todo", "doing")


def record_board_run(summary: RunSummary, seconds: float) -> None:
    ats = summary.board.ats
    BOARD_RUNS.labels(ats=ats, outcome=summary.outcome).inc()
    POSTINGS_NEW.labels(ats=ats).inc(summary.new)
    POSTINGS_CLOSED.labels(ats=ats).inc(summary.closed)
    SCRAPE_SECONDS.labels(ats=ats).observe(seconds)


class DatabaseCollector(Collector):
    """Gauges read from the database whenever /metrics is scraped."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def describe(self) -> list[Metric]:
        return []  # values come from the database at collect time only

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily("talentflow_database_up", "1 when the database answered.")
        try:
            with self.engine.connect() as conn:
                families = list(self._families(conn))
        except SQLAlchemyError as exc:
            log.warning("metrics: database unavailable: %s", exc)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield from families

    def _families(self, conn: Connection) -> Iterator[Metric]:
        open_count = conn.execute(
            select(func.count()).select_from(Posting).where(Posting.status == "open")
        ).scalar_one()
        yield GaugeMetricFamily(
            "talentflow_postings_open", "Postings open now.", value=float(open_count)
        )

        deliveries = GaugeMetricFamily(
            "talentflow_deliveries", "Webhook deliveries by status.", labels=["status"]
        )
        counts = dict(
            conn.execute(
                select(Delivery.status, func.count())
                .where(Delivery.status.in_(("pending", "failed")))  # type: ignore[attr-defined]
                .group_by(Delivery.status)
            ).all()
        )
        for status in ("pending", "failed"):
            deliveries.add_metric([status], float(counts.get(status, 0)))
        yield deliveries

        oldest: datetime | None = conn.execute(
            select(func.min(Event.created_at))
            .join(Delivery, Delivery.event_id == Event.id)  # type: ignore[arg-type]
            .where(Delivery.status == "pending")
        ).scalar_one()
        age = 0.0 if oldest is None else max((utcnow() - _aware(oldest)).total_seconds(), 0.0)
        yield GaugeMetricFamily(
            "talentflow_oldest_undelivered_event_age_seconds",
            "Age of the oldest event with a delivery still pending (0 when none).",
            value=age,
        )
        yield from _queue_families(conn)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _queue_families(conn: Connection) -> Iterator[Metric]:
    if conn.dialect.name != "postgresql":
        return  # SQLite deployments have no queue: `run` scrapes in its own process
    if conn.execute(text("SELECT to_regclass('procrastinate_jobs')")).scalar() is None:
        return
    rows = conn.execute(
        text(
            "SELECT status::text, count(*) FROM procrastinate_jobs "
            "WHERE status IN ('todo', 'doing') GROUP BY status"
        )
    ).all()
    counts = {status: count for status, count in rows}
    jobs = GaugeMetricFamily(
        "talentflow_queue_jobs",
        "Board scrape jobs in the task queue: todo (the queue depth) and doing.",
        labels=["status"],
    )
    for status in QUEUE_STATUSES:
        jobs.add_metric([status], float(counts.get(status, 0)))
    yield jobs


def exposition(engine: Engine) -> bytes:
    """This process's counters and histograms, then the database's gauges."""
    database = CollectorRegistry(auto_describe=False)
    database.register(DatabaseCollector(engine))
    return generate_latest(REGISTRY) + generate_latest(database)


router = APIRouter(tags=["metrics"])


@router.get("/metrics", include_in_schema=False)
def metrics(request: Request) -> Response:
    return Response(exposition(request.app.state.engine), media_type=CONTENT_TYPE_LATEST)
