"""SmartRecruiters: parsing list entries and details, paging, and one end-to-end scrape."""

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
from scrapers.sources.base import BoardState
from scrapers.sources.smartrecruiters import (
    SmartRecruitersScraper,
    detail_description,
    parse_page,
    parse_posting,
)
from tests.ats_helpers import (
    json_response,
    read_postings,
    runs,
    scrape_through_cli,
    server_requests,
    subset,
    write_sources,
)
from tests.conftest import load_fixture
from tests.e2e_helpers import Reply, local_server
from tests.enrich_helpers import settled
from tests.scraper_helpers import fetch

BOARD = BoardConfig(
    company="Ubisoft", ats="smartrecruiters", token="Ubisoft2", api_base="http://sr.test"
)
PATH = "/v1/companies/Ubisoft2/postings"
GAMEPLAY, ANALYST, PRODUCER = "744000160000001", "744000160000002", "744000160000003"


def page() -> dict[str, Any]:
    return dict(load_fixture("smartrecruiters", "postings_page0.json"))


def detail(posting_id: str) -> dict[str, Any]:
    return dict(load_fixture("smartrecruiters", f"posting_{posting_id}.json"))


def parsed() -> dict[str, Any]:
    _, items = parse_page(page())
    return {i["id"]: settled(parse_posting(i, detail(i["id"]))) for i in items}


def test_parse_titles_locations_workplace_and_employment() -> None:
    by_id = parsed()
    gameplay = by_id[GAMEPLAY]
    assert gameplay.title == "Senior Gameplay Programmer"  # " …\n" trimmed
    assert gameplay.locations == ("Montreal, QC, Canada",)
    assert gameplay.workplace == "hybrid" and gameplay.employment_type == "full_time"
    assert (gameplay.department, gameplay.team) == ("Ubisoft", "Engineering")
    assert gameplay.posted_at == datetime(2026, 11, 2, 10, 0, tzinfo=UTC)
    assert (
        gameplay.url
        == "https://jobs.smartrecruiters.com/Ubisoft2/744000160000001-senior-gameplay-programmer"
    )
    analyst = by_id[ANALYST]
    # remote and hybrid both false, "Office-based": on site.
    assert analyst.workplace == "onsite" and analyst.employment_type == "intern"
    producer = by_id[PRODUCER]
    assert producer.workplace == "remote" and producer.employment_type == "contract"
    assert producer.department is None  # `department: {}` on the board


def test_description_and_pay_come_from_the_detail() -> None:
    by_id = parsed()
    text = by_id[GAMEPLAY].description
    assert (
        text.index("Ubisoft creates worlds")
        < text.index("Build combat systems")
        < text.index("Qualifications")
        < text.index("Salary range")
    )
    assert by_id[GAMEPLAY].pay == Pay(95000, 125000, "CAD", "year", "text")
    assert by_id[ANALYST].pay == Pay(1200, 1200, "EUR", "month", "text")
    assert by_id[PRODUCER].pay == Pay(450, 550, "GBP", "day", "text")
    assert "&amp;" not in by_id[ANALYST].description
    with pytest.raises(ParseError):
        detail_description({"id": "x"})


def test_list_entry_alone_parses_with_a_built_url() -> None:
    _, items = parse_page(page())
    posting = settled(parse_posting(items[2]))
    assert posting.url == "https://jobs.smartrecruiters.com/Ubisoft2/744000160000003"
    assert posting.description == "" and posting.pay is None


def test_bad_shapes_raise_parse_error() -> None:
    with pytest.raises(ParseError):
        parse_page({"content": []})  # no totalFound
    with pytest.raises(ParseError):
        parse_page({"totalFound": 1, "content": [{"id": "1"}]})  # no name


def make_item(number: int) -> dict[str, Any]:
    item = dict(page()["content"][0])
    return {**item, "id": str(744000170000000 + number), "name": f"Role {number}"}


def paged_handler(
    items: list[dict[str, Any]], seen: list[httpx.Request], failing_offset: int | None = None
) -> Any:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == PATH:
            offset, limit = int(request.url.params["offset"]), int(request.url.params["limit"])
            if offset == failing_offset:
                return httpx.Response(503, text="unavailable")
            return json_response(
                {
                    "offset": offset,
                    "limit": limit,
                    "totalFound": len(items),
                    "content": items[offset : offset + limit],
                }
            )
        posting_id = request.url.path.rsplit("/", 1)[-1]
        item = next(i for i in items if i["id"] == posting_id)
        return json_response(
            {
                **item,
                "jobAd": {
                    "sections": {
                        "jobDescription": {
                            "title": "Job Description",
                            "text": f"<p>About {item['name']}.</p>",
                        }
                    }
                },
            }
        )

    return handler


