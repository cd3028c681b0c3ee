"""The board-scrape task queue: procrastinate on the deployment's PostgreSQL database.

A job is one board scrape. It carries the board's configuration, so a worker scrapes exactly
what the scheduler queued, and it is deferred with the board's key as both its ``lock`` (two
jobs of one board never run at once) and its ``queueing_lock`` (a board is never waiting in the
queue twice: a tick that finds its previous job still queued is skipped).

What a worker needs to run a job (engine, settings, fetcher, rates, taxonomy) reaches the task
through procrastinate's ``additional_context``, built once per worker process.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import procrastinate
from procrastinate.exceptions import AlreadyEnqueued, UniqueViolation
from procrastinate.jobs import Status
from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url

from scrapers.currency import Rates
from scrapers.enrich import Classifier
from scrapers.http import Fetcher
from scrapers.models import BoardConfig
from service.logs import log_board_run
from service.metrics import record_board_run
from service.scrape import scrape_board
from service.settings import Settings

log = logging.getLogger(__name__)

SCRAPE_TASK = "talentflow.scrape_board"
QUEUE = "boards"
CONTEXT_KEY = "talentflow"


@dataclass(frozen=True)
class WorkerContext:
    """Built once per worker process and handed to every job it runs."""

    engine: Engine
    settings: Settings
    fetcher: Fetcher
    rates: Rates
    classify: Classifier


def libpq_conninfo(database_url: str) -> str:
    """The SQLAlchemy URL (``postgresql+psycopg://…``) as a libpq connection string."""
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        raise ValueError(f"the task queue needs PostgreSQL, not {url.get_backend_name()}")
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def board_payload(board: BoardConfig) -> dict[str, Any]:
    return dataclasses.asdict(board)


def board_from_payload(payload: dict[str, Any]) -> BoardConfig:
    fields = {f.name for f in dataclasses.fields(BoardConfig)}
    return BoardConfig(**{k: v for k, v in payload.items() if k in fields})


def active_jobs_deferred_at(engine: Engine) -> dict[str, datetime]:
    """Per board key, when its job now waiting or running in the queue was deferred."""
    query = text(
        "SELECT j.lock, max(e.at) FROM procrastinate_jobs j "
        "JOIN procrastinate_events e ON e.job_id = j.id AND e.type = 'deferred' "
        "WHERE j.task_name = :task AND j.status IN ('todo', 'doing') GROUP BY j.lock"
    )
    with engine.connect() as conn:
        return {lock: at for lock, at in conn.execute(query, {"task": SCRAPE_TASK}) if lock}


def retry_strategy(settings: Settings) -> procrastinate.RetryStrategy:
    # A job raises only when the run could not be recorded at all (database trouble, a bug);
    # board failures are recorded as failed runs and are not retried before the next interval.
    return procrastinate.RetryStrategy(max_attempts=settings.queue_max_attempts, linear_wait=5)


async def scrape_board_job(context: procrastinate.JobContext, board: dict[str, Any]) -> None:
    ctx: WorkerContext = context.additional_context[CONTEXT_KEY]
    config = board_from_payload(board)
    job = context.job
    log.debug("%s: starting (job %s, attempt %d)", config.key, job.id, job.attempts + 1)
    started = time.perf_counter()
    summary = await scrape_board(
        ctx.engine, config, ctx.fetcher, rates=ctx.rates, classify=ctx.classify
    )
    seconds = time.perf_counter() - started
    record_board_run(summary, seconds)
    log_board_run(log, summary, seconds)


def make_queue_app(settings: Settings, jobs_at_once: int | None = None) -> procrastinate.App:
    """A procrastinate app on the configured database; open it before use."""
    connector = procrastinate.PsycopgConnector(
        conninfo=libpq_conninfo(settings.database_url),
        kwargs={"application_name": "talentflow-queue"},
        # A worker holds one connection to listen, one per job it is finishing, one to spare.
        min_size=1,
        max_size=(jobs_at_once or settings.board_concurrency) + 2,
    )
    app = procrastinate.App(connector=connector)
    app.task(name=SCRAPE_TASK, queue=QUEUE, pass_context=True, retry=retry_strategy(settings))(
        scrape_board_job
    )
    return app


async def defer_board(app: procrastinate.App, board: BoardConfig) -> int | None:
    """Queue one scrape of ``board``; None when its previous job is still waiting."""
    try:
        job_id = await app.configure_task(
            SCRAPE_TASK, lock=board.key, queueing_lock=board.key
        ).defer_async(board=board_payload(board))
    except AlreadyEnqueued:
        log.debug("%s: still queued from an earlier tick, not queued again", board.key)
        return None
    log.debug("%s: queued (job %d)", board.key, job_id)
    return job_id


async def requeue_stalled(app: procrastinate.App, settings: Settings) -> int:
    """Queue again the jobs of workers that stopped sending heartbeats (killed, frozen, cut
    off); their board's lock is released with them. Returns how many were queued again."""
    stalled = await app.job_manager.get_stalled_jobs(
        task_name=SCRAPE_TASK, seconds_since_heartbeat=settings.queue_stalled_seconds
    )
    count = 0
    for job in stalled:
        try:
            await app.job_manager.retry_job(job)
        except UniqueViolation:
            # A later tick already queued this board: that job is the retry. The stalled one is
            # dropped, which also frees the board's lock for the waiting job.
            log.warning(
                "job %s (%s): its worker stopped; the board's next job is queued", job.id, job.lock
            )
            await app.job_manager.finish_job(job, status=Status.FAILED, delete_job=True)
            continue
        log.warning("job %s (%s): its worker stopped; queued again", job.id, job.lock)
        count += 1
    return count
