"""RSS/Atom news feeds: a conditional fetch through the ``Fetcher`` and a pure parse.

The fetch sends ``If-None-Match``/``If-Modified-Since`` from the previous run and returns
``None`` on 304; the parse turns the body into ``FeedEntry`` items with a stable key per item.

Completeness: the feed's root element closes (``xml_ends``). feedparser reads a cut feed without
complaint, and its validators would be stored with it, so the rest of the items would be
answered 304 and never read; a cut feed is a ``ParseError`` and the next run reads it again.
Other malformations (an undefined entity, a stray ``&``) are common in real feeds and stay
warnings.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from time import struct_time
from typing import Any

import feedparser

from scrapers.completeness import xml_ends
from scrapers.errors import ParseError
from scrapers.http import Fetcher
from scrapers.normalize.text import html_to_text

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5"
)


@dataclass(frozen=True)
class FeedEntry:
    key: str  # sha256 of the item's guid, link or title: what "already read" is keyed on
    title: str
    summary: str
    link: str | None
    published_at: datetime | None


@dataclass(frozen=True)
class FeedDocument:
    title: str | None
    entries: list[FeedEntry]
    etag: str | None = None
    last_modified: str | None = None
    warnings: list[str] = field(default_factory=list)


def _when(value: struct_time | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime(*value[:6], tzinfo=UTC)
    except (TypeError, ValueError):
        return None


def _entry(raw: Any) -> FeedEntry | None:
    title = html_to_text(raw.get("title") or "").strip()
    summary_html = raw.get("summary") or ""
    if not summary_html and raw.get("content"):
        summary_html = raw["content"][0].get("value") or ""
    summary = html_to_text(summary_html).strip() if summary_html else ""
    link = raw.get("link") or None
    identity = raw.get("id") or link or title
    if not identity:
        return None
    return FeedEntry(
        key=hashlib.sha256(identity.encode("utf-8")).hexdigest(),
        title=title,
        summary=summary,
        link=link,
        published_at=_when(raw.get("published_parsed") or raw.get("updated_parsed")),
    )


def parse_feed(body: bytes, *, url: str = "") -> FeedDocument:
    """Parse RSS or Atom; a body that is neither raises ``ParseError``."""
    parsed = feedparser.parse(body)
    version = parsed.get("version") or ""
    if not version:
        problem = parsed.get("bozo_exception")
        raise ParseError(
            f"{url or 'feed'}: not an RSS or Atom feed" + (f" ({problem})" if problem else "")
        )
    if not xml_ends(body):
        raise ParseError(f"{url or 'feed'}: feed is truncated: its root element never closes")
    warnings = []
    if parsed.get("bozo"):
        warnings.append(f"feed is not well-formed: {parsed.get('bozo_exception')}")
    entries = [e for e in (_entry(raw) for raw in parsed.entries) if e is not None]
    return FeedDocument(title=parsed.feed.get("title"), entries=entries, warnings=warnings)


async def fetch_feed(
    fetcher: Fetcher, url: str, *, etag: str | None = None, last_modified: str | None = None
) -> FeedDocument | None:
    """GET the feed conditionally; ``None`` when the server says it has not changed."""
    response = await fetcher.get_document(
        url, accept=FEED_ACCEPT, etag=etag, last_modified=last_modified
    )
    if response.not_modified:
        return None
    document = parse_feed(response.content, url=url)
    return FeedDocument(
        title=document.title,
        entries=document.entries,
        etag=response.etag,
        last_modified=response.last_modified,
        warnings=document.warnings,
    )
