"""Scheduling: one APScheduler 3.x job per board and per feed.

On SQLite (``talentflow run`` alone) a board's job scrapes it in this process. On PostgreSQL the
schedule runs in one process at a time, the holder of the leader lease, and a board's job only
queues a scrape for the workers (``service.queue``); feeds and webhook deliveries still run in
the leader.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

import procrastinate
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger
from fastapi import FastAPI
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from scrapers.http import Fetcher, open_fetcher
from scrapers.models import BoardConfig
from service.leader import LeaderLease, lead_while_elected
from service.logs import log_board_run
from service.metrics import record_board_run
from service.news import scrape_feeds
from service.queue import (
    active_jobs_deferred_at,
    defer_board,
    libpq_conninfo,
    make_queue_app,
    requeue_stalled,
)
from service.scrape import scrape_boards
from service.settings import Settings
from service.sources import FeedConfig, Sources
from service.webhooks.jobs import add_dispatcher_job
from store.generation_triggers import fold_ended_backends
from store.models import Board

log = logging.getLogger(__name__)

MISFIRE_GRACE_SECONDS = 300
FIRST_RUN_SPREAD_SECONDS = 60  # the first cycle after start-up is spread over this window


STALLED_JOB_ID = "queue:requeue-stalled"
FOLD_JOB_ID = "generation:fold-ended-backends"
FOLD_INTERVAL_SECONDS = 3600


def board_job_id(board: BoardConfig) -> str:
    return f"board:{board.key}"


def interval_seconds(settings: Settings, sources: Sources) -> float:
    return settings.schedule_interval_seconds or sources.interval_minutes * 60.0


def _new_scheduler() -> AsyncIOScheduler:
    return AsyncIOScheduler(
        timezone=UTC,
        job_defaults={
            "coalesce": True,
            "max_instances": 1,
            "misfire_grace_time": MISFIRE_GRACE_SECONDS,
        },
    )


def _first_run(start: datetime, index: int, count: int, interval: float) -> datetime:
    # Never spread the first cycle wider than half an interval.
    spread = min(FIRST_RUN_SPREAD_SECONDS, interval / 2)
    return start + timedelta(seconds=spread * index / max(count, 1))


def build_scheduler(
    engine: Engine,
    settings: Settings,
    sources: Sources,
    now: datetime | None = None,
    *,
    fetcher: Fetcher | None = None,
) -> AsyncIOScheduler:
    """Jobs are added but nothing runs until ``start()`` inside a running event loop.

    Every job uses ``fetcher`` (one client, one set of per-host limits for the process); without
    it each job opens its own.
    """
    scheduler = _new_scheduler()
    interval = interval_seconds(settings, sources)
    # Jitter keeps boards from firing together: a tenth of the interval, at most 5 minutes.
    jitter = min(interval / 10, 300)
    start = now or datetime.now(UTC)
    boards = sources.boards
    for index, board in enumerate(boards):
        scheduler.add_job(
            _scrape_job,
            IntervalTrigger(seconds=interval, jitter=jitter, timezone=UTC),
            id=board_job_id(board),
            name=f"scrape {board.company} ({board.ats})",
            args=[engine, settings, board, fetcher],
            next_run_time=_first_run(start, index, len(boards), interval),
            replace_existing=True,
        )
    _add_feed_jobs(scheduler, engine, settings, sources, start, fetcher, jitter)
    return scheduler


def _add_feed_jobs(
    scheduler: AsyncIOScheduler,
    engine: Engine,
    settings: Settings,
    sources: Sources,
    start: datetime,
    fetcher: Fetcher | None,
    jitter: float,
) -> None:
    interval = interval_seconds(settings, sources)
    for index, feed in enumerate(sources.feeds):
        scheduler.add_job(
            _feed_job,
            IntervalTrigger(seconds=interval, jitter=jitter, timezone=UTC),
            id=feed_job_id(feed),
            name=f"read feed {feed.name}",
            args=[engine, settings, feed, sources, fetcher],
            next_run_time=_first_run(start, index, len(sources.feeds), interval),
            replace_existing=True,
        )


def last_runs(engine: Engine, boards: list[BoardConfig]) -> dict[str, datetime]:
    """When each board's last run finished, as the database records it."""
    keys = [b.key for b in boards]
    found: dict[str, datetime] = {}
    with Session(engine) as session:
        for start in range(0, len(keys), 1000):  # bounded IN lists
            rows = session.exec(
                select(Board.key, Board.last_run_at).where(
                    col(Board.key).in_(keys[start : start + 1000]),
                    col(Board.last_run_at).is_not(None),
                )
            ).all()
            for key, at in rows:
                if at is not None:
                    found[key] = at if at.tzinfo else at.replace(tzinfo=UTC)
    return found


