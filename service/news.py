"""One pass over the news feeds: fetch each (conditionally), extract hires from new items, and
record them with their items in one transaction per feed."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import httpx
from sqlalchemy.engine import Engine

from scrapers.errors import ScrapeError
from scrapers.hires import AliasTable, Extractor, extract_all, load_alias_table
from scrapers.http import Fetcher, build_client, make_fetcher
from scrapers.sources.news import FeedDocument, fetch_feed
from service.settings import Settings
from service.sources import ConfigError, FeedConfig, Sources, load_sources
from store.engine import session_scope
from store.hires import NewHire, get_or_create_feed, mark_item, record_hire, seen_item_keys
from store.types import utcnow

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]


@dataclass(frozen=True)
class FeedSummary:
    feed: FeedConfig
    outcome: str  # ok | unchanged | failed
    items: int = 0
    new_items: int = 0
    hires: int = 0
    error: str | None = None


def alias_table_for(settings: Settings, sources: Sources | None = None) -> AliasTable:
    """Seed aliases + watchlist company names + the watchlist's ``[aliases]``."""
    if sources is None:
        try:
            sources = load_sources(settings.sources)
        except ConfigError:
            sources = None  # a feed pass still works with the shipped aliases alone
    if sources is None:
        return load_alias_table()
    return load_alias_table(sources.companies, sources.aliases)


async def _fetch(fetcher: Fetcher, engine: Engine, config: FeedConfig) -> FeedDocument | str | None:
    with session_scope(engine) as session:
        feed = get_or_create_feed(session, config.url, config.name)
        etag, last_modified = feed.etag, feed.last_modified
    try:
        return await fetch_feed(fetcher, config.url, etag=etag, last_modified=last_modified)
    except ScrapeError as exc:
        return f"{type(exc).__name__}: {exc}"
    except Exception as exc:  # a parser bug fails this feed, not the cycle
        log.exception("feed %s crashed", config.url)
        return f"internal error: {type(exc).__name__}: {exc}"


def _store(
    engine: Engine,
    config: FeedConfig,
    result: FeedDocument | str | None,
    extractor: Extractor,
    now: datetime,
) -> FeedSummary:
    with session_scope(engine) as session:
        feed = get_or_create_feed(session, config.url, config.name)
        feed.last_run_at = now
        if isinstance(result, str):
            feed.last_outcome, feed.last_error = "failed", result
            session.add(feed)
            return FeedSummary(config, "failed", error=result)
        feed.last_ok_at, feed.last_error = now, None
        if result is None:
            feed.last_outcome = "unchanged"
            session.add(feed)
            return FeedSummary(config, "unchanged")
        feed.last_outcome = "ok"
        feed.etag, feed.last_modified = result.etag, result.last_modified
        session.add(feed)
        seen = seen_item_keys(session, feed, (e.key for e in result.entries))
        new = []
        for entry in result.entries:
            if entry.key not in seen:
                seen.add(entry.key)  # a feed listing one item twice reads it once
                new.append(entry)
        hires = 0
        # One batch per feed: the parser is much faster over many texts at once.
        found = extract_all(extractor, [(e.title, e.summary) for e in new])
        for entry, mentions in zip(new, found, strict=True):
            for m in mentions:
                _, created = record_hire(
                    session,
                    NewHire(
                        person=m.person,
                        to_company=m.to_company,
                        from_company=m.from_company,
                        role=m.role,
                        announced_at=entry.published_at or now,
                        source_url=entry.link,
                        source_title=entry.title[:500],
                        evidence=m.evidence,
                        confidence=m.confidence,
                        origin="feed",
                    ),
                )
                hires += created
            mark_item(session, feed, entry.key, now, len(mentions))
        return FeedSummary(config, "ok", items=len(result.entries), new_items=len(new), hires=hires)


async def scrape_feeds(
    engine: Engine,
    settings: Settings,
    feeds: list[FeedConfig],
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    client: httpx.AsyncClient | None = None,
    clock: Clock = utcnow,
    extractor: Extractor | None = None,
    sources: Sources | None = None,
    fetcher: Fetcher | None = None,
) -> list[FeedSummary]:
    """Read every feed once. Pass ``fetcher`` to share a client and its per-host limits (the
    scheduler does), ``client`` to share a pool, ``extractor`` to replace the default (spaCy)
    extractor; a missing spaCy model raises ``ModelMissing``."""
    if fetcher is None:
        if client is None:
            async with build_client(settings.http_policy, transport) as own:
                return await scrape_feeds(
                    engine,
                    settings,
                    feeds,
                    client=own,
                    clock=clock,
                    extractor=extractor,
                    sources=sources,
                )
        fetcher = make_fetcher(settings.http_policy, client)
    if extractor is None:
        from scrapers.hires.parse import SpacyExtractor  # spaCy: imported when news is read

        extractor = SpacyExtractor(alias_table_for(settings, sources), model=settings.nlp_model)
    limit = asyncio.Semaphore(settings.board_concurrency)

    async def one(config: FeedConfig) -> FeedSummary:
        async with limit:
            result = await _fetch(fetcher, engine, config)
        return _store(engine, config, result, extractor, clock())

    return list(await asyncio.gather(*(one(f) for f in feeds)))
