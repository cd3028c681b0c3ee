"""What every scraper's tests share: the contract's keys and a fetch over a mock transport."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine

import httpx

from scrapers.http import HttpPolicy, build_client, make_fetcher
from scrapers.models import BoardConfig, BoardSnapshot
from scrapers.sources.base import BoardState, Scraper

CONTRACT_KEYS = {
    "id",
    "company",
    "ats",
    "external_id",
    "title",
    "team",
    "department",
    "locations",
    "workplace",
    "employment_type",
    "pay",
    "topics",
    "url",
    "posted_at",
    "first_seen_at",
    "last_seen_at",
    "closed_at",
    "status",
}
PAY_KEYS = {
    "min",
    "max",
    "currency",
    "period",
    "annual_min",
    "annual_max",
    "annual_min_usd",
    "annual_max_usd",
    "source",
}
POLICY = HttpPolicy(user_agent="talentflow-test/1.0", backoff=0.0, retries=1)
Handler = (
    Callable[[httpx.Request], httpx.Response]
    | Callable[[httpx.Request], Coroutine[None, None, httpx.Response]]
)


def fetch(
    scraper: Scraper, board: BoardConfig, handler: Handler, state: BoardState | None = None
) -> BoardSnapshot:
    """Run one scraper's fetch against an ``httpx.MockTransport``."""

    async def go() -> BoardSnapshot:
        async with build_client(POLICY, httpx.MockTransport(handler)) as client:
            return await scraper.fetch(board, make_fetcher(POLICY, client), state or BoardState())

    return asyncio.run(go())