def build_queue_scheduler(
    engine: Engine,
    settings: Settings,
    sources: Sources,
    queue: procrastinate.App,
    now: datetime | None = None,
    *,
    fetcher: Fetcher | None = None,
) -> AsyncIOScheduler:
    """The leader's schedule: every interval, one queued scrape per board.

    A leader that takes over keeps the cadence of the one before it: a board's first tick is
    one interval after its job now in the queue was deferred, or else after its last recorded
    run; boards never run are spread over the first minute, overdue ones queued now. No jitter:
    the queue absorbs the bursts, and each board's ticks stay one interval apart. A board whose
    previous job is still waiting is skipped for that tick (the job's queueing lock).
    """
    scheduler = _new_scheduler()
    interval = interval_seconds(settings, sources)
    step = timedelta(seconds=interval)
    start = now or datetime.now(UTC)
    boards = sources.boards
    anchors = last_runs(engine, boards)
    for key, at in active_jobs_deferred_at(engine).items():
        anchors[key] = max(anchors.get(key, at), at)
    # Boards never run are spread as on a first start; overdue ones (their tick fell in the
    # gap between two leaders, or in an outage) are queued at once.
    never = [b for b in boards if b.key not in anchors]
    first = {b.key: _first_run(start, i, len(never), interval) for i, b in enumerate(never)}
    first.update(
        {b.key: start for b in boards if b.key in anchors and anchors[b.key] + step <= start}
    )
    for board in boards:
        scheduler.add_job(
            _defer_job,
            IntervalTrigger(seconds=interval, timezone=UTC),
            id=board_job_id(board),
            name=f"queue {board.company} ({board.ats})",
            args=[queue, board],
            next_run_time=first.get(board.key) or anchors[board.key] + step,
            replace_existing=True,
        )
    _add_feed_jobs(scheduler, engine, settings, sources, start, fetcher, min(interval / 10, 300))
    scheduler.add_job(
        _requeue_stalled_job,
        IntervalTrigger(seconds=max(settings.queue_stalled_seconds / 3, 1.0), timezone=UTC),
        id=STALLED_JOB_ID,
        name="queue again the jobs of stopped workers",
        args=[queue, settings],
        replace_existing=True,
    )
    add_dispatcher_job(scheduler, engine, settings)  # webhooks go out from the leader
    scheduler.add_job(
        _fold_generation_job,
        IntervalTrigger(seconds=FOLD_INTERVAL_SECONDS, timezone=UTC),
        id=FOLD_JOB_ID,
        name="fold the data generation's rows of ended backends",
        args=[engine],
        replace_existing=True,
    )
    return scheduler


async def _defer_job(queue: procrastinate.App, board: BoardConfig) -> None:
    try:
        await defer_board(queue, board)
    except Exception:  # keep the scheduler alive; the board's next tick queues it
        log.exception("%s: could not be queued", board.key)


def _fold_generation(engine: Engine) -> int:
    with engine.begin() as conn:
        return fold_ended_backends(conn)


async def _fold_generation_job(engine: Engine) -> None:
    try:
        folded = await asyncio.to_thread(_fold_generation, engine)
        log.debug("data generation: folded the rows of %d ended backends", folded)
    except Exception:  # keep the scheduler alive; the next hour tries again
        log.exception("could not fold the data generation's rows")


async def _requeue_stalled_job(queue: procrastinate.App, settings: Settings) -> None:
    try:
        await requeue_stalled(queue, settings)
    except Exception:  # keep the scheduler alive; the next pass retries
        log.exception("looking for stalled jobs failed")


