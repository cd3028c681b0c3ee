"""The contract every source kind implements."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal, Protocol

from scrapers.http import Fetcher
from scrapers.models import BoardConfig, BoardSnapshot

# Every key a board table in sources.toml may hold; each kind accepts a subset (BoardSpec.keys).
BOARD_KEYS = frozenset({"ats", "token", "url", "api_base"})
_HTTP_URL = re.compile(r"^https?://[^\s/]+")


def is_http_url(value: object) -> bool:
    return isinstance(value, str) and bool(_HTTP_URL.match(value))


@dataclass(frozen=True)
class BoardSpec:
    """What a board of one kind needs in its configuration: a ``token``, a ``url`` or neither."""

    needs: Literal["token", "url"] | None
    what: str | None = None  # what the token or url names, for error messages

    @property
    def keys(self) -> frozenset[str]:
        """The board keys this kind accepts."""
        return frozenset({"ats", "api_base", *([self.needs] if self.needs else [])})

    def check(self, board: BoardConfig) -> str | None:
        """A problem with the board's configuration, or None when it is usable."""
        hint = f" ({self.what})" if self.what else ""
        if self.needs == "token" and not (board.token or "").strip():
            return f"{board.ats} boards need `token`{hint}"
        if self.needs == "url" and not is_http_url(board.url):
            return (
                f"{board.ats} boards need `url` ({self.what + ', ' if self.what else ''}"
                "an http(s) URL)"
            )
        if board.api_base is not None and not is_http_url(board.api_base):
            return f"`api_base` must be an http(s) URL, got {board.api_base!r}"
        return None


@dataclass(frozen=True)
class BoardState:
    """What the store remembers of a board between runs, handed to fetch (read only)."""

    etag: str | None = None
    known_ids: frozenset[str] = field(default_factory=frozenset)
    # The stored URLs of the board's open postings: a crawl tells a posting page from any page.
    known_urls: frozenset[str] = field(default_factory=frozenset)
    # True for a quick probe (`sources check`): read listings only, never per-posting details.
    list_only: bool = False

    def needs_detail(self, external_id: str) -> bool:
        """Whether a detail request is worth making for this posting in this run."""
        return not self.list_only and external_id not in self.known_ids


class Scraper(Protocol):
    """A source kind: ``fetch`` does the I/O; parsing is a pure function inside the module."""

    ats: str
    spec: BoardSpec

    def validate(self, board: BoardConfig) -> str | None:
        """A problem with the board's configuration, or None when it is usable."""
        ...

    async def fetch(self, board: BoardConfig, fetcher: Fetcher, state: BoardState) -> BoardSnapshot:
        """Read the whole board. Raises ScrapeError subclasses; never returns a partial
        snapshot marked complete."""
        ...


class SpecChecked:
    """``validate`` from the kind's :class:`BoardSpec`; a kind with stricter rules extends it."""

    spec: BoardSpec

    def validate(self, board: BoardConfig) -> str | None:
        return self.spec.check(board)


def api_root(board: BoardConfig, default: str) -> str:
    """The scheme+host(+prefix) to call: the board's ``api_base`` when set."""
    return (board.api_base or default).rstrip("/")
