"""The shared HTTP client policy: retries, backoff, Retry-After, User-Agent, the deadline and
whole bodies."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from pydantic import ValidationError

from scrapers.errors import FetchError, ParseError, Truncated
from scrapers.http import (
    Document,
    Fetcher,
    HttpPolicy,
    build_client,
    make_fetcher,
    retry_after_seconds,
)
from service.settings import Settings
from tests.fault_server import Answer, fault_server


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


def get_json_from(url: str, policy: HttpPolicy, transport: Any = None) -> Any:
    async def go() -> Any:
        async with build_client(policy, transport) as client:
            return await make_fetcher(policy, client).get_json(url)

    return asyncio.run(go())


def test_a_drip_outlasting_the_deadline_is_a_retried_fetch_error() -> None:
    # One byte every 10 ms never trips the 30 s read timeout; only the deadline stops it.
    with fault_server() as server:
        server.site = lambda _hit: Answer(body=b'{"jobs": []}' * 100, drip=0.01)
        policy = HttpPolicy(backoff=0, retries=1, deadline=0.2)
        with pytest.raises(FetchError, match=r"timed out: the deadline of 0\.2s") as caught:
            get_json_from(f"{server.base_url}/jobs", policy)
        assert not isinstance(caught.value, Truncated)
        assert len(server.hits) == 2  # retried like a timeout


def test_a_slow_body_within_the_deadline_is_read_whole() -> None:
    with fault_server() as server:
        server.site = lambda _hit: Answer(body=b'{"ok": true}', drip=0.005)
        payload, document = get_json_from(f"{server.base_url}/jobs", HttpPolicy(deadline=30))
    assert payload == {"ok": True} and document.content == b'{"ok": true}'


def test_a_body_shorter_than_its_content_length_is_truncated_and_retried() -> None:
    calls: list[int] = []

    def short(_r: httpx.Request) -> httpx.Response:
        calls.append(1)
        return httpx.Response(200, content=b'{"jobs": []}', headers={"Content-Length": "400"})

    with pytest.raises(Truncated, match="delivered 12 of 400 declared bytes"):
        run(short, HttpPolicy(backoff=0, retries=1))
    assert len(calls) == 2
    answers = [short(httpx.Request("GET", "http://x")), httpx.Response(200, json={"ok": 1})]
    payload, _ = run(lambda _r: answers.pop(0), HttpPolicy(backoff=0, retries=1))
    assert payload == {"ok": 1}


def test_a_connection_cut_before_the_declared_length_is_a_fetch_error() -> None:
    with fault_server() as server:
        body = b'{"jobs": [{"id": 1}, {"id": 2}]}'
        server.site = lambda _hit: Answer(body=body[:10], declared_length=len(body))
        with pytest.raises(FetchError, match="RemoteProtocolError"):
            get_json_from(f"{server.base_url}/jobs", HttpPolicy(backoff=0, retries=1))
        assert len(server.hits) == 2


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (b'{"title": "Ing\xe9nieur"}', r"not UTF-8: byte b'\\xe9' at offset 14"),
        (b"", "the body is empty"),
        (b"  \n", "the body is empty"),
        (b'{"jobs": [', "Expecting value"),
    ],
)
def test_json_bodies_are_utf8_and_whole_or_a_parse_error(body: bytes, words: str) -> None:
    with pytest.raises(ParseError, match=words):
        run(lambda _r: httpx.Response(200, content=body), HttpPolicy(backoff=0))


def test_html_documents_must_end_and_decode_with_replacement() -> None:
    def document(body: bytes) -> Document:
        return Document("http://b.test/careers", 200, body, httpx.Headers())

    whole = b"<!doctype html><html><body><h1>Caf\xff</h1></body></html>\n<!-- 3 ms -->\n"
    assert document(whole).html().startswith("<!doctype html><html><body><h1>Caf\ufffd</h1>")
    for cut in (whole[:30], b"", b"<html><body><p>Page 1 of 3"):
        with pytest.raises(Truncated, match="does not end with </html> or </body>"):
            document(cut).html()


def test_the_deadline_is_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings().http_policy.deadline == 60
    monkeypatch.setenv("TALENTFLOW_HTTP_DEADLINE", "2.5")
    assert Settings().http_policy.deadline == 2.5
    monkeypatch.setenv("TALENTFLOW_HTTP_DEADLINE", "0")
    with pytest.raises(ValidationError):
        Settings()
