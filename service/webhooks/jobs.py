"""The dispatcher inside ``talentflow run``: an interval job that makes one delivery pass."""

from __future__ import annotations

import logging

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.engine import Engine

from service.settings import Settings
from service.webhooks.dispatcher import deliver_due

log = logging.getLogger(__name__)

DISPATCHER_JOB_ID = "webhooks:deliver"


async def deliver_job(engine: Engine, settings: Settings) -> None:
    try:
        result = await deliver_due(engine, settings)
    except Exception:  # keep the scheduler alive; the next pass retries
        log.exception("webhook delivery pass failed")
        return
    if result.attempted:
        log.info(
            "webhooks: %d attempted, %d delivered, %d to retry, %d failed",
            result.attempted,
            result.delivered,
            result.retrying,
            result.failed,
        )


def add_dispatcher_job(scheduler: BaseScheduler, engine: Engine, settings: Settings) -> None:
    """Every few seconds; ``max_instances=1`` so a long pass is never run twice at once."""
    scheduler.add_job(
        deliver_job,
        IntervalTrigger(seconds=settings.webhook_poll_seconds),
        id=DISPATCHER_JOB_ID,
        name="deliver webhooks",
        args=[engine, settings],
        max_instances=1,
        coalesce=True,
        replace_existing=True,
    )
