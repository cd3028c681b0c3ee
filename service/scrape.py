"""One scrape cycle: fetch every board (I/O, no database open), then enrich (pay, labels) with
the configured rates and taxonomy and ingest each in its own transaction. Each board's run, fetch
and ingest, holds the board's lock (``store.locks``): a second run of the board meanwhile, in
this process or another, is turned away and recorded ``skipped``. Exceptions are mapped to a run
outcome here and nowhere else."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import httpx
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from scrapers.currency import DEFAULT_RATES_FILE, Rates, load_rates
from scrapers.enrich import Classifier, enrich
from scrapers.enrich.topics import Taxonomy, taxonomy_at
from scrapers.errors import ScrapeError
from scrapers.http import Fetcher, make_fetcher, open_fetcher
from scrapers.models import BoardConfig, BoardSnapshot
from scrapers.sources.base import BoardState
from scrapers.sources.registry import SCRAPERS
from service.settings import Settings
from store.engine import session_scope
from store.ingest import (
    get_or_create_board,
    has_pending_closures,
    ingest_snapshot,
    listing_memory,
    record_failure,
    record_skipped,
    stored_details,
)
from store.locks import board_lock, holding
from store.models import Posting, ScrapeRun
from store.types import utcnow

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]


@dataclass(frozen=True)
class RunSummary:
    board: BoardConfig
    outcome: str
    seen: int = 0
    new: int = 0
    changed: int = 0
    closed: int = 0
    suspicious: bool = False
    error: str | None = None
    details_pending: int = 0  # open postings whose detail is still to be read


def rates_for(settings: Settings) -> Rates:
    return load_rates(settings.rates_file or DEFAULT_RATES_FILE)


def taxonomy_for(settings: Settings) -> Taxonomy:
    """The configured taxonomy (re-read when its file changes); raises TaxonomyError."""
    return taxonomy_at(settings.taxonomy_file)


def _board_state(engine: Engine, config: BoardConfig, now: datetime) -> BoardState:
    with session_scope(engine) as session:
        board = get_or_create_board(session, config)
        pending = has_pending_closures(session, board)
        memory = listing_memory(session, board, now)
        urls = session.exec(
            select(col(Posting.url)).where(
                col(Posting.board_id) == board.id, col(Posting.status) == "open"
            )
        )
        return BoardState(
            # While closures are pending or details are due, skip If-None-Match: the run must
            # read the listing to count as `ok`, or to retry those details.
            etag=None if pending or memory.details_due else board.etag,
            known_ids=memory.known_ids,
            listing_hashes=memory.listing_hashes,
            raw_hashes=memory.raw_hashes,
            refresh_ids=memory.refresh_ids,
            known_urls=frozenset(url for url in urls if url),
        )


async def _fetch(config: BoardConfig, fetcher: Fetcher, state: BoardState) -> BoardSnapshot | str:
    scraper = SCRAPERS.get(config.ats)
    if scraper is None:
        return f"no scraper for ats {config.ats!r} in this version"
    try:
        return await scraper.fetch(config, fetcher, state)
    except ScrapeError as exc:
        return f"{type(exc).__name__}: {exc}"
    except Exception as exc:  # a scraper bug must fail its board's run, not the cycle
        log.exception("scraper for %s crashed", config.key)
        return f"internal error: {type(exc).__name__}: {exc}"


def _store(
    engine: Engine,
    config: BoardConfig,
    result: BoardSnapshot | str,
    started_at: datetime,
    clock: Clock,
    rates: Rates,
    classify: Classifier,
) -> RunSummary:
    with session_scope(engine) as session:
        board = get_or_create_board(session, config)
        if isinstance(result, str):
            run = record_failure(session, board, result, started_at=started_at, now=clock())
        else:
            enriched = enrich(result, classify, rates, stored_details(session, board, result))
            run = ingest_snapshot(session, board, enriched, started_at=started_at, now=clock())
        return _summary(config, run)


def _skipped(engine: Engine, config: BoardConfig, started_at: datetime, clock: Clock) -> RunSummary:
    with session_scope(engine) as session:
        board = get_or_create_board(session, config)
        return _summary(config, record_skipped(session, board, started_at=started_at, now=clock()))


def _summary(config: BoardConfig, run: ScrapeRun) -> RunSummary:
    return RunSummary(
        board=config,
        outcome=run.outcome,
        seen=run.seen,
        new=run.new,
        changed=run.changed,
        closed=run.closed,
        suspicious=run.suspicious,
        error=run.error,
        details_pending=run.details_pending,
    )


async def scrape_board(
    engine: Engine,
    config: BoardConfig,
    fetcher: Fetcher,
    *,
    rates: Rates,
    classify: Classifier,
    clock: Clock = utcnow,
    wait: float = 0.0,
) -> RunSummary:
    """One run of the board, holding its lock from before the fetch until the ingest has
    committed. When another run holds it still after ``wait`` seconds, this one is recorded
    ``skipped`` and reads nothing."""
    attempted_at = clock()
    async with holding(board_lock(engine, config.key), wait=wait) as held:
        if held:
            started_at = clock()  # after any wait: the observation starts with the fetch
            state = _board_state(engine, config, started_at)
            result = await _fetch(config, fetcher, state)
            return _store(engine, config, result, started_at, clock, rates, classify)
    return _skipped(engine, config, attempted_at, clock)


async def scrape_boards(
    engine: Engine,
    settings: Settings,
    boards: list[BoardConfig],
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    client: httpx.AsyncClient | None = None,
    clock: Clock = utcnow,
    classify: Classifier | None = None,
    on_done: Callable[[RunSummary], None] | None = None,
    fetcher: Fetcher | None = None,
    wait: float = 0.0,
) -> list[RunSummary]:
    """Scrape the given boards concurrently (bounded), each recorded as its own run; a board
    another run holds is skipped, or waited for up to ``wait`` seconds.

    Pass ``fetcher`` to share one client and its per-host limits (the scheduler does), or
    ``client`` to share a connection pool; otherwise a fetcher is opened for this call (over
    ``transport`` when given) and closed at the end.
    """
    if fetcher is None:
        if client is not None:
            fetcher = make_fetcher(settings.http_policy, client)
        else:
            async with open_fetcher(settings.http_policy, transport) as own:
                return await scrape_boards(
                    engine,
                    settings,
                    boards,
                    clock=clock,
                    classify=classify,
                    on_done=on_done,
                    fetcher=own,
                    wait=wait,
                )
    rates = rates_for(settings)
    classify = classify or taxonomy_for(settings)
    limit = asyncio.Semaphore(settings.board_concurrency)

    async def one(config: BoardConfig) -> RunSummary:
        async with limit:
            summary = await scrape_board(
                engine, config, fetcher, rates=rates, clock=clock, classify=classify, wait=wait
            )
        if on_done:
            on_done(summary)
        return summary

    return list(await asyncio.gather(*(one(b) for b in boards)))
