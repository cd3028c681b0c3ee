"""Feeds: pure RSS/Atom parsing, conditional fetches, and a feed pass that records hires once."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from scrapers.errors import ParseError
from scrapers.http import HttpPolicy, make_fetcher
from scrapers.sources.news import fetch_feed, parse_feed
from service.news import scrape_feeds
from service.scheduler import build_scheduler
from service.settings import Settings
from service.sources import FeedConfig, Sources
from store.engine import make_engine
from store.models import Event, Feed, FeedItem, Hire
from tests.hires_helpers import extractor, feed_bytes

RSS_URL = "https://news.example.com/ai/feed/"
ATOM_URL = "https://press.example.org/atom.xml"
Handler = Callable[[httpx.Request], httpx.Response]


def test_parse_rss_items_with_html_summaries_and_dates() -> None:
    doc = parse_feed(feed_bytes("ai_news.rss.xml"))
    assert doc.title == "AI News Daily"
    assert len(doc.entries) == 3
    first = doc.entries[0]
    assert first.title.startswith("xAI hired two AI researchers from NVIDIA")
    assert first.summary == "The pair worked on world models for the omni team at Nvidia."
    assert first.link == "https://news.example.com/ai/2026/11/23/xai-nvidia-researchers"
    assert first.published_at == datetime.fromisoformat("2026-11-23T15:30:00+00:00")
    assert len({e.key for e in doc.entries}) == 3


def test_parse_atom_uses_content_when_there_is_no_summary() -> None:
    doc = parse_feed(feed_bytes("press.atom.xml"))
    assert doc.entries[0].link == "https://press.example.org/releases/881"
    assert doc.entries[1].summary == "Zeeshan Patel, formerly of Nvidia, has joined xAI."
    assert doc.entries[1].published_at == datetime.fromisoformat("2026-11-23T20:00:00+00:00")


@pytest.mark.parametrize("body", [b"", b"<html><body>Not a feed</body></html>", b'{"a": 1}'])
def test_a_body_that_is_not_a_feed_is_a_parse_error(body: bytes) -> None:
    with pytest.raises(ParseError, match="not an RSS or Atom feed"):
        parse_feed(body, url="https://x.example/feed")


def feed_server(pages: dict[str, bytes], seen: list[httpx.Request]) -> httpx.MockTransport:
    """Answers with ETag/Last-Modified and honours both conditional headers."""

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        body = pages.get(str(request.url))
        if body is None:
            return httpx.Response(404)
        etag = f'"v{len(body)}"'
        if request.headers.get("If-None-Match") == etag:
            return httpx.Response(304)
        return httpx.Response(
            200,
            content=body,
            headers={
                "ETag": etag,
                "Last-Modified": "Mon, 23 Nov 2026 18:00:00 GMT",
                "Content-Type": "application/rss+xml",
            },
        )

    return httpx.MockTransport(handle)


def test_fetch_sends_conditional_headers_and_returns_none_on_304() -> None:
    seen: list[httpx.Request] = []
    transport = feed_server({RSS_URL: feed_bytes("ai_news.rss.xml")}, seen)

    async def run() -> tuple[object, object]:
        async with httpx.AsyncClient(transport=transport) as client:
            fetcher = make_fetcher(HttpPolicy(backoff=0), client)
            first = await fetch_feed(fetcher, RSS_URL)
            assert first is not None
            second = await fetch_feed(
                fetcher, RSS_URL, etag=first.etag, last_modified=first.last_modified
            )
            return first, second

    first, second = asyncio.run(run())
    assert first.etag == f'"v{len(feed_bytes("ai_news.rss.xml"))}"'  # type: ignore[attr-defined]
    assert second is None
    assert seen[1].headers["If-None-Match"] == first.etag  # type: ignore[attr-defined]
    assert seen[1].headers["If-Modified-Since"] == "Mon, 23 Nov 2026 18:00:00 GMT"


def run_pass(
    engine: Engine, transport: httpx.MockTransport, feeds: list[FeedConfig]
) -> list[object]:
    settings = Settings(http_backoff=0, sources="/nonexistent.toml")  # type: ignore[arg-type]
    return list(
        asyncio.run(
            scrape_feeds(engine, settings, feeds, transport=transport, extractor=extractor())
        )
    )


def test_feed_pass_records_hires_once_and_dedupes_outlets(engine: Engine) -> None:
    seen: list[httpx.Request] = []
    transport = feed_server(
        {RSS_URL: feed_bytes("ai_news.rss.xml"), ATOM_URL: feed_bytes("press.atom.xml")}, seen
    )
    feeds = [FeedConfig("AI news", RSS_URL), FeedConfig("Press", ATOM_URL)]
    first = run_pass(engine, transport, feeds)
    assert [s.outcome for s in first] == ["ok", "ok"]  # type: ignore[attr-defined]
    with Session(engine) as session:
        hires = {h.person: h for h in session.exec(select(Hire)).all()}
        assert set(hires) == {"Zeeshan Patel", "Ethan He", "Jane Smith"}
        # Reported by both feeds within days: one hire, two reports.
        assert hires["Zeeshan Patel"].reports == 2
        assert (hires["Ethan He"].from_company, hires["Ethan He"].to_company) == ("NVIDIA", "xAI")
        assert hires["Jane Smith"].source_url == "https://press.example.org/releases/881"
        events = session.exec(select(Event).where(Event.type == "hire.announced")).all()
        assert sorted(e.hire_id for e in events) == sorted(h.id for h in hires.values())
        assert len(session.exec(select(FeedItem)).all()) == 6
        assert all(f.etag and f.last_outcome == "ok" for f in session.exec(select(Feed)).all())

    second = run_pass(engine, transport, feeds)
    assert [s.outcome for s in second] == ["unchanged", "unchanged"]  # type: ignore[attr-defined]
    with Session(engine) as session:
        assert len(session.exec(select(Hire)).all()) == 3
        assert len(session.exec(select(Event)).all()) == 3


def test_items_already_read_are_skipped_when_the_feed_changes(engine: Engine) -> None:
    seen: list[httpx.Request] = []
    pages = {RSS_URL: feed_bytes("ai_news.rss.xml")}
    transport = feed_server(pages, seen)
    run_pass(engine, transport, [FeedConfig("AI news", RSS_URL)])
    pages[RSS_URL] = pages[RSS_URL].replace(b"<lastBuildDate>", b"<!-- edit --><lastBuildDate>")
    (summary,) = run_pass(engine, transport, [FeedConfig("AI news", RSS_URL)])
    assert (summary.outcome, summary.items, summary.new_items, summary.hires) == (  # type: ignore[attr-defined]
        "ok",
        3,
        0,
        0,
    )


def test_a_failing_feed_is_recorded_and_others_still_run(engine: Engine) -> None:
    seen: list[httpx.Request] = []
    transport = feed_server(
        {RSS_URL: feed_bytes("ai_news.rss.xml"), ATOM_URL: b"<html>maintenance</html>"}, seen
    )
    results = run_pass(
        engine,
        transport,
        [
            FeedConfig("AI news", RSS_URL),
            FeedConfig("Broken", ATOM_URL),
            FeedConfig("Gone", "https://gone.example/feed"),
        ],
    )
    outcomes = {s.feed.name: (s.outcome, s.error) for s in results}  # type: ignore[attr-defined]
    assert outcomes["AI news"] == ("ok", None)
    assert outcomes["Broken"][0] == "failed" and "ParseError" in outcomes["Broken"][1]
    assert outcomes["Gone"][0] == "failed" and "404" in outcomes["Gone"][1]
    with Session(engine) as session:
        broken = session.exec(select(Feed).where(Feed.url == ATOM_URL)).one()
        assert broken.last_outcome == "failed" and "not an RSS or Atom feed" in broken.last_error
        assert len(session.exec(select(Hire)).all()) == 2


def test_scheduler_has_one_job_per_feed(tmp_path: Path) -> None:
    sources = Sources(
        path=tmp_path / "sources.toml",
        interval_minutes=30,
        feeds=[FeedConfig("AI news", RSS_URL), FeedConfig("Press", ATOM_URL)],
    )
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'x.db'}")
    scheduler = build_scheduler(make_engine(settings.database_url), settings, sources)
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == {f"feed:{RSS_URL}", f"feed:{ATOM_URL}"}
    job = jobs[f"feed:{RSS_URL}"]
    assert job.trigger.interval.total_seconds() == 30 * 60
    assert job.trigger.jitter == 180  # the same jitter policy as board jobs
