"""``talentflow worker``: board scrapes pulled from the task queue (PostgreSQL only).

A worker runs up to ``concurrency`` board jobs at once over one fetcher (one set of per-host
limits for the process), sends procrastinate heartbeats, and by default also stands by for the
scheduler's leader lease, so the schedule survives the death of the process that runs it.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket

from sqlalchemy.engine import Engine

from scrapers.http import Fetcher, open_fetcher
from service.queue import CONTEXT_KEY, QUEUE, WorkerContext, make_queue_app
from service.scheduler import schedule_when_leader
from service.scrape import rates_for, taxonomy_for
from service.settings import Settings
from service.sources import Sources

log = logging.getLogger(__name__)

# A stopping worker finishes the boards it is on for at most this long, then gives them up;
# they are queued again (stalled-job recovery) once its heartbeat is gone.
SHUTDOWN_GRACE_SECONDS = 60.0


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


async def run_queue_worker(
    engine: Engine,
    settings: Settings,
    fetcher: Fetcher,
    *,
    concurrency: int,
    own_signals: bool = True,
) -> None:
    """Run board jobs until stopped (SIGINT/SIGTERM when ``own_signals``, else cancellation)."""
    context = WorkerContext(
        engine=engine,
        settings=settings,
        fetcher=fetcher,
        rates=rates_for(settings),
        classify=taxonomy_for(settings),
    )
    queue = make_queue_app(settings, concurrency)
    async with queue.open_async():
        name = worker_name()
        log.info("worker %s: up to %d boards at once", name, concurrency)
        await queue.run_worker_async(
            queues=[QUEUE],
            name=name,
            concurrency=concurrency,
            additional_context={CONTEXT_KEY: context},
            update_heartbeat_interval=settings.queue_heartbeat_seconds,
            stalled_worker_timeout=settings.queue_stalled_seconds,
            shutdown_graceful_timeout=SHUTDOWN_GRACE_SECONDS,
            delete_jobs="successful",  # the run itself is recorded as a ScrapeRun
            install_signal_handlers=own_signals,
        )
        log.info("worker %s stopped", name)


async def work(
    engine: Engine,
    settings: Settings,
    sources: Sources | None,
    *,
    concurrency: int,
) -> None:
    """The worker process: jobs, plus a standby for the schedule when ``sources`` is given."""
    async with open_fetcher(settings.http_policy) as fetcher:
        standby = (
            asyncio.create_task(schedule_when_leader(engine, settings, sources, fetcher))
            if sources is not None
            else None
        )
        try:
            await run_queue_worker(engine, settings, fetcher, concurrency=concurrency)
        finally:
            if standby is not None:
                standby.cancel()
                await asyncio.gather(standby, return_exceptions=True)
