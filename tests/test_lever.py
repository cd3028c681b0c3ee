"""Lever: parsing postings, fetching the board, and one end-to-end scrape."""

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
from scrapers.sources.lever import LeverScraper, parse_posting, parse_postings, parse_salary_range
from tests.ats_helpers import (
    json_response,
    read_postings,
    runs,
    scrape_through_cli,
    subset,
    write_sources,
)
from tests.conftest import load_fixture
from tests.e2e_helpers import Reply, local_server
from tests.enrich_helpers import settled
from tests.scraper_helpers import fetch

BOARD = BoardConfig(
    company="Mistral AI", ats="lever", token="mistral", api_base="http://lever.test"
)
PATH = "/v0/postings/mistral"
PRETRAINING = "0f3c2a1e-8b7d-4c55-9e1a-2b3c4d5e6f70"
ANNOTATOR = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"
ARCHITECT = "2b3c4d5e-6f70-4b8c-9d0e-1f2a3b4c5d6e"
INTERN = "3c4d5e6f-7081-4c9d-8e0f-2a3b4c5d6e7f"


def postings() -> list[dict[str, Any]]:
    return list(load_fixture("lever", "postings.json"))


def test_parse_titles_locations_workplace_and_employment() -> None:
    by_id = {p.external_id: settled(p) for p in parse_postings(postings())}
    assert set(by_id) == {PRETRAINING, ANNOTATOR, ARCHITECT, INTERN}
    pretraining = by_id[PRETRAINING]
    assert pretraining.title == "Research Engineer, Pretraining"  # "  …\n" trimmed
    assert pretraining.locations == ("Paris, France", "London, United Kingdom")
    assert pretraining.workplace == "onsite"
    assert pretraining.employment_type == "full_time"
    assert (pretraining.team, pretraining.department) == ("Pretraining", "Research")
    assert pretraining.url == f"https://jobs.lever.co/mistral/{PRETRAINING}"
    assert pretraining.posted_at == datetime(2026, 9, 21, 16, 0, tzinfo=UTC)  # epoch ms
    # "Contract Full time" is a contract; remote comes from workplaceType.
    assert (by_id[ANNOTATOR].employment_type, by_id[ANNOTATOR].workplace) == ("contract", "remote")
    # allLocations empty: the `location` string is split on " | ".
    assert by_id[ARCHITECT].locations == ("London", "Paris")
    assert (by_id[ARCHITECT].workplace, by_id[ARCHITECT].employment_type) == ("hybrid", "part_time")
    # workplaceType "unspecified" says nothing; "Remote - US" does.
    assert by_id[INTERN].workplace == "remote" and by_id[INTERN].employment_type == "intern"


def test_country_code_is_kept_as_a_code_not_read_as_a_us_state() -> None:
    annotator = next(p for p in parse_postings(postings()) if p.external_id == ANNOTATOR)
    # "DE" is Germany: it must never turn "Berlin" into a Delaware location.
    assert annotator.locations == ("Berlin",)
    assert annotator.extra["country"] == "DE"
    assert not any("Delaware" in loc for loc in annotator.locations)


def test_description_joins_plain_text_lists_and_additional() -> None:
    pretraining = parse_posting(postings()[0])
    text = pretraining.description
    assert (
        text.index("We train frontier")
        < text.index("What you will do")
        < text.index("Design data mixtures")
        < text.index("Benefits")
    )
    assert "Run ablations on >1000 GPUs" in text and "&gt;" not in text and "<li>" not in text


def test_structured_pay_with_every_interval() -> None:
    by_id = {p.external_id: settled(p) for p in parse_postings(postings())}
    assert by_id[PRETRAINING].pay == Pay(90000, 140000, "EUR", "year", "structured")
    assert by_id[ANNOTATOR].pay == Pay(35, 45, "EUR", "hour", "structured")
    assert by_id[INTERN].pay == Pay(7000, 8500, "USD", "month", "structured")
    week = parse_salary_range(
        {"min": 500, "max": 700, "currency": "gbp", "interval": "per-week-salary"}
    )
    assert week == Pay(500, 700, "GBP", "week", "structured")
    day = parse_salary_range(
        {"min": 500, "max": 700, "currency": "GBP", "interval": "per-day-wage"}
    )
    assert day == Pay(500, 700, "GBP", "day", "structured")
    assert (
        parse_salary_range(
            {"min": 5000, "max": 5000, "currency": "USD", "interval": "one-time-payment"}
        )
        is None
    )
    assert parse_salary_range({"currency": "USD", "interval": "per-year-salary"}) is None


