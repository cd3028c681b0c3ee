"""Logging for the long-running commands: one readable line per board run."""

from __future__ import annotations

import logging
import time

from service.scrape import RunSummary

# Times in UTC, ISO-8601 with milliseconds, like every other time talentflow shows.
LOG_FORMAT = "%(asctime)s.%(msecs)03dZ %(levelname)-7s %(name)s: %(message)s"
DATE_FORMAT = "%Y-%m-%dT%H:%M:%S"
# Our own packages log at the configured level; libraries (httpx logs every request,
# procrastinate and APScheduler every job) only from WARNING, so a run reads as one line a board.
OWN_PACKAGES = ("service", "store", "scrapers")


def configure_logging(level: str) -> None:
    formatter = logging.Formatter(LOG_FORMAT, DATE_FORMAT)
    formatter.converter = time.gmtime
    handler = logging.StreamHandler()
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(logging.WARNING)
    for name in OWN_PACKAGES:
        logging.getLogger(name).setLevel(level)


def board_run_line(summary: RunSummary, seconds: float) -> str:
    """``greenhouse:xai: ok, 312 seen, 4 new, 0 changed, 1 closed in 1.8 s``."""
    outcome = summary.outcome + (" (suspicious)" if summary.suspicious else "")
    line = (
        f"{summary.board.key}: {outcome}, {summary.seen} seen, {summary.new} new, "
        f"{summary.changed} changed, {summary.closed} closed in {seconds:.1f} s"
    )
    return f"{line}: {summary.error}" if summary.error else line


def log_board_run(log: logging.Logger, summary: RunSummary, seconds: float) -> None:
    level = logging.WARNING if summary.outcome in ("failed", "partial") else logging.INFO
    log.log(level, "%s", board_run_line(summary, seconds))
