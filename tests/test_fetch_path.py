"""The one fetch path: get_document's status mapping, gather_partial, Retry-After, board specs
and the fetcher shared by `talentflow run`'s jobs."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from scrapers.errors import BoardNotFound, FetchError, ParseError
from scrapers.http import HttpPolicy, gather_partial, open_fetcher, retry_after
from scrapers.models import BoardConfig
from scrapers.sources.base import BoardSpec
from scrapers.sources.news import fetch_feed
from scrapers.sources.personio import PersonioScraper
from scrapers.sources.registry import SCRAPERS, TOKEN_KINDS, URL_KINDS
from service.scheduler import build_scheduler
from service.scrape import scrape_boards
from service.settings import Settings
from service.sources import ConfigError, Sources, load_sources
from service.webhooks.policy import parse_retry_after
from store.engine import session_scope
from store.models import Posting
from tests.conftest import load_fixture

POLICY = HttpPolicy(backoff=0, retries=1)


def fetch_with(handler: Any, call: Any, policy: HttpPolicy = POLICY) -> Any:
    async def go() -> Any:
        async with open_fetcher(policy, httpx.MockTransport(handler)) as fetcher:
            return await call(fetcher)

    return asyncio.run(go())


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (404, BoardNotFound),
        (410, BoardNotFound),
        (403, FetchError),
        (401, FetchError),
        (500, FetchError),
        (301, FetchError),
    ],
)
def test_status_maps_to_the_standard_errors(status: int, error: type[Exception]) -> None:
    def handler(_r: httpx.Request) -> httpx.Response:
        # A 3xx without Location cannot be followed: it is a final non-2xx answer.
        return httpx.Response(status)

    with pytest.raises(error) as caught:
        fetch_with(handler, lambda f: f.get_document("http://b.test/x", accept="text/html"))
    assert caught.value.status_code == status  # type: ignore[attr-defined]
    assert type(caught.value) is error


def test_document_carries_body_headers_and_validators() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.headers.get("If-None-Match") == '"v1"':
            return httpx.Response(304, headers={"ETag": '"v1"'})
        return httpx.Response(
            200,
            content="café".encode("latin-1"),
            headers={
                "ETag": '"v1"',
                "Last-Modified": "Tue, 24 Nov 2026",
                "Content-Type": "text/plain; charset=latin-1",
            },
        )

    async def both(fetcher: Any) -> Any:
        first = await fetcher.get_document(
            "http://b.test/a", accept="text/plain", params={"q": "1"}
        )
        again = await fetcher.get_document("http://b.test/a", accept="text/plain", etag='"v1"')
        return first, again

    first, again = fetch_with(handler, both)
    assert (first.status_code, first.text, first.etag) == (200, "café", '"v1"')
    assert first.last_modified == "Tue, 24 Nov 2026" and not first.not_modified
    assert first.url == "http://b.test/a?q=1"
    assert seen[0].headers["Accept"] == "text/plain" and "If-None-Match" not in seen[0].headers
    assert again.not_modified and again.json() is None


def test_get_json_refuses_a_truncated_body() -> None:
    def handler(_r: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=b'{"jobs": [')

    with pytest.raises(ParseError, match="not valid JSON"):
        fetch_with(handler, lambda f: f.get_json("http://b.test/jobs"))


def test_post_sends_the_body_and_maps_errors() -> None:
    bodies: list[Any] = []

    def handler(request: httpx.Request) -> httpx.Response:
        bodies.append(json.loads(request.content))
        return httpx.Response(404 if bodies[-1].get("gone") else 200, json={"ok": True})

    assert fetch_with(handler, lambda f: f.post_json("http://b.test/p", {"a": 1})) == {"ok": True}
    with pytest.raises(BoardNotFound):
        fetch_with(handler, lambda f: f.post_json("http://b.test/p", {"gone": True}))
    assert bodies == [{"a": 1}, {"gone": True}]


def test_feed_and_personio_share_the_mapping() -> None:
    def handler(_r: httpx.Request) -> httpx.Response:
        return httpx.Response(410)

    with pytest.raises(BoardNotFound, match="410"):
        fetch_with(handler, lambda f: fetch_feed(f, "http://news.test/feed"))
    board = BoardConfig(company="x", ats="personio", token="x", api_base="http://p.test")
    with pytest.raises(BoardNotFound):
        fetch_with(handler, lambda f: PersonioScraper().fetch(board, f, None))  # type: ignore[arg-type]


def test_gather_partial_keeps_errors_as_warnings_in_order() -> None:
    async def ok(value: int) -> int:
        await asyncio.sleep(0.01 * (3 - value))  # finish out of order
        return value

    async def bad(label: str) -> int:
        raise FetchError(f"{label} broke")

    async def go() -> Any:
        return await gather_partial([("a", ok(1)), ("b", bad("b")), ("c", ok(2)), ("d", bad("d"))])

    results, warnings = asyncio.run(go())
    assert results == [1, 2]
    assert warnings == ["b failed: b broke", "d failed: d broke"]

    async def custom() -> Any:
        return await gather_partial([("item 7", bad("x"))], warning="{label}: {error}")

    assert asyncio.run(custom()) == ([], ["item 7: x broke"])


def test_gather_partial_lets_bugs_through() -> None:
    async def crash() -> int:
        raise KeyError("bug")

    async def go() -> Any:
        return await gather_partial([("a", crash())])

    with pytest.raises(KeyError):
        asyncio.run(go())


def test_one_retry_after_parser_with_each_callers_bounds() -> None:
    now = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
    assert retry_after("90", now) == timedelta(seconds=90)
    assert retry_after("Tue, 24 Nov 2026 07:59:00 GMT", now) == timedelta(0)
    assert retry_after("later", now) is None
    assert parse_retry_after("86400", now) == timedelta(hours=10)  # the webhook bound
    sleeps: list[float] = []
    answers = [httpx.Response(429, headers={"Retry-After": "86400"}), httpx.Response(200, json={})]

    async def fake_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    original = asyncio.sleep
    asyncio.sleep = fake_sleep  # type: ignore[assignment]
    try:
        fetch_with(
            lambda _r: answers.pop(0),
            lambda f: f.get_json("http://b.test/j"),
            HttpPolicy(retries=1, max_retry_after=45),
        )
    finally:
        asyncio.sleep = original  # type: ignore[assignment]
    assert sleeps == [45]  # the scrapers' cap


def test_every_scraper_declares_its_spec() -> None:
    assert sorted(TOKEN_KINDS) == [
        "ashby",
        "greenhouse",
        "lever",
        "personio",
        "recruitee",
        "smartrecruiters",
        "workable",
    ]
    assert sorted(URL_KINDS) == ["jsonld", "workday"]
    assert SCRAPERS["hackernews"].spec == BoardSpec(None)
    for kind, scraper in SCRAPERS.items():
        needs = scraper.spec.needs
        bare = BoardConfig(company="x", ats=kind)
        assert (scraper.validate(bare) is None) == (needs is None), kind
        assert scraper.spec.keys == {"ats", "api_base"} | ({needs} if needs else set())


def write(tmp_path: Path, board: str) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(f'[[companies]]\nname = "X"\nboards = [ {board} ]\n')
    return path


@pytest.mark.parametrize(
    ("board", "words"),
    [
        ('{ ats = "lever" }', "lever boards need `token` (the site name)"),
        (
            '{ ats = "jsonld", url = "careers.example.com" }',
            "jsonld boards need `url` (the career page, an http(s) URL)",
        ),
        # Workday's own rule now speaks at load time, not at the first scrape.
        (
            '{ ats = "workday", url = "https://nvidia.wd5.myworkdayjobs.com/" }',
            "is not https://{tenant}.wdN.myworkdayjobs.com/{site}",
        ),
        (
            '{ ats = "greenhouse", token = "x", url = "https://x.test" }',
            "greenhouse boards take no url (expected api_base, ats, token)",
        ),
        ('{ ats = "hackernews", token = "x" }', "hackernews boards take no token"),
    ],
)
def test_loader_reports_the_scrapers_own_rules(tmp_path: Path, board: str, words: str) -> None:
    path = write(tmp_path, board)
    with pytest.raises(ConfigError) as caught:
        load_sources(path)
    assert str(caught.value).startswith(f"{path}:3:")
    assert words in str(caught.value)


def test_scheduler_jobs_share_one_fetcher_and_its_host_limit(
    tmp_path: Path, engine: Engine
) -> None:
    boards = [
        BoardConfig(company=f"C{i}", ats="greenhouse", token=f"t{i}", api_base="http://gh.test")
        for i in range(3)
    ]
    sources = Sources(path=tmp_path / "s.toml", boards=boards)
    payload = load_fixture("greenhouse", "xai_jobs.json")
    active = peak = calls = 0

    async def handler(_r: httpx.Request) -> httpx.Response:
        nonlocal active, peak, calls
        calls += 1
        active += 1
        peak = max(peak, active)
        await asyncio.sleep(0.02)
        active -= 1
        return httpx.Response(200, json=payload)

    policy = HttpPolicy(per_host=1, backoff=0)

    async def go() -> None:
        async with open_fetcher(policy, httpx.MockTransport(handler)) as fetcher:
            scheduler = build_scheduler(engine, Settings(), sources, fetcher=fetcher)
            jobs = [job for job in scheduler.get_jobs() if job.id.startswith("board:")]
            assert all(job.args[-1] is fetcher for job in jobs)
            await asyncio.gather(*(job.func(*job.args) for job in jobs))

    asyncio.run(go())
    with session_scope(engine) as session:
        assert len(session.exec(select(Posting)).all()) == 3 * 4  # each board: the 4 jobs
    assert calls >= 3 and peak == 1  # one limit across every job, not one per job


def test_a_body_without_validators_is_not_modified_when_byte_for_byte_the_same() -> None:
    bodies = [b'{"a": 1}', b'{"a": 1}', b'{"a": 2}']
    sent: list[str | None] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request.headers.get("If-None-Match"))
        return httpx.Response(200, content=bodies[len(sent) - 1])

    async def three(fetcher: Any) -> Any:
        first = await fetcher.get_document("http://b.test/j", accept="application/json")
        same = await fetcher.get_document(
            "http://b.test/j", accept="application/json", etag=first.etag
        )
        changed = await fetcher.get_document(
            "http://b.test/j", accept="application/json", etag=first.etag
        )
        return first, same, changed

    first, same, changed = fetch_with(handler, three)
    assert first.status_code == 200 and first.etag and first.etag.startswith('W/"tf-sha256-')
    assert sent == [None, first.etag, first.etag]
    assert same.not_modified and same.json() is None
    assert changed.status_code == 200 and changed.json() == {"a": 2}
    assert changed.etag != first.etag


def test_an_unchanged_board_without_validators_is_not_parsed_again(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scrapers.sources import greenhouse

    body = json.dumps(load_fixture("greenhouse", "xai_jobs.json"))
    handler = lambda _r: httpx.Response(200, content=body.encode())  # noqa: E731  (no ETag)
    board = BoardConfig(company="xAI", ats="greenhouse", token="xai")
    clock = iter(datetime(2026, 11, 24, 8, tzinfo=UTC) + timedelta(hours=h) for h in range(9))

    def scrape() -> str:
        now = next(clock)
        (summary,) = asyncio.run(
            scrape_boards(
                engine,
                Settings(),
                [board],
                transport=httpx.MockTransport(handler),
                clock=lambda: now,
            )
        )
        return summary.outcome

    assert scrape() == "ok"
    parsed: list[int] = []
    real = greenhouse.parse_jobs
    monkeypatch.setattr(greenhouse, "parse_jobs", lambda *a: parsed.append(1) or real(*a))
    assert scrape() == "unchanged"
    assert parsed == []
    with session_scope(engine) as session:
        postings = session.exec(select(Posting)).all()
        assert postings and {p.last_seen_at for p in postings} == {
            datetime(2026, 11, 24, 9, tzinfo=UTC)
        }


def test_only_the_entries_that_changed_are_parsed_again(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scrapers.sources import greenhouse
    from store.models import PostingChange

    payload = load_fixture("greenhouse", "xai_jobs.json")
    board = BoardConfig(company="xAI", ats="greenhouse", token="xai")
    clock = iter(datetime(2026, 11, 24, 8, tzinfo=UTC) + timedelta(hours=h) for h in range(9))

    def scrape(body: dict[str, Any]) -> str:
        now = next(clock)
        content = json.dumps(body).encode()
        (summary,) = asyncio.run(
            scrape_boards(
                engine,
                Settings(),
                [board],
                transport=httpx.MockTransport(lambda _r: httpx.Response(200, content=content)),
                clock=lambda: now,
            )
        )
        return summary.outcome

    assert scrape(payload) == "ok"
    with session_scope(engine) as session:
        before = {p.external_id: p for p in session.exec(select(Posting))}
    parsed: list[str] = []
    real = greenhouse.parse_job
    monkeypatch.setattr(greenhouse, "parse_job", lambda j: parsed.append(str(j["id"])) or real(j))
    edited = json.loads(json.dumps(payload))
    edited["jobs"][1]["title"] = "Member of Technical Staff, Omni"
    assert scrape(edited) == "ok"
    assert parsed == [str(edited["jobs"][1]["id"])]
    with session_scope(engine) as session:
        after = {p.external_id: p for p in session.exec(select(Posting))}
        changes = session.exec(select(PostingChange)).all()
    assert set(after) == set(before)
    changed_id = str(edited["jobs"][1]["id"])
    assert after[changed_id].title == "Member of Technical Staff, Omni"
    assert [(c.field, c.new) for c in changes] == [("title", "Member of Technical Staff, Omni")]
    for external_id, posting in after.items():
        assert posting.last_seen_at == datetime(2026, 11, 24, 9, tzinfo=UTC)
        if external_id != changed_id:  # as stored: content, labels, pay
            old = before[external_id]
            assert (posting.content_hash, posting.topics, posting.pay_annual_min_usd) == (
                old.content_hash,
                old.topics,
                old.pay_annual_min_usd,
            )
            assert posting.raw_hash == old.raw_hash and posting.raw_hash
