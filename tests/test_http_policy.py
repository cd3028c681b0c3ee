"""The shared HTTP client policy: retries, backoff, Retry-After, User-Agent."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from scrapers.errors import FetchError
from scrapers.http import Fetcher, HttpPolicy, build_client, make_fetcher, retry_after_seconds


def run(handler: Any, policy: HttpPolicy, sleeps: list[float] | None = None) -> Any:
    async def go() -> Any:
        async with build_client(policy, httpx.MockTransport(handler)) as client:
            fetcher: Fetcher = make_fetcher(policy, client)
            return await fetcher.get_json("http://board.test/jobs")

    if sleeps is None:
        return asyncio.run(go())

    async def fake_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    original = asyncio.sleep
    asyncio.sleep = fake_sleep  # type: ignore[assignment]
    try:
        return asyncio.run(go())
    finally:
        asyncio.sleep = original  # type: ignore[assignment]


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
def test_transient_statuses_are_retried(status: int) -> None:
    answers = [httpx.Response(status), httpx.Response(200, json={"ok": True})]
    payload, response = run(lambda _r: answers.pop(0), HttpPolicy(backoff=0))
    assert payload == {"ok": True} and response.status_code == 200


def test_at_most_two_retries_with_exponential_backoff() -> None:
    calls: list[int] = []
    sleeps: list[float] = []

    def handler(_r: httpx.Request) -> httpx.Response:
        calls.append(1)
        return httpx.Response(502)

    with pytest.raises(FetchError, match="HTTP 502 after 3 attempts"):
        run(handler, HttpPolicy(backoff=0.5), sleeps)
    assert len(calls) == 3
    assert sleeps == [0.5, 1.0]


def test_retry_after_is_honoured_and_capped() -> None:
    sleeps: list[float] = []
    answers = [
        httpx.Response(429, headers={"Retry-After": "7"}),
        httpx.Response(503, headers={"Retry-After": "3600"}),
        httpx.Response(200, json=[]),
    ]
    run(lambda _r: answers.pop(0), HttpPolicy(backoff=0.1, max_retry_after=60), sleeps)
    assert sleeps == [7.0, 60.0]


def test_404_is_not_retried() -> None:
    calls: list[int] = []

    def handler(_r: httpx.Request) -> httpx.Response:
        calls.append(1)
        return httpx.Response(404)

    with pytest.raises(FetchError):
        run(handler, HttpPolicy(backoff=0))
    assert len(calls) == 1


def test_user_agent_is_explicit() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["User-Agent"])
        return httpx.Response(200, json={})

    run(handler, HttpPolicy(user_agent="talentflow/9 (+https://example.org)"))
    assert seen == ["talentflow/9 (+https://example.org)"]


def test_retry_after_parsing() -> None:
    now = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
    assert retry_after_seconds("120") == 120
    assert retry_after_seconds("Tue, 24 Nov 2026 08:00:30 GMT", now) == 30
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None