@asynccontextmanager
async def leading_schedule(
    engine: Engine, settings: Settings, sources: Sources, fetcher: Fetcher
) -> AsyncIterator[AsyncIOScheduler]:
    """The schedule, running for as long as the block lasts (the lease is held)."""
    async with make_queue_app(settings).open_async() as queue:
        scheduler = build_queue_scheduler(engine, settings, sources, queue, fetcher=fetcher)
        scheduler.start()
        log.info(
            "scheduler started: %d boards queued every %g s",
            len(sources.boards),
            interval_seconds(settings, sources),
        )
        try:
            yield scheduler
        finally:
            scheduler.shutdown(wait=False)
            log.info("scheduler stopped")


async def schedule_when_leader(
    engine: Engine, settings: Settings, sources: Sources, fetcher: Fetcher
) -> None:
    """Stand for the leader lease forever; run the schedule whenever this process holds it."""
    lease = LeaderLease(
        libpq_conninfo(settings.database_url), retry_seconds=settings.leader_retry_seconds
    )
    log.info("standing for the scheduler lease (retry every %g s)", lease.retry_seconds)
    await lead_while_elected(lease, lambda: leading_schedule(engine, settings, sources, fetcher))


def feed_job_id(feed: FeedConfig) -> str:
    return f"feed:{feed.url}"


async def _feed_job(
    engine: Engine,
    settings: Settings,
    feed: FeedConfig,
    sources: Sources,
    fetcher: Fetcher | None = None,
) -> None:
    try:
        (summary,) = await scrape_feeds(engine, settings, [feed], sources=sources, fetcher=fetcher)
        log.info(
            "read feed %s: %s (%d new items, %d hires)",
            feed.url,
            summary.outcome,
            summary.new_items,
            summary.hires,
        )
    except Exception:  # keep the scheduler alive; the failure is in the log
        log.exception("feed %s failed outside the run bookkeeping", feed.url)


async def _scrape_job(
    engine: Engine, settings: Settings, board: BoardConfig, fetcher: Fetcher | None = None
) -> None:
    try:
        started = time.perf_counter()
        (summary,) = await scrape_boards(engine, settings, [board], fetcher=fetcher)
        seconds = time.perf_counter() - started
        record_board_run(summary, seconds)
        log_board_run(log, summary, seconds)
    except Exception:  # keep the scheduler alive; the failure is in the log
        log.exception("scrape of %s failed outside the run bookkeeping", board.key)


def scheduler_lifespan(engine: Engine, settings: Settings, sources: Sources):  # type: ignore[no-untyped-def]
    """`talentflow run` on SQLite: the schedule scrapes in this process."""

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # One fetcher for the process: the per-host limit holds across all board and feed jobs.
        async with open_fetcher(settings.http_policy) as fetcher:
            scheduler = build_scheduler(engine, settings, sources, fetcher=fetcher)
            add_dispatcher_job(scheduler, engine, settings)  # webhooks go out from `run` too
            scheduler.start()
            log.info(
                "scheduler started with %d board jobs every %d minutes",
                len(sources.boards),
                sources.interval_minutes,
            )
            try:
                yield
            finally:
                scheduler.shutdown(wait=False)

    return lifespan


def queue_lifespan(engine: Engine, settings: Settings, sources: Sources, workers: int):  # type: ignore[no-untyped-def]
    """`talentflow run` on PostgreSQL: stand for the schedule, and run ``workers`` board jobs
    at once from the queue in this process (0: leave them to `talentflow worker` processes)."""
    from service.worker import run_queue_worker

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        async with open_fetcher(settings.http_policy) as fetcher:
            tasks = [asyncio.create_task(schedule_when_leader(engine, settings, sources, fetcher))]
            if workers:
                tasks.append(
                    asyncio.create_task(
                        run_queue_worker(
                            engine, settings, fetcher, concurrency=workers, own_signals=False
                        )
                    )
                )
            try:
                yield
            finally:
                for task in tasks:
                    task.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)

    return lifespan
