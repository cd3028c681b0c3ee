"""The retry rules, kept apart from I/O so they can be read and tested on their own."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from scrapers.http import retry_after

# Delay before each retry, after the first attempt; the delivery fails after the last one.
RETRY_SCHEDULE: tuple[timedelta, ...] = (
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
    timedelta(hours=10),
)
MAX_ATTEMPTS = len(RETRY_SCHEDULE) + 1
JITTER = 0.1  # each delay is stretched or shrunk by up to 10 % so retries do not stampede
MAX_RETRY_AFTER = timedelta(hours=10)
DISABLE_AFTER_FAILING = timedelta(days=5)


@dataclass(frozen=True)
class Outcome:
    """What one attempt got back."""

    status_code: int | None
    error: str | None
    latency_ms: float | None
    retry_after: timedelta | None = None

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300

    @property
    def gone(self) -> bool:
        return self.status_code == 410


def retry_delay(attempts_made: int, rng: random.Random) -> timedelta | None:
    """Delay before the next attempt after ``attempts_made`` failed ones; None when exhausted."""
    if attempts_made >= MAX_ATTEMPTS:
        return None
    base = RETRY_SCHEDULE[attempts_made - 1]
    return base * (1 + rng.uniform(-JITTER, JITTER))


def parse_retry_after(value: str | None, now: datetime) -> timedelta | None:
    """``Retry-After`` as seconds or an HTTP date, bounded to [0, 10 h]; None if absent/bad."""
    delay = retry_after(value, now)
    return None if delay is None else min(delay, MAX_RETRY_AFTER)
