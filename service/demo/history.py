"""Builds the demo's history through the real pipeline: the simulated boards advance one week at
a time and the ordinary scrape and feed passes read them, with the clock set to that week."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

from scrapers.hires import RuleExtractor
from scrapers.http import build_client
from service.demo.server import BoardServer
from service.demo.world import World, load_sample
from service.migrations import upgrade
from service.news import FeedSummary, alias_table_for, scrape_feeds
from service.scrape import RunSummary, scrape_boards
from service.settings import Settings
from service.sources import Sources, load_sources
from store.engine import make_engine
from store.types import utcnow

DEFAULT_WEEKS = 12
FEED_NAME = "Sample AI news"


@dataclass(frozen=True)
class WeekReport:
    week: int
    at: datetime
    boards: list[RunSummary]
    feeds: list[FeedSummary]


@dataclass
class Demo:
    """A built demo: its own settings, database, watchlist and the board server feeding it."""

    directory: Path
    settings: Settings
    engine: Engine
    sources: Sources
    world: World
    server: BoardServer
    reports: list[WeekReport]


def demo_settings(directory: Path) -> Settings:
    """Settings for the demo alone: explicit values win over every ``TALENTFLOW_*`` variable,
    so the user's database, watchlist and overrides are never read or written."""
    return Settings(
        database_url=f"sqlite:///{directory / 'demo.db'}",
        sources=directory / "sources.toml",
        rates_file=None,
        taxonomy_file=None,
        http_retries=0,
        demo=True,
    )  # a broken sample board fails at once


def _without_fsync(dbapi_connection: Any, _record: Any) -> None:
    """The demo's database is thrown away on exit: durability would only slow the build."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA synchronous=OFF")
    cursor.close()


def _toml_string(value: str) -> str:
    return json.dumps(value)  # a JSON string is a valid TOML basic string


def watchlist(world: World, base_url: str) -> str:
    """``sources.toml`` for the sample: every board on the local server via ``api_base``."""
    lines = [
        "# The talentflow demo's watchlist: fictional labs on a local simulated server.",
        "[defaults]",
        "interval_minutes = 10080",
        "",
    ]
    for lab in world.sample.labs:
        where = (
            f"url = {_toml_string(f'https://{lab.slug}.wd1.myworkdayjobs.com/Careers')}"
            if lab.ats == "workday"
            else f"token = {_toml_string(lab.slug)}"
        )
        lines += [
            "[[companies]]",
            f"name = {_toml_string(lab.name)}",
            f"boards = [ {{ ats = {_toml_string(lab.ats)}, {where}, "
            f"api_base = {_toml_string(f'{base_url}/{lab.slug}')} }} ]",
            "",
        ]
    lines += [
        "[[feeds]]",
        f"name = {_toml_string(FEED_NAME)}",
        f"url = {_toml_string(f'{base_url}/news/feed.xml')}",
        "",
    ]
    return "\n".join(lines)


async def _run_weeks(
    engine: Engine,
    settings: Settings,
    sources: Sources,
    world: World,
    on_week: Callable[[WeekReport], None] | None,
) -> list[WeekReport]:
    reports: list[WeekReport] = []
    extractor = RuleExtractor(alias_table_for(settings, sources))  # costly: built once
    async with build_client(settings.http_policy) as client:
        for week in range(world.weeks):
            world.week = week
            at = world.at(week)

            def clock(at: datetime = at) -> datetime:
                return at

            boards = await scrape_boards(
                engine, settings, sources.boards, client=client, clock=clock
            )
            feeds = await scrape_feeds(
                engine, settings, sources.feeds, client=client, clock=clock, extractor=extractor
            )
            reports.append(WeekReport(week, at, boards, feeds))
            if on_week:
                on_week(reports[-1])
    return reports


def build_history(
    engine: Engine,
    settings: Settings,
    sources: Sources,
    world: World,
    on_week: Callable[[WeekReport], None] | None = None,
) -> list[WeekReport]:
    """One scrape cycle and one feed pass per simulated week, oldest first."""
    return asyncio.run(_run_weeks(engine, settings, sources, world, on_week))


@contextmanager
def built_demo(
    directory: Path,
    *,
    weeks: int = DEFAULT_WEEKS,
    end: datetime | None = None,
    on_week: Callable[[WeekReport], None] | None = None,
) -> Iterator[Demo]:
    """Start the board server, write the watchlist, migrate a fresh database in ``directory``
    and build ``weeks`` of history ending at ``end`` (now); the server runs until exit."""
    end = end or utcnow().replace(second=0, microsecond=0) - timedelta(minutes=1)
    world = World(load_sample(), weeks=weeks, end=end)
    settings = demo_settings(directory)
    with BoardServer(world) as server:
        settings.sources.write_text(watchlist(world, server.base_url), encoding="utf-8")
        sources = load_sources(settings.sources)  # the same validation as a user's watchlist
        upgrade(settings.database_url)
        engine = make_engine(settings.database_url)
        event.listen(engine, "connect", _without_fsync)
        try:
            reports = build_history(engine, settings, sources, world, on_week)
            yield Demo(directory, settings, engine, sources, world, server, reports)
        finally:
            engine.dispose()
