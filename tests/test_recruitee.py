"""Recruitee: parsing `/api/offers/`, fetching it, and one end-to-end scrape."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from scrapers.errors import BoardNotFound, FetchError, ParseError
from scrapers.models import BoardConfig, Pay
from scrapers.sources.recruitee import RecruiteeScraper, parse_offers, parse_salary
from tests.boards_helpers import routes, scrape_through_cli
from tests.conftest import load_fixture
from tests.e2e_helpers import Reply, local_server
from tests.enrich_helpers import settled
from tests.scraper_helpers import fetch

BOARD = BoardConfig(company="Acme", ats="recruitee", token="acme")


def offers() -> dict[str, object]:
    return load_fixture("recruitee", "acme_offers.json")


def test_offers_parse_with_string_salaries_and_workplace_flags() -> None:
    by_id = {p.external_id: settled(p) for p in parse_offers(offers())}
    accountant = by_id["2700825"]
    assert accountant.title == "(Senior) Financial Accountant (f/m/d)"
    assert accountant.locations == ("Berlin, Germany",)
    assert accountant.workplace == "hybrid" and accountant.employment_type == "full_time"
    assert accountant.pay == Pay(min=60000, max=75000, currency="EUR", period="year")
    assert accountant.department == "Finance"
    assert accountant.url == "https://acme.recruitee.com/o/senior-financial-accountant-berlin"
    assert (
        accountant.posted_at is not None
        and accountant.posted_at.isoformat() == "2026-08-05T10:10:39+00:00"
    )
    assert "VP of Finance & Legal" in accountant.description
    assert "5+ years" in accountant.description  # requirements are part of the text
    student = by_id["2700911"]
    assert student.workplace == "remote" and student.employment_type == "part_time"
    assert student.pay == Pay(min=18, max=18, currency="EUR", period="hour")
    office = by_id["2700999"]
    assert office.workplace == "onsite"
    # Null structured salary: the description's range is used, marked as text.
    assert office.pay == Pay(min=45000, max=55000, currency="EUR", period="year", source="text")


@pytest.mark.parametrize(
    ("salary", "expected"),
    [
        (
            {"min": "60000", "max": "75000", "period": "year", "currency": "eur"},
            Pay(min=60000, max=75000, currency="EUR", period="year"),
        ),
        (
            {"min": "4500.50", "max": None, "period": "month", "currency": "PLN"},
            Pay(min=4500.5, max=4500.5, currency="PLN", period="month"),
        ),
        ({"min": None, "max": None, "period": "year", "currency": "EUR"}, None),
        ({"min": "lots", "max": "", "period": "year", "currency": "EUR"}, None),
        ({"min": "50000", "max": "60000", "period": None, "currency": None}, None),
        (None, None),
    ],
)
def test_salary_shapes(salary: object, expected: Pay | None) -> None:
    assert parse_salary(salary) == expected


def test_unpublished_offers_are_skipped_and_bad_bodies_refused() -> None:
    body = offers()
    body["offers"][0]["status"] = "closed"  # type: ignore[index]
    assert "2700825" not in {p.external_id for p in parse_offers(body)}
    with pytest.raises(ParseError):
        parse_offers({"jobs": []})
    with pytest.raises(ParseError):
        parse_offers({"offers": [{"title": "no id"}]})


def test_fetch_uses_the_company_subdomain_or_api_base() -> None:
    seen: list[httpx.Request] = []
    answer = httpx.Response(200, text=json.dumps(offers()))
    snapshot = fetch(RecruiteeScraper(), BOARD, routes({"/api/offers/": answer}, seen))
    assert str(seen[0].url) == "https://acme.recruitee.com/api/offers/"
    assert snapshot.complete and len(snapshot.postings) == 3
    local = BoardConfig(
        company="Acme", ats="recruitee", token="acme", api_base="http://127.0.0.1:9/prefix"
    )
    fetch(RecruiteeScraper(), local, routes({"/prefix/api/offers/": answer}, seen))
    assert str(seen[1].url) == "http://127.0.0.1:9/prefix/api/offers/"


def test_fetch_failures() -> None:
    with pytest.raises(BoardNotFound):
        fetch(RecruiteeScraper(), BOARD, routes({}))
    with pytest.raises(FetchError):
        fetch(
            RecruiteeScraper(),
            BOARD,
            routes({"/api/offers/": httpx.Response(403, text="forbidden")}),
        )
    with pytest.raises(ParseError):
        fetch(
            RecruiteeScraper(),
            BOARD,
            routes({"/api/offers/": httpx.Response(200, text='{"offers": [')}),
        )


def test_end_to_end_through_the_cli(tmp_path: Path, empty_database_url: str) -> None:
    with local_server() as server:
        server.route("GET", "/api/offers/", Reply(body=json.dumps(offers())))
        postings = scrape_through_cli(
            tmp_path,
            empty_database_url,
            server,
            "Acme",
            f'{{ ats = "recruitee", token = "acme", api_base = "{server.base_url}" }}',
        )
    by_id = {p["external_id"]: p for p in postings}
    assert set(by_id) == {"2700825", "2700911", "2700999"}
    accountant = by_id["2700825"]
    assert (accountant["company"], accountant["ats"]) == ("Acme", "recruitee")
    assert accountant["workplace"] == "hybrid" and accountant["employment_type"] == "full_time"
    assert accountant["locations"] == ["Berlin, Germany"]
    pay = accountant["pay"]
    assert (pay["min"], pay["max"], pay["currency"], pay["period"], pay["source"]) == (
        60000,
        75000,
        "EUR",
        "year",
        "structured",
    )
    assert pay["annual_max"] == 75000 and pay["annual_max_usd"] > 75000
    hourly = by_id["2700911"]["pay"]
    assert hourly["period"] == "hour" and hourly["annual_min"] == 18 * 2080
    assert accountant["posted_at"] == "2026-08-05T10:10:39Z"
