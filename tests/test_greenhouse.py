"""Greenhouse: parsing saved responses, and fetching through a mock transport."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from scrapers.errors import BoardNotFound, FetchError, ParseError
from scrapers.http import HttpPolicy, build_client, make_fetcher
from scrapers.models import BoardConfig, BoardSnapshot
from scrapers.sources.base import BoardState
from scrapers.sources.greenhouse import GreenhouseScraper, parse_jobs, parse_pay_ranges
from tests.conftest import load_fixture
from tests.enrich_helpers import settled, settled_pay

BOARD = BoardConfig(company="xAI", ats="greenhouse", token="xai", api_base="http://gh.test")
FAST = HttpPolicy(user_agent="talentflow-test", backoff=0, read_timeout=2, connect_timeout=2)


def by_id() -> dict[str, Any]:
    return {
        p.external_id: settled(p) for p in parse_jobs(load_fixture("greenhouse", "xai_jobs.json"))
    }


def test_title_trimmed_and_team_from_department_tree() -> None:
    omni = by_id()["4567890"]
    assert omni.title == "Member of Technical Staff, Omni"
    assert (omni.department, omni.team) == ("Research", "Omni")
    assert by_id()["4567892"].title == "Account Executive, Enterprise"


def test_content_is_unescaped_exactly_once() -> None:
    text = by_id()["4567890"].description
    assert "The Omni team trains models that see, hear and speak at once." in text
    assert "Literal <tags> stay text." in text  # &amp;lt; in the payload is a literal "<"
    assert "&lt;" not in text and "<p>" not in text and "\u00a0" not in text
    assert "Pretrain multimodal world models\nShip to Grok" in text


def test_pay_ranges_in_cents_skipping_bonus() -> None:
    pay = by_id()["4567890"].pay
    assert pay is not None
    assert (pay.min, pay.max, pay.currency, pay.period, pay.source) == (
        180000,
        440000,
        "USD",
        "year",
        "structured",
    )


def test_hourly_range_from_title_and_first_zone_wins() -> None:
    tutor = by_id()["4567891"].pay
    assert tutor is not None and (tutor.min, tutor.max, tutor.period) == (45, 100, "hour")
    zones = by_id()["4567893"].pay
    assert zones is not None and (zones.min, zones.max) == (90000, 130000)


def test_pay_only_in_text_falls_back_to_text_parser() -> None:
    pay = by_id()["4567892"].pay
    assert pay is not None
    assert (pay.min, pay.max, pay.period, pay.source) == (120000, 150000, "year", "text")


def test_only_bonus_ranges_means_no_structured_pay() -> None:
    assert (
        parse_pay_ranges(
            [{"min_cents": 100, "max_cents": 200, "currency_type": "USD", "title": "OTE Range"}]
        )
        is None
    )
    hourly = settled_pay(
        parse_pay_ranges(
            [{"min_cents": 2040, "max_cents": 3000, "currency_type": "usd", "title": "Zone 1"}]
        )
    )
    assert hourly is not None and (hourly.min, hourly.period, hourly.currency) == (
        20.40,
        "hour",
        "USD",
    )


def test_metadata_workplace_employment_and_locations() -> None:
    jobs = by_id()
    assert (jobs["4567890"].workplace, jobs["4567890"].employment_type) == ("onsite", "full_time")
    assert (jobs["4567891"].workplace, jobs["4567891"].employment_type) == ("remote", "part_time")
    assert jobs["4567893"].workplace == "hybrid"
    assert jobs["4567892"].locations == ("San Francisco, CA", "London, United Kingdom")
    assert jobs["4567893"].locations == ("Memphis, TN", "Palo Alto, CA")


def test_dates_are_parsed_with_offsets() -> None:
    omni = by_id()["4567890"]
    assert omni.posted_at == datetime(2026, 10, 1, 12, 0, tzinfo=UTC)
    assert omni.updated_at == datetime(2026, 10, 5, 16, 30, tzinfo=UTC)


def test_malformed_payloads_raise_parse_error() -> None:
    with pytest.raises(ParseError):
        parse_jobs({"status": 404})
    with pytest.raises(ParseError):
        parse_jobs({"jobs": [{"title": "no id"}]})


def fetch(handler: Any, state: BoardState | None = None) -> BoardSnapshot:
    async def go() -> BoardSnapshot:
        async with build_client(FAST, httpx.MockTransport(handler)) as client:
            return await GreenhouseScraper().fetch(
                BOARD, make_fetcher(FAST, client), state or BoardState()
            )

    return asyncio.run(go())


def test_fetch_calls_the_list_endpoint_with_content_and_pay() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(
            200, json=load_fixture("greenhouse", "xai_jobs.json"), headers={"ETag": '"v1"'}
        )

    snap = fetch(handler)
    assert snap.complete and len(snap.postings) == 4 and snap.etag == '"v1"'
    url = seen[0].url
    assert (url.host, url.path) == ("gh.test", "/v1/boards/xai/jobs")
    assert url.params["content"] == "true" and url.params["pay_transparency"] == "true"
    assert seen[0].headers["User-Agent"] == "talentflow-test"


def test_fetch_sends_etag_and_understands_304() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.headers["If-None-Match"] == '"v1"'
        return httpx.Response(304)

    snap = fetch(handler, BoardState(etag='"v1"'))
    assert snap.not_modified and snap.postings == ()


def test_total_mismatch_is_incomplete() -> None:
    data = load_fixture("greenhouse", "xai_jobs.json")
    data["meta"]["total"] = 10
    snap = fetch(lambda _r: httpx.Response(200, json=data))
    assert not snap.complete and "meta.total=10" in snap.warnings[0]


@pytest.mark.parametrize(
    ("response", "error"),
    [
        (httpx.Response(404, json={"status": 404, "error": "Job not found"}), BoardNotFound),
        (httpx.Response(200, text="<html>maintenance</html>"), ParseError),
        (httpx.Response(200, text='{"jobs": [{"id": 1, "title": "cut'), ParseError),
        (httpx.Response(403, text="forbidden"), FetchError),
        (httpx.Response(200, json={"unexpected": True}), ParseError),
    ],
    ids=["404", "html", "truncated", "403", "shape"],
)
def test_bad_answers_are_errors_never_empty_boards(
    response: httpx.Response, error: type[Exception]
) -> None:
    with pytest.raises(error):
        fetch(lambda _r: response)


def test_timeouts_are_retried_then_fail() -> None:
    calls = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        raise httpx.ReadTimeout("slow", request=request)

    with pytest.raises(FetchError, match="timed out"):
        fetch(handler)
    assert calls == 3  # the first attempt and two retries


def test_detail_fallback_when_list_ignores_pay_transparency() -> None:
    listing = load_fixture("greenhouse", "xai_jobs.json")
    for job in listing["jobs"]:
        job.pop("pay_input_ranges")
    detail_pay = [
        {
            "min_cents": 15000000,
            "max_cents": 20000000,
            "currency_type": "USD",
            "title": "US",
            "blurb": "",
        }
    ]

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/jobs"):
            return httpx.Response(200, json=listing)
        job_id = request.url.path.rsplit("/", 1)[1]
        return httpx.Response(200, json={"id": int(job_id), "pay_input_ranges": detail_pay})

    snap = fetch(handler)
    pays = {p.external_id: p.pay for p in snap.postings}
    assert pays["4567890"] is not None and pays["4567890"].min == 150000


def test_fixture_matches_real_capture_shape() -> None:
    """The authored fixture carries every key a real Greenhouse capture has."""
    from tests.conftest import SHARED_SAMPLES

    sample = SHARED_SAMPLES / "greenhouse" / "anthropic_jobs_content_list.json"
    if not sample.exists():
        pytest.skip(f"shared samples not present at {SHARED_SAMPLES}")
    real_keys = set(json.loads(sample.read_text())["jobs"][0])
    ours = set(load_fixture("greenhouse", "xai_jobs.json")["jobs"][0])
    assert real_keys - {"ai_disclaimer", "include_ai_disclaimer", "ai_opt_out_request_url"} <= ours


def test_list_only_probe_makes_no_detail_requests() -> None:
    listing = load_fixture("greenhouse", "xai_jobs.json")
    for job in listing["jobs"]:
        job.pop("pay_input_ranges")
    paths: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        paths.append(request.url.path)
        return httpx.Response(200, json=listing)

    snap = fetch(handler, BoardState(list_only=True))
    assert len(snap.postings) == 4 and paths == ["/v1/boards/xai/jobs"]
    assert BoardState(known_ids=frozenset({"1"})).needs_detail("2")
    assert not BoardState(known_ids=frozenset({"1"})).needs_detail("1")
    assert not BoardState(list_only=True).needs_detail("2")
