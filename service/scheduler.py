"""Scheduling for ``talentflow run``: one APScheduler 3.x job per board and per feed."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger
from fastapi import FastAPI
from sqlalchemy.engine import Engine

from scrapers.http import Fetcher, open_fetcher
from scrapers.models import BoardConfig
from service.news import scrape_feeds
from service.scrape import scrape_boards
from service.settings import Settings
from service.sources import FeedConfig, Sources
from service.webhooks.jobs import add_dispatcher_job

log = logging.getLogger(__name__)

MISFIRE_GRACE_SECONDS = 300
FIRST_RUN_SPREAD_SECONDS = 60  # the first cycle after start-up is spread over this window


def board_job_id(board: BoardConfig) -> str:
    return f"board:{board.key}"


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
    scheduler = AsyncIOScheduler(
        timezone=UTC,
        job_defaults={
            "coalesce": True,
            "max_instances": 1,
            "misfire_grace_time": MISFIRE_GRACE_SECONDS,
        },
    )
    interval = sources.interval_minutes
    # Jitter keeps boards from firing together: a tenth of the interval, at most 5 minutes.
    jitter = min(interval * 6, 300)
    start = now or datetime.now(UTC)
    boards = sources.boards
    for index, board in enumerate(boards):
        offset = FIRST_RUN_SPREAD_SECONDS * index / max(len(boards), 1)
        scheduler.add_job(
            _scrape_job,
            IntervalTrigger(minutes=interval, jitter=jitter, timezone=UTC),
            id=board_job_id(board),
            name=f"scrape {board.company} ({board.ats})",
            args=[engine, settings, board, fetcher],
            next_run_time=start + timedelta(seconds=offset),
            replace_existing=True,
        )
    for index, feed in enumerate(sources.feeds):
        offset = FIRST_RUN_SPREAD_SECONDS * index / max(len(sources.feeds), 1)
        scheduler.add_job(
            _feed_job,
            IntervalTrigger(minutes=interval, jitter=jitter, timezone=UTC),
            id=feed_job_id(feed),
            name=f"read feed {feed.name}",
            args=[engine, settings, feed, sources, fetcher],
            next_run_time=start + timedelta(seconds=offset),
            replace_existing=True,
        )
    return scheduler


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
        (summary,) = await scrape_boards(engine, settings, [board], fetcher=fetcher)
        log.info(
            "scraped %s: %s (%d seen, %d new, %d closed)",
            board.key,
            summary.outcome,
            summary.seen,
            summary.new,
            summary.closed,
        )
    except Exception:  # keep the scheduler alive; the failure is in the log
        log.exception("scrape of %s failed outside the run bookkeeping", board.key)


def scheduler_lifespan(engine: Engine, settings: Settings, sources: Sources):  # type: ignore[no-untyped-def]
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
