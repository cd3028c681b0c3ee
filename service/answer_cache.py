"""Answers kept between writes: the costly read routes are computed once per database change.

A trend over a year of 1,000 companies, the pay table or the overview page costs 100 to 400 ms to
compute and changes only when something is written. This middleware keeps each ``200`` answer
of the routes in ``RULES`` with the database's generation (``store.generation``) at the time it
was computed, and serves it again while that generation is current:

- **exact** routes (posting lists, search) are served from the cache only while nothing has
  been committed since: a client never sees an older list than the database holds;
- **analytics** routes (trends, pay, the dashboard's pages and charts) may also be served for
  ``analytics_max_stale_seconds`` after a write, so a scrape committing every second does not
  make every dashboard view recompute. While one request computes a fresh answer, the others
  keep getting the previous one (``Age`` says how old it is).

Concurrent misses of the same answer are computed once. The cache is per process, bounded in
bytes (``answer_cache_mib``; 0 turns it off), least recently used first out. Answers carry an
``ETag``; a request whose ``If-None-Match`` matches gets a ``304``. Long answers are also kept
gzip-compressed and replayed so to clients that send ``Accept-Encoding: gzip``.
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

import anyio.to_thread
from cachetools import LRUCache
from prometheus_client import Counter
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from store.generation import DataGeneration

ANSWERS = Counter(
    "talentflow_answer_cache_requests",
    "Requests to cached read routes, by how they were answered.",
    ["outcome"],  # fresh, stale, computed, uncached
)


class Freshness(Enum):
    exact = "exact"
    analytics = "analytics"


# Paths answered from the cache, and how fresh each must be. Every other path passes through.
RULES: dict[str, Freshness] = {
    "/api/postings": Freshness.exact,
    "/api/search": Freshness.exact,
    "/api/companies": Freshness.exact,
    "/api/trends": Freshness.analytics,
    "/api/pay": Freshness.analytics,
    "/": Freshness.analytics,
    "/trends": Freshness.analytics,
    "/companies": Freshness.analytics,
    "/charts/open-roles.json": Freshness.analytics,
    "/charts/trend.json": Freshness.analytics,
    "/charts/pay-bands.json": Freshness.analytics,
}
# Bookkeeping per entry, counted against the byte budget beside the body.
ENTRY_OVERHEAD = 512
# Answers at least this long are also kept gzip-compressed, for clients that accept it: a year
# of weekly open counts for 1,000 companies is 1.5 MB of JSON and about a twentieth of it gzipped.
GZIP_MIN_BYTES = 1024
GZIP_LEVEL = 5  # paid once per answer and generation; level 9 costs several times more


@dataclass(frozen=True)
class Answer:
    generation: str
    stored_at: float
    headers: list[tuple[bytes, bytes]]
    body: bytes
    etag: bytes
    gzipped: bytes | None  # the same body gzip-compressed, when it is long enough to gain

    @property
    def size(self) -> int:
        return len(self.body) + len(self.gzipped or b"") + ENTRY_OVERHEAD


class AnswerCache:
    """ASGI middleware; ``clock`` is monotonic seconds (a test passes its own)."""

    def __init__(
        self,
        app: ASGIApp,
        generation: DataGeneration,
        max_bytes: int,
        max_stale_seconds: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.app = app
        self.generation = generation
        self.max_stale = max_stale_seconds
        self.clock = clock
        self.max_entry = max_bytes // 4  # one answer never pushes out most of the others
        self.entries: LRUCache[tuple[str, bytes], Answer] = LRUCache(
            maxsize=max(max_bytes, 1), getsizeof=lambda a: a.size
        )
        self.computing: dict[tuple[str, bytes], asyncio.Lock] = {}
        self.enabled = max_bytes > 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        rule = RULES.get(scope.get("path", "")) if scope["type"] == "http" else None
        if rule is None or not self.enabled or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        key = (scope["path"], scope.get("query_string", b""))
        generation = await anyio.to_thread.run_sync(self.generation.current)
        if generation is None:
            ANSWERS.labels("uncached").inc()
            await self.app(scope, receive, send)
            return
        kept = self.entries.get(key)
        busy = key in self.computing
        if kept is not None and self._usable(kept, generation, rule, busy):
            ANSWERS.labels("fresh" if kept.generation == generation else "stale").inc()
            await self._replay(kept, scope, send)
            return
        # A lock exists only while some request computes this answer (or waits to).
        lock = self.computing.setdefault(key, asyncio.Lock())
        try:
            async with lock:
                # Whoever held the lock may have just stored what this request needs.
                kept = self.entries.get(key)
                if kept is not None and kept.generation == generation:
                    ANSWERS.labels("fresh").inc()
                    await self._replay(kept, scope, send)
                    return
                ANSWERS.labels("computed").inc()
                await self._compute(key, generation, scope, receive, send)
        finally:
            if not lock.locked() and self.computing.get(key) is lock:
                del self.computing[key]

    def _usable(self, kept: Answer, generation: str, rule: Freshness, busy: bool) -> bool:
        if kept.generation == generation:
            return True
        if rule is not Freshness.analytics:
            return False
        # Past its window an answer is still served while another request recomputes it.
        return busy or self.clock() - kept.stored_at < self.max_stale

    async def _compute(
        self, key: tuple[str, bytes], generation: str, scope: Scope, receive: Receive, send: Send
    ) -> None:
        status = 0
        headers: list[tuple[bytes, bytes]] = []
        chunks: list[bytes] = []
        size = 0
        keep = True

        async def capture(message: Message) -> None:
            nonlocal status, headers, size, keep
            if message["type"] == "http.response.start":
                status, headers = message["status"], list(message.get("headers", []))
                keep = status == 200
                if keep:  # a replay may be compressed: shared caches must tell the two apart
                    message = {**message, "headers": [*headers, (b"vary", b"accept-encoding")]}
            elif message["type"] == "http.response.body" and keep:
                chunk = message.get("body", b"")
                size += len(chunk)
                keep = size <= self.max_entry
                chunks.append(chunk)
                if not message.get("more_body", False) and keep:
                    finished.append(b"".join(chunks))
            await send(message)

        finished: list[bytes] = []
        await self.app(scope, receive, capture)
        if finished:
            body = finished[0]
            gzipped = None
            if len(body) >= GZIP_MIN_BYTES:
                gzipped = await anyio.to_thread.run_sync(_gzip, body)
            kept_headers = [(k, v) for k, v in headers if k.lower() != b"content-length"]
            self.entries[key] = Answer(
                generation, self.clock(), kept_headers, body, _etag(body), gzipped
            )

    async def _replay(self, kept: Answer, scope: Scope, send: Send) -> None:
        request = Headers(scope=scope)
        compressed = kept.gzipped is not None and "gzip" in request.get("accept-encoding", "")
        body = kept.gzipped if compressed and kept.gzipped is not None else kept.body
        # Each representation has its own strong tag (RFC 9110 8.8.3).
        etag = kept.etag[:-1] + b'-gz"' if compressed else kept.etag
        age = str(max(0, int(self.clock() - kept.stored_at))).encode()
        extra = [(b"etag", etag), (b"age", age), (b"vary", b"accept-encoding")]
        if etag in _tags(request.get("if-none-match", "")):
            await send({"type": "http.response.start", "status": 304, "headers": extra})
            await send({"type": "http.response.body", "body": b""})
            return
        extra.append((b"content-length", str(len(body)).encode()))
        if compressed:
            extra.append((b"content-encoding", b"gzip"))
        await send({"type": "http.response.start", "status": 200, "headers": kept.headers + extra})
        await send({"type": "http.response.body", "body": body})


def _gzip(body: bytes) -> bytes:
    return gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)


def _etag(body: bytes) -> bytes:
    return b'"' + hashlib.blake2b(body, digest_size=12).hexdigest().encode() + b'"'


def _tags(header: str) -> set[bytes]:
    return {t.strip().removeprefix("W/").encode() for t in header.split(",") if t.strip()}
