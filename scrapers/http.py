"""The one fetch path every scraper and the news-feed reader share.

Explicit User-Agent, connect/read timeouts, a deadline for each whole attempt (connect, send and
the entire body: a server that drips one byte at a time never trips a read timeout), at most two
retries with exponential backoff on transient failures (statuses, timeouts, the deadline, a cut
body; honouring ``Retry-After``), a per-host concurrency limit, conditional requests, and the
status → exception mapping. Scrapers call :class:`Fetcher`; nothing else in a scraper does I/O.
One fetcher lives as long as its process's work (a CLI command, or ``talentflow run``), so the
per-host limit holds across every board it reads.

Bodies are checked whole before anyone parses them: fewer bytes than the declared
``Content-Length`` is :class:`Truncated`. Decoding is per format: JSON must be UTF-8 (RFC 8259),
so a bad byte is a :class:`ParseError` rather than a silently altered value; HTML is decoded with
replacement characters, as browsers do, because one stray byte on a career page must not cost the
page (see :meth:`Document.html`).
"""

from __future__ import annotations

import asyncio
import email.utils
import hashlib
import json
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar
from urllib.parse import urlsplit

import httpx
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    stop_after_attempt,
)

from scrapers.completeness import html_ends
from scrapers.errors import BoardNotFound, FetchError, ParseError, ScrapeError, Truncated

RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
GONE_STATUSES = frozenset({404, 410})
JSON = "application/json"

T = TypeVar("T")


@dataclass(frozen=True)
class HttpPolicy:
    user_agent: str = "talentflow"
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    deadline: float = 60.0  # seconds for one whole attempt: connect, send, the entire body
    retries: int = 2
    backoff: float = 1.0  # seconds before the first retry; doubles each time
    max_retry_after: float = 60.0  # never sleep longer than this on a server's say-so
    per_host: int = 4


class _Retryable(Exception):
    def __init__(self, response: httpx.Response) -> None:
        super().__init__(f"HTTP {response.status_code}")
        self.response = response