def test_pay_falls_back_to_the_additional_text_and_ignores_401k() -> None:
    architect = next(settled(p) for p in parse_postings(postings()) if p.external_id == ARCHITECT)
    assert architect.pay == Pay(80000, 100000, "GBP", "year", "text")
    job = {
        **postings()[2],
        "additionalPlain": "We match 401(k) up to $10,000 per year.",
        "additional": "",
    }
    assert settled(parse_posting(job)).pay is None


def test_bad_shapes_raise_parse_error() -> None:
    with pytest.raises(ParseError):
        parse_postings({"ok": False, "error": "Document not found"})
    with pytest.raises(ParseError):
        parse_postings([{"id": "x"}])  # no `text` (title)
    # A `lists` value that is not a list (seen stringified in a capture) is ignored, not fatal.
    assert parse_posting({**postings()[0], "lists": "[{'text': 'x'}]"}).title


def test_fetch_uses_api_base_and_mode_json() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return json_response(postings()) if request.url.path == PATH else json_response({}, 404)

    snapshot = fetch(LeverScraper(), BOARD, handler)
    assert snapshot.complete and len(snapshot.postings) == 4
    assert str(seen[0].url) == f"http://lever.test{PATH}?mode=json"
    assert seen[0].headers["user-agent"] == "talentflow-test/1.0"
    default = BoardConfig(company="Mistral AI", ats="lever", token="mistral")
    assert LeverScraper().postings_url(default) == "https://api.lever.co/v0/postings/mistral"
    assert LeverScraper().validate(BoardConfig(company="x", ats="lever")) is not None


def test_unknown_site_is_board_not_found_and_truncated_body_fails() -> None:
    with pytest.raises(BoardNotFound):
        fetch(
            LeverScraper(),
            BOARD,
            lambda r: json_response({"ok": False, "error": "Document not found"}, 404),
        )
    truncated = json.dumps(postings())[:500]
    with pytest.raises(ParseError):
        fetch(LeverScraper(), BOARD, lambda r: httpx.Response(200, text=truncated))
    with pytest.raises(ParseError):
        fetch(LeverScraper(), BOARD, lambda r: httpx.Response(200, text="<html>maintenance</html>"))


def test_end_to_end_through_the_cli(tmp_path: Path, empty_database_url: str) -> None:
    url = empty_database_url
    with local_server() as server:
        server.route("GET", PATH, Reply(body=json.dumps(postings())))
        sources = write_sources(
            tmp_path,
            "Mistral AI",
            f'ats = "lever", token = "mistral", api_base = "{server.base_url}"',
        )
        scrape_through_cli(url, sources)
        assert server.requests[0].query == {"mode": ["json"]}
    items = read_postings(url)
    assert set(items) == {PRETRAINING, ANNOTATOR, ARCHITECT, INTERN}
    rates = load_rates()
    expected: dict[str, Any] = {
        "company": "Mistral AI",
        "ats": "lever",
        "external_id": PRETRAINING,
        "title": "Research Engineer, Pretraining",
        "team": "Pretraining",
        "department": "Research",
        "locations": ["Paris, France", "London, United Kingdom"],
        "workplace": "onsite",
        "employment_type": "full_time",
        "pay": {
            "min": 90000,
            "max": 140000,
            "currency": "EUR",
            "period": "year",
            "annual_min": 90000,
            "annual_max": 140000,
            "annual_min_usd": rates.to_usd(90000, "EUR"),
            "annual_max_usd": rates.to_usd(140000, "EUR"),
            "source": "structured",
        },
        "url": f"https://jobs.lever.co/mistral/{PRETRAINING}",
        "posted_at": "2026-09-21T16:00:00Z",
        "closed_at": None,
        "status": "open",
    }
    assert subset(items[PRETRAINING], expected) == expected
    annotator = items[ANNOTATOR]["pay"]
    assert (annotator["period"], annotator["annual_min"], annotator["annual_max"]) == (
        "hour",
        35 * 2080,
        45 * 2080,
    )
    assert annotator["annual_max_usd"] == rates.to_usd(45 * 2080, "EUR")
    assert items[ARCHITECT]["pay"]["source"] == "text"
    assert items[ARCHITECT]["pay"]["currency"] == "GBP"
    assert items[INTERN]["pay"]["annual_min"] == 7000 * 12
    assert runs(url)[0]["outcome"] == "ok"