def test_pagination_and_details_only_for_new_postings() -> None:
    items = [make_item(i) for i in range(230)]
    seen: list[httpx.Request] = []
    known = frozenset(i["id"] for i in items[:228])
    snapshot = fetch(
        SmartRecruitersScraper(), BOARD, paged_handler(items, seen), BoardState(known_ids=known)
    )
    assert snapshot.complete and snapshot.reported_total == 230 and len(snapshot.postings) == 230
    lists = [r for r in seen if r.url.path == PATH]
    assert sorted(int(r.url.params["offset"]) for r in lists) == [0, 100, 200]
    assert all(r.url.params["limit"] == "100" for r in lists)
    details = [r.url.path.rsplit("/", 1)[-1] for r in seen if r.url.path != PATH]
    assert sorted(details) == [items[228]["id"], items[229]["id"]]
    by_id = {p.external_id: settled(p) for p in snapshot.postings}
    assert not by_id[items[0]["id"]].hydrated and by_id[items[0]["id"]].title == "Role 0"
    assert by_id[items[229]["id"]].description == "Job Description\nAbout Role 229."


def test_a_failed_page_makes_the_run_partial() -> None:
    items = [make_item(i) for i in range(250)]
    snapshot = fetch(
        SmartRecruitersScraper(),
        BOARD,
        paged_handler(items, [], failing_offset=100),
        BoardState(known_ids=frozenset(i["id"] for i in items)),
    )
    assert not snapshot.complete and len(snapshot.postings) == 150
    assert any("offset 100" in w for w in snapshot.warnings)


def test_unknown_company_is_an_empty_snapshot() -> None:
    empty = {"offset": 0, "limit": 100, "totalFound": 0, "content": []}
    snapshot = fetch(SmartRecruitersScraper(), BOARD, lambda r: json_response(empty))
    assert snapshot.postings == () and snapshot.complete and snapshot.reported_total == 0


def test_not_found_and_truncated_bodies_fail() -> None:
    with pytest.raises(BoardNotFound):
        fetch(SmartRecruitersScraper(), BOARD, lambda r: json_response({"message": "x"}, 404))
    truncated = json.dumps(page())[:300]
    with pytest.raises(ParseError):
        fetch(SmartRecruitersScraper(), BOARD, lambda r: httpx.Response(200, text=truncated))
    # Details that fail keep every listed posting, pending; the listing was read whole.
    items = page()["content"]

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == PATH:
            return json_response(page())
        return httpx.Response(200, text="<html>oops</html>")

    snapshot = fetch(SmartRecruitersScraper(), BOARD, handler)
    assert snapshot.complete and snapshot.pending_details == len(items) == 3
    assert {p.external_id for p in snapshot.postings} == {i["id"] for i in items}
    assert len(snapshot.warnings) == 1 and "3 of 3 details not read" in snapshot.warnings[0]


def test_end_to_end_through_the_cli(tmp_path: Path, empty_database_url: str) -> None:
    url = empty_database_url
    with local_server() as server:
        server.route("GET", PATH, Reply(body=json.dumps(page())))
        for posting_id in (GAMEPLAY, ANALYST, PRODUCER):
            server.route("GET", f"{PATH}/{posting_id}", Reply(body=json.dumps(detail(posting_id))))
        sources = write_sources(
            tmp_path,
            "Ubisoft",
            f'ats = "smartrecruiters", token = "Ubisoft2", api_base = "{server.base_url}"',
        )
        scrape_through_cli(url, sources)
        first = next(r for r in server.requests if r.path == PATH)
        assert first.query == {"limit": ["100"], "offset": ["0"]}
        assert server_requests(server, "GET", f"{PATH}/{GAMEPLAY}") == 1
    items = read_postings(url)
    assert set(items) == {GAMEPLAY, ANALYST, PRODUCER}
    rates = load_rates()
    expected: dict[str, Any] = {
        "company": "Ubisoft",
        "ats": "smartrecruiters",
        "external_id": GAMEPLAY,
        "title": "Senior Gameplay Programmer",
        "team": "Engineering",
        "department": "Ubisoft",
        "locations": ["Montreal, QC, Canada"],
        "workplace": "hybrid",
        "employment_type": "full_time",
        "pay": {
            "min": 95000,
            "max": 125000,
            "currency": "CAD",
            "period": "year",
            "annual_min": 95000,
            "annual_max": 125000,
            "annual_min_usd": rates.to_usd(95000, "CAD"),
            "annual_max_usd": rates.to_usd(125000, "CAD"),
            "source": "text",
        },
        "url": "https://jobs.smartrecruiters.com/Ubisoft2/744000160000001-senior-gameplay-programmer",
        "posted_at": "2026-11-02T10:00:00Z",
        "closed_at": None,
        "status": "open",
    }
    assert subset(items[GAMEPLAY], expected) == expected
    producer = items[PRODUCER]["pay"]
    assert (producer["period"], producer["annual_min"], producer["annual_max"]) == (
        "day",
        450 * 260,
        550 * 260,
    )
    assert items[ANALYST]["pay"]["annual_min"] == 1200 * 12
    assert runs(url)[0]["outcome"] == "ok"
