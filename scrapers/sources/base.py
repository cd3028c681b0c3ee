"""The contract every source kind implements."""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal, Protocol

from scrapers.errors import BoardNotFound, ScrapeError
from scrapers.http import Fetcher
from scrapers.models import BoardConfig, BoardSnapshot, NormalizedPosting

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
    # The listing signature each stored posting was last stored with, by external id.
    listing_hashes: Mapping[str, str] = field(default_factory=dict)
    # Stored postings whose detail is wanted whatever their listing says: a pending detail
    # whose retry time has come, or a posting counting towards closure (or closed) listed again.
    refresh_ids: frozenset[str] = field(default_factory=frozenset)
    # The hash of the raw entry each stored posting was last parsed from, by external id.
    raw_hashes: Mapping[str, str] = field(default_factory=dict)

    def unchanged(self, external_id: str, raw_hash: str) -> bool:
        """Whether a listed entry is the very one the stored posting was parsed from, and
        nothing asks for the posting to be read again: then it need not be parsed."""
        return (
            not self.list_only
            and external_id not in self.refresh_ids
            and self.raw_hashes.get(external_id) == raw_hash
        )

    def needs_detail(self, external_id: str, listing_hash: str | None = None) -> bool:
        """Whether a detail request is worth making for this posting in this run: it is new,
        its listing entry changed, or it is due for a refresh."""
        if self.list_only:
            return False
        if external_id not in self.known_ids or external_id in self.refresh_ids:
            return True
        stored = self.listing_hashes.get(external_id)
        # No stored signature (stored before signatures were kept): adopt the current one
        # rather than re-reading every detail of the board at once.
        return stored is not None and listing_hash is not None and stored != listing_hash


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


def listing_hash(entry: Any) -> str:
    """A stable signature of one listing entry (key order does not matter)."""
    text = json.dumps(entry, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class Listed:
    """One listing entry: the posting as the listing alone gives it (``hydrated`` False, its
    ``listing_hash`` set) and how to read the rest from its detail endpoint."""

    posting: NormalizedPosting
    read_detail: Callable[[], Awaitable[NormalizedPosting]]


@dataclass(frozen=True)
class Details:
    """The listed postings after their detail requests, and what the run should say about them."""

    postings: tuple[NormalizedPosting, ...]
    requested: int = 0
    failed: tuple[str, ...] = ()  # one message per detail left pending
    gone: tuple[str, ...] = ()  # external ids whose detail answered 404/410

    @property
    def warnings(self) -> tuple[str, ...]:
        notes = []
        if self.failed:
            shown = "; ".join(self.failed[:3]) + ("; …" if len(self.failed) > 3 else "")
            notes.append(
                f"{len(self.failed)} of {self.requested} details not read, "
                f"stored from the listing and retried later: {shown}"
            )
        if self.gone:
            notes.append(
                f"{len(self.gone)} details answered 404/410, counted as missing: "
                + ", ".join(self.gone[:5])
                + (", …" if len(self.gone) > 5 else "")
            )
        return tuple(notes)


async def read_details(listed: Iterable[Listed], state: BoardState) -> Details:
    """Read the details the state asks for, concurrently (the fetcher's per-host limit bounds
    them). A detail answering 404/410 drops its posting (it is gone from the board); any other
    failure keeps the listing's version with ``detail_pending``. Neither fails the board:
    the listing was read whole. Errors that are not ScrapeErrors are bugs and propagate."""
    entries = list(listed)
    wanted = [state.needs_detail(e.posting.external_id, e.posting.listing_hash) for e in entries]

    async def one(entry: Listed) -> NormalizedPosting | ScrapeError:
        try:
            full = await entry.read_detail()
        except ScrapeError as exc:
            return exc
        return replace(full, listing_hash=entry.posting.listing_hash)

    async with asyncio.TaskGroup() as group:
        tasks = {
            i: group.create_task(one(entry))
            for i, (entry, want) in enumerate(zip(entries, wanted, strict=True))
            if want
        }
    postings: list[NormalizedPosting] = []
    failed: list[str] = []
    gone: list[str] = []
    for i, entry in enumerate(entries):
        task = tasks.get(i)
        result = entry.posting if task is None else task.result()
        external_id = entry.posting.external_id
        if isinstance(result, BoardNotFound):
            gone.append(external_id)
        elif isinstance(result, ScrapeError):
            failed.append(f"detail {external_id}: {result}")
            postings.append(replace(entry.posting, detail_pending=True))
        else:
            postings.append(result)
    return Details(tuple(postings), len(tasks), tuple(failed), tuple(gone))