def retry_after(value: str | None, now: datetime | None = None) -> timedelta | None:
    """A ``Retry-After`` header (delta-seconds or HTTP date) as a delay ≥ 0; None if absent or
    unreadable. Callers apply their own upper bound."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return timedelta(seconds=int(value))
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(timedelta(0), when - (now or datetime.now(UTC)))


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """:func:`retry_after` in seconds."""
    delay = retry_after(value, now)
    return None if delay is None else delay.total_seconds()


class _DeadlineExceeded(Exception):
    pass


def _is_transient(exc: BaseException) -> bool:
    return isinstance(
        exc,
        _Retryable | _DeadlineExceeded | Truncated | httpx.TimeoutException | httpx.TransportError,
    )


def check_length(response: httpx.Response) -> None:
    """A body shorter than its declared ``Content-Length`` is :class:`Truncated`. The count is
    of bytes as sent (before any content decoding), which is what the header declares."""
    declared = response.headers.get("Content-Length", "").strip()
    if (
        not declared.isdigit()
        or response.request.method == "HEAD"
        or response.status_code in (204, 304)
    ):
        return
    # A transport that hands over a ready body (no streaming) counts nothing: count the body.
    received = response.num_bytes_downloaded or len(response.content)
    if received < int(declared):
        raise Truncated(
            f"{response.request.method} {response.request.url}: body truncated, the connection "
            f"delivered {received} of {declared} declared bytes",
            status_code=response.status_code,
        )


# A validator made from the body, for servers that send none: a board or feed whose body is
# byte-for-byte the last run's is then "not modified" without being parsed again. Sent back as
# If-None-Match, which such a server ignores; the comparison happens here.
_DIGEST_TAG = 'W/"tf-sha256-{}"'


def body_validator(content: bytes) -> str:
    return _DIGEST_TAG.format(hashlib.sha256(content).hexdigest()[:40])


@dataclass(frozen=True)
class Document:
    """A final answer of a fetch: 2xx, or 304 when a validator was sent."""

    url: str  # as requested, query included
    status_code: int
    content: bytes
    headers: httpx.Headers
    encoding: str = "utf-8"  # the declared charset, else what httpx detected

    @property
    def not_modified(self) -> bool:
        return self.status_code == 304

    @property
    def etag(self) -> str | None:
        return self.headers.get("ETag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("Last-Modified")

    @property
    def text(self) -> str:
        return self.content.decode(self.encoding, errors="replace")

    def json(self) -> Any:
        """The body as JSON (None on 304). A body that is empty, not UTF-8 or not complete JSON
        is a ParseError: JSON is UTF-8 by definition, and replacing a bad byte would change a
        value without saying so."""
        if self.not_modified:
            return None
        if not self.content.strip():
            raise ParseError(f"{self.url}: response is not valid JSON (the body is empty)")
        try:
            return json.loads(self.content)
        except UnicodeDecodeError as exc:
            raise ParseError(
                f"{self.url}: response is not valid JSON (not UTF-8: byte "
                f"{exc.object[exc.start : exc.start + 1]!r} at offset {exc.start})"
            ) from exc
        except json.JSONDecodeError as exc:
            raise ParseError(f"{self.url}: response is not valid JSON ({exc})") from exc

    def html(self) -> str:
        """The body as an HTML document; one that does not end (no closing ``</html>`` or
        ``</body>``) is :class:`Truncated`. Bad bytes become U+FFFD: browsers do the same, and a
        page is read for its structure, which a stray byte does not break."""
        text = self.text
        if not html_ends(text):
            raise Truncated(
                f"{self.url}: HTML document is truncated or not well-formed: it does not end "
                "with </html> or </body>",
                status_code=self.status_code,
            )
        return text


def raise_for_status(response: httpx.Response) -> None:
    """The one status → exception mapping: 404/410 BoardNotFound, other non-2xx (but 304)
    FetchError."""
    status = response.status_code
    if status == 304 or 200 <= status < 300:
        return
    where = f"{response.request.method} {response.request.url}"
    if status in GONE_STATUSES:
        gone = "not found" if status == 404 else "gone"
        raise BoardNotFound(f"{where}: {status} {gone}", status_code=status)
    raise FetchError(f"{where}: HTTP {status}", status_code=status)


@dataclass
class Fetcher:
    """An ``httpx.AsyncClient`` plus the policy: what every scraper's fetch step is given."""

    client: httpx.AsyncClient
    policy: HttpPolicy = field(default_factory=HttpPolicy)
    _host_limits: dict[str, asyncio.Semaphore] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self._host_limits, defaultdict):
            per_host = self.policy.per_host
            self._host_limits = defaultdict(lambda: asyncio.Semaphore(per_host), self._host_limits)

    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, _Retryable):
            hinted = retry_after_seconds(exc.response.headers.get("Retry-After"))
            if hinted is not None:
                return min(hinted, self.policy.max_retry_after)
        return float(self.policy.backoff * (2 ** (state.attempt_number - 1)))

    async def request(
        self,
        method: str,
        url: str,
        *,
        headers: dict[str, str] | None = None,
        json_body: Any = None,
        params: dict[str, Any] | None = None,
    ) -> httpx.Response:
        """Send one request with retries; return the final response (2xx, 304 or 4xx), its
        body read whole."""
        host = urlsplit(url).netloc
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self.policy.retries + 1),
            wait=self._wait,
            retry=retry_if_exception(_is_transient),
            reraise=True,
        )
        attempts = f"{self.policy.retries + 1} attempts"
        try:
            async for attempt in retrying:
                with attempt:
                    async with self._host_limits[host]:
                        response = await self._attempt(method, url, headers, json_body, params)
                        if response.status_code in RETRY_STATUSES:
                            raise _Retryable(response)
                        check_length(response)
                        return response
        except _Retryable as exc:
            raise FetchError(
                f"{method} {url}: HTTP {exc.response.status_code} after {attempts}",
                status_code=exc.response.status_code,
            ) from exc
        except _DeadlineExceeded as exc:
            raise FetchError(
                f"{method} {url}: timed out: the deadline of {self.policy.deadline:g}s for the "
                f"whole request was exceeded, {attempts}"
            ) from exc
        except httpx.TimeoutException as exc:
            raise FetchError(f"{method} {url}: timed out ({type(exc).__name__})") from exc
        except httpx.HTTPError as exc:
            raise FetchError(f"{method} {url}: {type(exc).__name__}: {exc}") from exc
        raise AssertionError("unreachable")  # pragma: no cover

    async def _attempt(
        self,
        method: str,
        url: str,
        headers: dict[str, str] | None,
        json_body: Any,
        params: dict[str, Any] | None,
    ) -> httpx.Response:
        """One attempt under the deadline. The body is streamed so the deadline covers the
        transfer, not only the wait for headers."""
        try:
            async with asyncio.timeout(self.policy.deadline):
                async with self.client.stream(
                    method, url, headers=headers, json=json_body, params=params
                ) as response:
                    await response.aread()
                    return response
        except TimeoutError as exc:
            raise _DeadlineExceeded() from exc

    async def get_document(
        self,
        url: str,
        *,
        accept: str,
        etag: str | None = None,
        last_modified: str | None = None,
        method: str = "GET",
        json: Any = None,
        params: dict[str, Any] | None = None,
    ) -> Document:
        """Fetch one document. Returns 2xx or (when a validator was sent) 304; raises
        :class:`BoardNotFound` on 404/410 and :class:`FetchError` on anything else."""
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        response = await self.request(method, url, headers=headers, json_body=json, params=params)
        raise_for_status(response)
        status, response_headers = response.status_code, response.headers
        if status == 200 and "ETag" not in response_headers and method == "GET":
            digest = body_validator(response.content)
            response_headers = httpx.Headers(response_headers)
            response_headers["ETag"] = digest
            if etag == digest:
                status = 304
        return Document(
            url=str(response.request.url),
            status_code=status,
            content=b"" if status == 304 else response.content,
            headers=response_headers,
            encoding=response.encoding or "utf-8",
        )

    async def get_json(
        self, url: str, *, etag: str | None = None, params: dict[str, Any] | None = None
    ) -> tuple[Any, Document]:
        """GET a JSON document: ``(payload, document)``, payload None on 304 Not Modified.
        A body that is not complete JSON raises :class:`ParseError`."""
        document = await self.get_document(url, accept=JSON, etag=etag, params=params)
        return document.json(), document

    async def post_json(self, url: str, body: Any) -> Any:
        document = await self.get_document(url, accept=JSON, method="POST", json=body)
        return document.json()


