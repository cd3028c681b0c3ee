"""The contract every source kind implements."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from scrapers.http import Fetcher
from scrapers.models import BoardConfig, BoardSnapshot


@dataclass(frozen=True)
class BoardState:
    """What the store remembers of a board between runs, handed to fetch (read only)."""

    etag: str | None = None
    known_ids: frozenset[str] = field(default_factory=frozenset)
    # True for a quick probe (`sources check`): read listings only, never per-posting details.
    list_only: bool = False

    def needs_detail(self, external_id: str) -> bool:
        """Whether a detail request is worth making for this posting in this run."""
        return not self.list_only and external_id not in self.known_ids


class Scraper(Protocol):
    """A source kind: ``fetch`` does the I/O; parsing is a pure function inside the module."""

    ats: str
    default_api_base: str

    def validate(self, board: BoardConfig) -> str | None:
        """A problem with the board's configuration, or None when it is usable."""
        ...

    async def fetch(self, board: BoardConfig, fetcher: Fetcher, state: BoardState) -> BoardSnapshot:
        """Read the whole board. Raises ScrapeError subclasses; never returns a partial
        snapshot marked complete."""
        ...


def api_root(board: BoardConfig, default: str) -> str:
    """The scheme+host(+prefix) to call: the board's ``api_base`` when set."""
    return (board.api_base or default).rstrip("/")
