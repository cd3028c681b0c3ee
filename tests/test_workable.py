"""Workable: parsing the widget account body, fetching it, and one end-to-end scrape."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from scrapers.errors import BoardNotFound, ParseError
from scrapers.models import BoardConfig, Pay
from scrapers.sources.workable import WorkableScraper, job_locations, parse_account
from tests.boards_helpers import routes, scrape_through_cli
from tests.conftest import load_fixture
from tests.e2e_helpers import Reply, local_server
from tests.enrich_helpers import settled
from tests.scraper_helpers import fetch

BOARD = BoardConfig(
    company="Acme Analytics", ats="workable", token="acme", api_base="http://workable.test"
)
ACCOUNT_PATH = "/api/v1/widget/accounts/acme"


def test_one_posting_per_shortcode_with_every_location() -> None:
    postings = {
        p.external_id: settled(p)
        for p in parse_account(load_fixture("workable", "acme_account.json"))
    }
    assert set(postings) == {"A1B2C3D4E5", "F6G7H8J9K0"}
    engineer = postings["A1B2C3D4E5"]
    assert engineer.title == "Senior Data Engineer"
    assert engineer.locations == ("Berlin, Germany", "Amsterdam, North Holland, Netherlands")
    assert engineer.department == "Engineering"
    assert engineer.employment_type == "full_time"
    assert engineer.url == "https://apply.workable.com/j/A1B2C3D4E5"
    assert (
        engineer.posted_at is not None
        and engineer.posted_at.isoformat() == "2026-10-12T00:00:00+00:00"
    )
    assert engineer.pay == Pay(min=70000, max=90000, currency="EUR", period="year", source="text")
    assert "Build our pipelines." in engineer.description
    success = postings["F6G7H8J9K0"]
    assert success.workplace == "remote" and success.employment_type == "contract"
    assert success.locations == ("Spain",)
    assert success.pay is None  # "$20M Series A" is funding, not pay


def test_country_codes_are_expanded_and_hidden_locations_skipped() -> None:
    row = {
        "locations": [
            {"countryCode": "PT", "city": "Lisbon", "region": None, "hidden": False},
            {"country": "Spain", "city": "Madrid", "hidden": True},
        ],
        "country": "Spain",
        "city": "Madrid",
        "state": "",
    }
    assert job_locations(row) == ["Lisbon, Portugal"]
    assert job_locations({"locations": [], "country": "Spain", "city": "Madrid"}) == [
        "Madrid, Spain"
    ]


def test_bad_shapes_raise_parse_error() -> None:
    with pytest.raises(ParseError):
        parse_account({"name": "x"})
    with pytest.raises(ParseError):
        parse_account({"jobs": [{"title": "no shortcode"}]})


def test_fetch_calls_the_widget_endpoint_under_api_base() -> None:
    seen: list[httpx.Request] = []
    body = json.dumps(load_fixture("workable", "acme_account.json"))
    snapshot = fetch(
        WorkableScraper(), BOARD, routes({ACCOUNT_PATH: httpx.Response(200, text=body)}, seen)
    )
    assert snapshot.complete and len(snapshot.postings) == 2
    assert str(seen[0].url) == f"http://workable.test{ACCOUNT_PATH}?details=true"


def test_unknown_account_is_board_not_found_and_garbage_is_parse_error() -> None:
    with pytest.raises(BoardNotFound):
        fetch(WorkableScraper(), BOARD, routes({}))
    with pytest.raises(ParseError):
        fetch(
            WorkableScraper(),
            BOARD,
            routes({ACCOUNT_PATH: httpx.Response(200, text="<html>oops</html>")}),
        )
    with pytest.raises(ParseError):
        fetch(
            WorkableScraper(),
            BOARD,
            routes({ACCOUNT_PATH: httpx.Response(200, json={"jobs": "nope"})}),
        )


def test_end_to_end_through_the_cli(tmp_path: Path, empty_database_url: str) -> None:
    with local_server() as server:
        server.route(
            "GET",
            ACCOUNT_PATH,
            Reply(body=json.dumps(load_fixture("workable", "acme_account.json"))),
        )
        postings = scrape_through_cli(
            tmp_path,
            empty_database_url,
            server,
            "Acme Analytics",
            f'{{ ats = "workable", token = "acme", api_base = "{server.base_url}" }}',
        )
        assert server.requests[0].query == {"details": ["true"]}
    by_id = {p["external_id"]: p for p in postings}
    assert set(by_id) == {"A1B2C3D4E5", "F6G7H8J9K0"}
    engineer = by_id["A1B2C3D4E5"]
    assert engineer["company"] == "Acme Analytics" and engineer["ats"] == "workable"
    assert engineer["locations"] == ["Berlin, Germany", "Amsterdam, North Holland, Netherlands"]
    assert engineer["employment_type"] == "full_time"
    pay = engineer["pay"]
    assert (pay["min"], pay["max"], pay["currency"], pay["period"], pay["source"]) == (
        70000,
        90000,
        "EUR",
        "year",
        "text",
    )
    assert pay["annual_min"] == 70000 and pay["annual_min_usd"] > 70000  # EUR is worth > 1 USD
    assert engineer["posted_at"] == "2026-10-12T00:00:00Z"
    assert by_id["F6G7H8J9K0"]["workplace"] == "remote"
