"""Personio: parsing the XML feed safely, fetching it, and one end-to-end scrape."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from scrapers.errors import BoardNotFound, FetchError, ParseError
from scrapers.models import BoardConfig, Pay
from scrapers.sources.personio import PersonioScraper, parse_feed
from tests.boards_helpers import routes, scrape_through_cli
from tests.conftest import FIXTURES
from tests.e2e_helpers import Reply, local_server
from tests.enrich_helpers import settled
from tests.scraper_helpers import fetch

BOARD = BoardConfig(company="Acme", ats="personio", token="acme")
FEED = (FIXTURES / "personio" / "acme_feed.xml").read_bytes()
PUBLIC = "https://acme.jobs.personio.de"


def test_feed_parses_and_repeated_positions_merge() -> None:
    by_id = {p.external_id: settled(p) for p in parse_feed(FEED, PUBLIC)}
    assert set(by_id) == {"1834171", "1902233", "1902240"}
    staff = by_id["1834171"]
    assert staff.title == "Staff Software Engineer, Data Platform"
    assert staff.locations == ("Munich", "Berlin", "Hamburg")
    assert (staff.department, staff.team) == ("Product and Tech", "Engineering")
    assert staff.employment_type == "full_time"
    assert staff.url == f"{PUBLIC}/job/1834171"
    assert staff.description.startswith("Your mission\nOwn our data platform end to end.")
    assert "Kafka & Flink" in staff.description
    assert staff.pay == Pay(min=95000, max=120000, currency="EUR", period="year", source="text")
    assert (
        staff.posted_at is not None and staff.posted_at.isoformat() == "2024-11-13T14:10:41+00:00"
    )
    student = by_id["1902233"]
    assert student.employment_type == "part_time"  # permanent, but the schedule is part-time
    assert student.workplace == "remote"
    assert (
        student.posted_at is not None
        and student.posted_at.isoformat() == "2026-10-02T07:00:00+00:00"
    )
    assert by_id["1902240"].employment_type == "intern"


@pytest.mark.parametrize(
    "body",
    [
        b"<workzag-jobs><position><id>1</id>",  # truncated
        b"<html><body>Page not found</body></html>",  # the HTML error page, wrong root
        b"",
        # An entity-expansion bomb is refused, not expanded.
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><workzag-jobs>&lol2;</workzag-jobs>',
        b"<workzag-jobs><position><name>No id</name></position></workzag-jobs>",
    ],
)
def test_malformed_feeds_raise_parse_error(body: bytes) -> None:
    with pytest.raises(ParseError):
        parse_feed(body, PUBLIC)


def test_fetch_requests_the_english_feed() -> None:
    seen: list[httpx.Request] = []
    snapshot = fetch(
        PersonioScraper(), BOARD, routes({"/xml": httpx.Response(200, content=FEED)}, seen)
    )
    assert str(seen[0].url) == f"{PUBLIC}/xml?language=en"
    assert snapshot.complete and len(snapshot.postings) == 3


def test_fetch_failures_map_to_scrape_errors() -> None:
    board = BoardConfig(
        company="Acme", ats="personio", token="acme", api_base="http://personio.test"
    )
    with pytest.raises(BoardNotFound):
        fetch(PersonioScraper(), board, routes({}))
    with pytest.raises(FetchError) as failed:
        fetch(PersonioScraper(), board, routes({"/xml": httpx.Response(403, text="no")}))
    assert failed.value.status_code == 403
    with pytest.raises(ParseError):
        fetch(
            PersonioScraper(),
            board,
            routes({"/xml": httpx.Response(200, text="<workzag-jobs><position>")}),
        )


def test_end_to_end_through_the_cli(tmp_path: Path, empty_database_url: str) -> None:
    with local_server() as server:
        server.route("GET", "/xml", Reply(body=FEED, content_type="application/xml"))
        postings = scrape_through_cli(
            tmp_path,
            empty_database_url,
            server,
            "Acme",
            f'{{ ats = "personio", token = "acme", api_base = "{server.base_url}" }}',
        )
        assert server.requests[0].query == {"language": ["en"]}
    by_id = {p["external_id"]: p for p in postings}
    assert set(by_id) == {"1834171", "1902233", "1902240"}
    staff = by_id["1834171"]
    assert (staff["company"], staff["ats"], staff["title"]) == (
        "Acme",
        "personio",
        "Staff Software Engineer, Data Platform",
    )
    assert staff["locations"] == ["Munich", "Berlin", "Hamburg"]
    assert staff["url"] == f"{PUBLIC}/job/1834171"
    assert staff["employment_type"] == "full_time" and staff["workplace"] is None
    pay = staff["pay"]
    assert (pay["min"], pay["max"], pay["currency"], pay["period"], pay["source"]) == (
        95000,
        120000,
        "EUR",
        "year",
        "text",
    )
    assert pay["annual_min_usd"] > 95000
    assert by_id["1902233"]["workplace"] == "remote"
    assert by_id["1902233"]["employment_type"] == "part_time"