async def gather_partial(
    jobs: Iterable[tuple[str, Awaitable[T]]], *, warning: str = "{label} failed: {error}"
) -> tuple[list[T], list[str]]:
    """Run labelled awaitables together. Returns the results that succeeded (in input order)
    and one warning per ScrapeError (in input order); any other exception propagates, since
    it is a bug rather than a board problem."""
    labels, awaitables = [], []
    for label, awaitable in jobs:
        labels.append(label)
        awaitables.append(awaitable)
    outcomes = await asyncio.gather(*awaitables, return_exceptions=True)
    results: list[T] = []
    warnings: list[str] = []
    for label, outcome in zip(labels, outcomes, strict=True):
        if isinstance(outcome, ScrapeError):
            warnings.append(warning.format(label=label, error=outcome))
        elif isinstance(outcome, BaseException):
            raise outcome
        else:
            results.append(outcome)
    return results, warnings


def build_client(
    policy: HttpPolicy, transport: httpx.AsyncBaseTransport | None = None
) -> httpx.AsyncClient:
    """The one place an outbound client for job boards is configured."""
    return httpx.AsyncClient(
        headers={"User-Agent": policy.user_agent},
        timeout=httpx.Timeout(policy.read_timeout, connect=policy.connect_timeout),
        follow_redirects=True,
        transport=transport,
    )


def make_fetcher(policy: HttpPolicy, client: httpx.AsyncClient) -> Fetcher:
    return Fetcher(client=client, policy=policy)


@asynccontextmanager
async def open_fetcher(
    policy: HttpPolicy, transport: httpx.AsyncBaseTransport | None = None
) -> AsyncIterator[Fetcher]:
    """A fetcher over its own client, closed on exit."""
    async with build_client(policy, transport) as client:
        yield make_fetcher(policy, client)
