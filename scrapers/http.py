"""The HTTP client policy every scraper shares.

Explicit User-Agent, connect/read timeouts, at most two retries with exponential backoff on
transient statuses (honouring ``Retry-After``), a per-host concurrency limit, and conditional
requests. Scrapers call :class:`Fetcher`; nothing else in a scraper does I/O.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import httpx
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    stop_after_attempt,
)

from scrapers.errors import BoardNotFound, FetchError, ParseError

RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})


@dataclass(frozen=True)
class HttpPolicy:
    user_agent: str = "talentflow"
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    retries: int = 2
    backoff: float = 1.0  # seconds before the first retry; doubles each time
    max_retry_after: float = 60.0  # never sleep longer than this on a server's say-so
    per_host: int = 4


class _Retryable(Exception):
    def __init__(self, response: httpx.Response) -> None:
        super().__init__(f"HTTP {response.status_code}")
        self.response = response


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _is_transient(exc: BaseException) -> bool:
    return isinstance(exc, _Retryable | httpx.TimeoutException | httpx.TransportError)


@dataclass
class Fetcher:
    """An ``httpx.AsyncClient`` plus the policy: what every scraper's fetch step is given."""

    client: httpx.AsyncClient
    policy: HttpPolicy = field(default_factory=HttpPolicy)
    _host_limits: dict[str, asyncio.Semaphore] = field(
        default_factory=lambda: defaultdict(lambda: asyncio.Semaphore(4))
    )

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
        """Send one request with retries; return the final response (2xx, 304 or 4xx)."""
        host = urlsplit(url).netloc
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self.policy.retries + 1),
            wait=self._wait,
            retry=retry_if_exception(_is_transient),
            reraise=True,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    async with self._host_limits[host]:
                        response = await self.client.request(
                            method, url, headers=headers, json=json_body, params=params
                        )
                        if response.status_code in RETRY_STATUSES:
                            await response.aread()
                            raise _Retryable(response)
                        return response
        except _Retryable as exc:
            raise FetchError(
                f"{method} {url}: HTTP {exc.response.status_code} after "
                f"{self.policy.retries + 1} attempts",
                status_code=exc.response.status_code,
            ) from exc
        except httpx.TimeoutException as exc:
            raise FetchError(f"{method} {url}: timed out ({type(exc).__name__})") from exc
        except httpx.HTTPError as exc:
            raise FetchError(f"{method} {url}: {type(exc).__name__}: {exc}") from exc
        raise AssertionError("unreachable")  # pragma: no cover

    async def get_json(
        self, url: str, *, etag: str | None = None, params: dict[str, Any] | None = None
    ) -> tuple[Any, httpx.Response]:
        """GET a JSON document. Returns ``(None, response)`` on 304 Not Modified.

        404 raises :class:`BoardNotFound`; any other non-2xx raises :class:`FetchError`;
        a body that is not complete JSON raises :class:`ParseError`.
        """
        headers = {"Accept": "application/json"}
        if etag:
            headers["If-None-Match"] = etag
        response = await self.request("GET", url, headers=headers, params=params)
        return self.decode_json(response), response

    async def post_json(self, url: str, body: Any) -> Any:
        response = await self.request(
            "POST", url, headers={"Accept": "application/json"}, json_body=body
        )
        return self.decode_json(response)

    @staticmethod
    def decode_json(response: httpx.Response) -> Any:
        url = str(response.request.url)
        if response.status_code == 304:
            return None
        if response.status_code == 404:
            raise BoardNotFound(f"GET {url}: 404 not found", status_code=404)
        if not 200 <= response.status_code < 300:
            raise FetchError(
                f"{response.request.method} {url}: HTTP {response.status_code}",
                status_code=response.status_code,
            )
        try:
            return json.loads(response.content)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise ParseError(f"{url}: response is not valid JSON ({exc})") from exc


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
    return Fetcher(
        client=client,
        policy=policy,
        _host_limits=defaultdict(lambda: asyncio.Semaphore(policy.per_host)),
    )
