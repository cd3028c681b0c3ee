"""``talentflow sources check``: probe each board once without touching the database."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import httpx

from scrapers.errors import BoardNotFound, ScrapeError
from scrapers.http import open_fetcher
from scrapers.models import BoardConfig
from scrapers.sources.base import BoardState
from scrapers.sources.registry import SCRAPERS
from service.settings import Settings


@dataclass(frozen=True)
class ProbeResult:
    board: BoardConfig
    status: str  # reachable | empty | not found | error
    count: int | None = None
    detail: str | None = None
    # A few of the postings' own URLs: where the board's jobs link to (used by discovery).
    sample_urls: tuple[str, ...] = ()


async def probe_boards(
    settings: Settings,
    boards: list[BoardConfig],
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    seen_nonempty: frozenset[str] = frozenset(),
) -> list[ProbeResult]:
    """``seen_nonempty``: keys of boards that have listed postings before (from the store)."""
    limit = asyncio.Semaphore(settings.board_concurrency)
    async with open_fetcher(settings.http_policy, transport) as fetcher:

        async def one(board: BoardConfig) -> ProbeResult:
            scraper = SCRAPERS.get(board.ats)
            if scraper is None:
                return ProbeResult(board, "error", detail=f"no scraper for {board.ats!r}")
            async with limit:
                try:
                    snapshot = await scraper.fetch(board, fetcher, BoardState(list_only=True))
                except BoardNotFound as exc:
                    return ProbeResult(board, "not found", detail=str(exc))
                except ScrapeError as exc:
                    return ProbeResult(board, "error", detail=str(exc))
            count = len(snapshot.postings)
            if count == 0:
                if board.key in seen_nonempty:
                    return ProbeResult(board, "empty", 0, "listed postings before; now empty")
                # Some boards (SmartRecruiters) answer an unknown id with an empty 200.
                return ProbeResult(board, "empty", 0, "empty or unknown board")
            detail = None if snapshot.complete else "; ".join(snapshot.warnings) or "partial"
            urls = tuple(p.url for p in snapshot.postings[:20] if p.url)
            return ProbeResult(board, "reachable", count, detail, urls)

        return list(await asyncio.gather(*(one(b) for b in boards)))
