"""The leader's schedule on PostgreSQL: a board's first tick follows from what the database
knows, so a new leader keeps the old one's cadence."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from sqlalchemy import text
from sqlmodel import SQLModel

from scrapers.models import BoardConfig
from service.queue import defer_board, libpq_conninfo, make_queue_app
from service.queue_schema import ensure_queue_schema
from service.scheduler import board_job_id, build_queue_scheduler
from service.settings import Settings
from service.sources import Sources
from store.engine import make_engine, session_scope
from store.ingest import get_or_create_board
from store.types import utcnow
from tests.conftest import PgDatabases


def test_first_ticks_follow_runs_and_queued_jobs(pg_databases: PgDatabases, tmp_path: Path) -> None:
    url = pg_databases.create()
    engine = make_engine(url)
    SQLModel.metadata.create_all(engine)
    ensure_queue_schema(libpq_conninfo(url))
    settings = Settings(database_url=url, schedule_interval_seconds=60)
    never, recent, overdue, queued = (
        BoardConfig(company=name, ats="greenhouse", token=name)
        for name in ("never", "recent", "overdue", "queued")
    )
    now = utcnow()
    with session_scope(engine) as session:
        for board, ago in ((recent, 10), (overdue, 100), (queued, 100)):
            get_or_create_board(session, board).last_run_at = now - timedelta(seconds=ago)
    sources = Sources(path=tmp_path / "s.toml", boards=[never, recent, overdue, queued])

    async def schedule() -> dict[str, object]:
        async with make_queue_app(settings).open_async() as queue:
            await defer_board(queue, queued)  # waiting in the queue, deferred 20 s ago
            with engine.begin() as conn:
                conn.execute(text("UPDATE procrastinate_events SET at = now() - interval '20 s'"))
            scheduler = build_queue_scheduler(engine, settings, sources, queue, now=now)
            scheduler.start(paused=True)
            try:
                return {j.id: j.next_run_time for j in scheduler.get_jobs()}
            finally:
                scheduler.shutdown(wait=False)

    first = asyncio.run(schedule())
    engine.dispose()

    def offset(board: BoardConfig) -> float:
        return (first[board_job_id(board)] - now).total_seconds()  # type: ignore[operator]

    assert offset(never) == 0  # never run: the first of the start-up spread
    assert abs(offset(recent) - 50) < 1  # one interval after its last run
    assert offset(overdue) == 0  # its tick fell between leaders: queued at once
    assert abs(offset(queued) - 40) < 2  # one interval after its waiting job was queued
    assert "queue:requeue-stalled" in first and "webhooks:deliver" in first
    assert "generation:fold-ended-backends" in first  # the data generation's table stays small
