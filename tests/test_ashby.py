"""Ashby: parsing the job board, fetching it, and one end-to-end scrape."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from scrapers.currency import load_rates
from scrapers.errors import BoardNotFound, ParseError
from scrapers.models import BoardConfig, Pay
from scrapers.sources.ashby import (
    AshbyScraper,
    interval_period,
    parse_board,
    parse_compensation,
    parse_job,
)
from scrapers.sources.base import BoardState
from tests.ats_helpers import (
    json_response,
    read_postings,
    runs,
    scrape_through_cli,
    subset,
    write_sources,
)
from tests.conftest import SHARED_SAMPLES, load_fixture
from tests.e2e_helpers import Reply, local_server
from tests.enrich_helpers import settled
from tests.scraper_helpers import fetch

BOARD = BoardConfig(company="OpenAI", ats="ashby", token="openai", api_base="http://ashby.test")
PATH = "/posting-api/job-board/openai"
MTS = "5f0a1b2c-3d4e-4f50-8a6b-7c8d9e0f1a2b"
RED_TEAM = "6a1b2c3d-4e5f-4061-9b7c-8d9e0f1a2b3c"
INTERN = "7b2c3d4e-5f60-4172-8c8d-9e0f1a2b3c4d"
COORDINATOR = "8c3d4e5f-6071-4283-9d9e-0f1a2b3c4d5e"
UNLISTED = "9d4e5f60-7182-4394-8e0f-1a2b3c4d5e6f"


def board() -> dict[str, Any]:
    return dict(load_fixture("ashby", "job_board.json"))


def test_parse_skips_unlisted_and_trims_titles() -> None:
    by_id = {p.external_id: settled(p) for p in parse_board(board())}
    assert set(by_id) == {MTS, RED_TEAM, INTERN, COORDINATOR}  # isListed false left out
    mts = by_id[MTS]
    assert mts.title == "Member of Technical Staff, Post-Training"
    assert (mts.department, mts.team) == ("Research", "Post-Training")
    assert mts.url == f"https://jobs.ashbyhq.com/openai/{MTS}"
    assert mts.posted_at == datetime(2026, 10, 7, 17, 12, 35, 753000, tzinfo=UTC)
    # Primary location first, then every secondaryLocations entry.
    assert mts.locations == ("San Francisco, CA", "New York, NY", "Remote (US)")


def test_workplace_comes_from_workplace_type_not_is_remote() -> None:
    by_id = {p.external_id: settled(p) for p in parse_board(board())}
    # isRemote is true on this Hybrid job, as on every real Hybrid job: workplaceType wins.
    assert by_id[MTS].workplace == "hybrid"
    assert by_id[RED_TEAM].workplace == "remote"
    assert by_id[COORDINATOR].workplace == "onsite"
    # workplaceType null: the location ("Remote (US)") decides.
    assert by_id[INTERN].workplace == "remote"


def test_employment_types() -> None:
    kinds = {p.external_id: p.employment_type for p in parse_board(board())}
    assert kinds == {
        MTS: "full_time",
        RED_TEAM: "contract",
        INTERN: "intern",
        COORDINATOR: "part_time",
    }


def test_pay_from_the_salary_component_with_its_interval() -> None:
    by_id = {p.external_id: settled(p) for p in parse_board(board())}
    # The EquityPercentage component listed first is skipped.
    assert by_id[MTS].pay == Pay(310000, 460000, "USD", "year", "structured")
    assert by_id[RED_TEAM].pay == Pay(60, 80, "EUR", "hour", "structured")
    assert by_id[COORDINATOR].pay == Pay(4000, 5000, "GBP", "month", "structured")
    # Hidden compensation (all empty): the description's text is read instead.
    assert by_id[INTERN].pay == Pay(55, 70, "USD", "hour", "text")
    assert interval_period("1 WEEK") == "week" and interval_period("6 MONTH") is None
    assert interval_period("NONE") is None
    only_equity = {
        "summaryComponents": [
            {
                "compensationType": "EquityCashValue",
                "interval": "1 YEAR",
                "currencyCode": "USD",
                "minValue": 10000,
                "maxValue": 20000,
            }
        ]
    }
    assert parse_compensation(only_equity) is None


def test_shared_sample_cad_salary_parses() -> None:
    job = {
        "id": "fc2f",
        "title": "Senior Site Reliability Engineer ",
        "isListed": True,
        "employmentType": "FullTime",
        "location": "Toronto, Ontario",
        "secondaryLocations": [],
        "workplaceType": "Hybrid",
        "isRemote": True,
        "descriptionPlain": "SRE.",
        "compensation": {
            "summaryComponents": [
                {
                    "compensationType": "Salary",
                    "interval": "1 YEAR",
                    "currencyCode": "CAD",
                    "minValue": 102800,
                    "maxValue": 137000,
                }
            ]
        },
    }
    posting = settled(parse_job(job))
    assert posting.pay == Pay(102800, 137000, "CAD", "year", "structured")
    assert posting.title == "Senior Site Reliability Engineer"


def test_bad_shapes_raise_parse_error() -> None:
    with pytest.raises(ParseError):
        parse_board({"apiVersion": "1"})
    with pytest.raises(ParseError):
        parse_board({"jobs": [{"id": "x"}]})


def test_fetch_sends_lower_case_true_and_honours_etag() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.headers.get("if-none-match") == '"v1"':
            return httpx.Response(304)
        return httpx.Response(200, text=json.dumps(board()), headers={"ETag": '"v1"'})

    snapshot = fetch(AshbyScraper(), BOARD, handler)
    assert snapshot.complete and snapshot.etag == '"v1"' and len(snapshot.postings) == 4
    assert str(seen[0].url) == f"http://ashby.test{PATH}?includeCompensation=true"
    again = fetch(AshbyScraper(), BOARD, handler, BoardState(etag='"v1"'))
    assert again.not_modified and again.postings == ()
    spaced = BoardConfig(company="Flock", ats="ashby", token="flock safety")
    assert (
        AshbyScraper().board_url(spaced)
        == "https://api.ashbyhq.com/posting-api/job-board/flock%20safety"
    )


def test_unknown_board_is_board_not_found_and_non_json_fails() -> None:
    with pytest.raises(BoardNotFound):
        fetch(AshbyScraper(), BOARD, lambda r: json_response({"success": False}, 404))
    with pytest.raises(ParseError):
        fetch(AshbyScraper(), BOARD, lambda r: httpx.Response(200, text='{"jobs": [{"id": '))
    with pytest.raises(ParseError):
        fetch(AshbyScraper(), BOARD, lambda r: httpx.Response(200, text="<html>Wait</html>"))


def test_end_to_end_through_the_cli(tmp_path: Path, empty_database_url: str) -> None:
    url = empty_database_url
    with local_server() as server:
        server.route("GET", PATH, Reply(body=json.dumps(board()), headers={"ETag": '"b1"'}))
        sources = write_sources(
            tmp_path, "OpenAI", f'ats = "ashby", token = "openai", api_base = "{server.base_url}"'
        )
        scrape_through_cli(url, sources)
        assert server.requests[0].query == {"includeCompensation": ["true"]}
    items = read_postings(url)
    assert set(items) == {MTS, RED_TEAM, INTERN, COORDINATOR}
    expected: dict[str, Any] = {
        "company": "OpenAI",
        "ats": "ashby",
        "external_id": MTS,
        "title": "Member of Technical Staff, Post-Training",
        "team": "Post-Training",
        "department": "Research",
        "locations": ["San Francisco, CA", "New York, NY", "Remote (US)"],
        "workplace": "hybrid",
        "employment_type": "full_time",
        "pay": {
            "min": 310000,
            "max": 460000,
            "currency": "USD",
            "period": "year",
            "annual_min": 310000,
            "annual_max": 460000,
            "annual_min_usd": 310000,
            "annual_max_usd": 460000,
            "source": "structured",
        },
        "url": f"https://jobs.ashbyhq.com/openai/{MTS}",
        "posted_at": "2026-10-07T17:12:35.753000Z",
        "closed_at": None,
        "status": "open",
    }
    got = subset(items[MTS], expected)
    # Sub-second precision is the store's business; compare the posted time to the second.
    assert got.pop("posted_at")[:19] == expected.pop("posted_at")[:19]
    assert got == expected
    rates = load_rates()
    coordinator = items[COORDINATOR]["pay"]
    assert (coordinator["period"], coordinator["annual_min"], coordinator["annual_max"]) == (
        "month",
        48000,
        60000,
    )
    assert coordinator["annual_max_usd"] == rates.to_usd(60000, "GBP")
    assert items[RED_TEAM]["pay"]["annual_min"] == 60 * 2080
    assert items[INTERN]["pay"]["source"] == "text"
    assert runs(url)[0]["outcome"] == "ok"


@pytest.mark.skipif(
    not (SHARED_SAMPLES / "ashby").is_dir(),
    reason=f"shared reference samples not present at {SHARED_SAMPLES}",
)
def test_real_capture_hybrid_jobs_with_is_remote_stay_hybrid() -> None:
    capture = json.loads(
        (SHARED_SAMPLES / "ashby" / "ramp_job_board_includeCompensation.json").read_text()
    )
    postings = {p.external_id: settled(p) for p in parse_board(capture)}
    security = postings["34413f8d-26bf-4bbc-8ade-eb309a0e2245"]
    assert security.workplace == "hybrid" and security.title == "Security Engineer, Cloud"
    assert security.pay == Pay(211400, 290600, "USD", "year", "structured")
    assert "Miami, FL" in security.locations
