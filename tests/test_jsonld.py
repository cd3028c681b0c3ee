"""JSON-LD career pages: every script shape, baseSalary shapes, the crawl (links, robots.txt,
page cap, failures counted by what the page is, cut pages, a changed shape) and end-to-end
scrapes."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from scrapers.errors import BoardNotFound, FetchError, ParseError, Truncated
from scrapers.models import BoardConfig, NormalizedPosting, Pay
from scrapers.sources.base import BoardState
from scrapers.sources.jsonld import (
    base_salary_text,
    find_job_postings,
    parse_base_salary,
    parse_page,
)
from scrapers.sources.jsonld_crawl import JsonLdScraper, physical_url, same_host_links
from service.scrape import scrape_boards
from service.settings import Settings
from store.models import Posting
from tests.boards_helpers import routes, scrape_through_cli
from tests.conftest import FIXTURES, at
from tests.e2e_helpers import Reply, local_server
from tests.enrich_helpers import settled
from tests.scraper_helpers import POLICY, fetch

HOST = "https://acme-robotics.example"
BOARD = BoardConfig(company="Acme Robotics", ats="jsonld", url=f"{HOST}/careers")
PAGES = {
    "/careers": "careers.html",
    "/careers/jobs/ml-engineer": "job_ml_engineer.html",
    "/careers/jobs/designer": "job_designer.html",
    "/careers/jobs/support": "job_support.html",
    "/careers/page/2": "careers_page2.html",
    "/careers/jobs/intern": "job_intern.html",
    "/careers/jobs/technician": "job_technician.html",
    "/about": "about.html",
    "/": "about.html",
    "/private/jobs/secret": "job_support.html",
    "/careers/jobs/orphan": "job_support.html",
}
EXPECTED_IDS = {"RS-101", "ML-7", f"{HOST}/careers/jobs/designer", "SUP-3", "4410", "FT-12"}


def page(name: str) -> str:
    return (FIXTURES / "jsonld" / name).read_text(encoding="utf-8")


def site(overrides: dict[str, httpx.Response] | None = None) -> dict[str, httpx.Response]:
    table = {
        path: httpx.Response(200, text=page(name), headers={"Content-Type": "text/html"})
        for path, name in PAGES.items()
    }
    table["/robots.txt"] = httpx.Response(200, text=page("robots.txt"))
    table.update(overrides or {})
    return table


def test_every_script_shape_is_found() -> None:
    job = {"@type": "JobPosting", "title": "T"}
    assert list(find_job_postings(job)) == [job]
    assert list(find_job_postings([{"@type": "Organization"}, job])) == [job]
    assert list(find_job_postings({"@graph": [{"@type": "WebPage"}, job]})) == [job]
    listed = {"@type": "ItemList", "itemListElement": [{"@type": "ListItem", "item": job}]}
    assert list(find_job_postings(listed)) == [job]
    typed_list = {"@type": ["JobPosting", "Thing"], "title": "T"}
    assert list(find_job_postings(typed_list)) == [typed_list]
    assert list(find_job_postings({"@type": "http://schema.org/JobPosting"}))
    assert list(find_job_postings({"@type": "Organization", "name": "x"})) == []


@pytest.mark.parametrize(
    ("job", "expected"),
    [
        (
            {
                "baseSalary": {
                    "@type": "MonetaryAmount",
                    "currency": "USD",
                    "value": {
                        "@type": "QuantitativeValue",
                        "minValue": 120000,
                        "maxValue": 150000,
                        "unitText": "YEAR",
                    },
                }
            },
            Pay(120000, 150000, "USD", "year"),
        ),
        (
            {
                "baseSalary": {
                    "@type": "MonetaryAmount",
                    "currency": "USD",
                    "value": {"@type": "QuantitativeValue", "value": 40.5, "unitText": "HOUR"},
                }
            },
            Pay(40.5, 40.5, "USD", "hour"),
        ),
        (
            {
                "baseSalary": {
                    "currency": "GBP",
                    "value": {"minValue": "30000", "maxValue": "38,000", "unitText": "YEAR"},
                }
            },
            Pay(30000, 38000, "GBP", "year"),
        ),
        (
            {"baseSalary": {"currency": "EUR", "unitText": "MONTH", "value": "4500.00"}},
            Pay(4500, 4500, "EUR", "month"),
        ),
        (
            {
                "baseSalary": {
                    "currency": "USD",
                    "value": {"minValue": "$90,000", "maxValue": "$110,000", "unitText": "YEAR"},
                }
            },
            Pay(90000, 110000, "USD", "year"),
        ),
        (
            {"baseSalary": {"currency": "EUR", "value": {"value": 650, "unitText": "DAY"}}},
            Pay(650, 650, "EUR", "day"),
        ),
        (
            {
                "baseSalary": {
                    "currency": "USD",
                    "value": {"minValue": 2000, "maxValue": 2500, "unitText": "WEEK"},
                }
            },
            Pay(2000, 2500, "USD", "week"),
        ),
        ({"salaryCurrency": "EUR", "baseSalary": "85000"}, Pay(85000, 85000, "EUR", "year")),
        ({"salaryCurrency": "EUR", "baseSalary": 4000}, Pay(4000, 4000, "EUR", "month")),
        # a sentence is read as pay text by enrich
        (
            {"baseSalary": "$120,000 - $150,000 per year"},
            Pay(120000, 150000, "USD", "year", "text"),
        ),
        (
            {"baseSalary": [{"currency": "CAD", "value": {"minValue": 90000, "maxValue": 110000}}]},
            Pay(90000, 110000, "CAD", "year"),
        ),
        ({"baseSalary": 85000}, None),  # no currency anywhere: not comparable, not guessed
        ({"baseSalary": {"currency": "USD", "value": {"unitText": "YEAR"}}}, None),
        ({}, None),
    ],
)
def test_base_salary_shapes(job: dict[str, object], expected: Pay | None) -> None:
    # what parse reports, with the period and a sentence settled as enrich settles them
    parsed = NormalizedPosting(
        external_id="x",
        title="x",
        pay=parse_base_salary(job),
        pay_text=tuple(filter(None, [base_salary_text(job)])),
    )
    assert settled(parsed).pay == expected


def test_pages_parse_into_postings() -> None:
    start = parse_page(page("careers.html"), f"{HOST}/careers").postings
    assert [p.external_id for p in start] == ["RS-101"]
    scientist = start[0]
    assert scientist.title == "Robotics Research Scientist"
    assert scientist.locations == ("Zurich, Switzerland",)  # ISO code expanded
    assert scientist.pay == Pay(150000, 190000, "CHF", "year")  # structured beats the text
    assert (
        scientist.posted_at is not None
        and scientist.posted_at.isoformat() == "2026-10-20T07:00:00+00:00"
    )

    (ml,) = parse_page(page("job_ml_engineer.html"), f"{HOST}/careers/jobs/ml-engineer").postings
    assert ml.workplace == "remote" and ml.locations == ("Remote, United States",)
    assert ml.employment_type == "full_time" and ml.pay == Pay(95, 95, "USD", "hour")
    assert ml.url == f"{HOST}/careers/jobs/ml-engineer"

    url = f"{HOST}/careers/jobs/designer"
    (designer,) = parse_page(page("job_designer.html"), url).postings
    assert designer.external_id == url  # no identifier: the page URL is the identity
    assert designer.title == "Product Designer & Researcher"
    assert designer.description.startswith("Design our operator tools & dashboards.")
    assert "&lt;" not in designer.description and "<p>" not in designer.description
    assert designer.locations == ("Berlin, Germany", "Munich, Bavaria, Germany")

    (support,) = parse_page(page("job_support.html"), f"{HOST}/x").postings
    assert support.url == f"{HOST}/careers/jobs/support"  # relative `url` resolved
    assert support.employment_type == "part_time"

    (intern,) = parse_page(page("job_intern.html"), f"{HOST}/careers/jobs/intern").postings
    assert (intern.external_id, intern.employment_type) == ("4410", "intern")

    assert parse_page(page("about.html"), f"{HOST}/about").postings == []


def test_identity_from_identifier_else_url() -> None:
    url = f"{HOST}/careers/jobs/7"
    base = {"@type": "JobPosting", "title": "Engineer", "hiringOrganization": {"name": "Acme"}}
    cases: list[tuple[dict[str, Any], str]] = [
        ({"identifier": {"@type": "PropertyValue", "name": "Acme", "value": "R-7"}}, "R-7"),
        ({"identifier": [{"value": 7}, {"value": "x"}]}, "7"),
        ({"identifier": "REQ-9"}, "REQ-9"),
        ({"identifier": {"name": "Acme", "value": "Acme"}}, url),  # the employer, not an id
        ({"identifier": {"name": "Acme"}}, url),
        ({"url": "/careers/jobs/7#apply"}, url),
        ({}, url),
    ]
    for extra, expected in cases:
        html = f'<script type="application/ld+json">{json.dumps({**base, **extra})}</script>'
        (posting,) = parse_page(html, url).postings
        assert posting.external_id == expected, extra


def test_broken_scripts_are_counted_not_fatal() -> None:
    html = (
        '<script type="application/ld+json">{"@type": "JobPosting", "title": </script>'
        '<script type="application/ld+json">{"@type": "Organization", </script>'
        '<script type="application/ld+json">{"@type": "JobPosting", "title": "Ok"}</script>'
    )
    data = parse_page(html, f"{HOST}/careers")
    assert [p.title for p in data.postings] == ["Ok"]
    assert (data.broken_scripts, data.broken_job_scripts) == (2, 1)


def test_links_and_api_base_mapping() -> None:
    links = same_host_links(page("careers.html"), f"{HOST}/careers")
    assert f"{HOST}/careers/jobs/support?ref=list" in links
    assert f"{HOST}/careers/jobs/designer" in links
    assert not any("other.example" in u or u.endswith(".pdf") or "mailto" in u for u in links)
    assert len(links) == len(set(links))
    assert (
        physical_url(f"{HOST}/careers/jobs/x?a=1", "http://127.0.0.1:9/site")
        == "http://127.0.0.1:9/site/careers/jobs/x?a=1"
    )
    assert physical_url(f"{HOST}/careers", None) == f"{HOST}/careers"


def test_crawl_follows_links_obeys_robots_and_stays_in_scope() -> None:
    seen: list[httpx.Request] = []
    snapshot = fetch(JsonLdScraper(), BOARD, routes(site(), seen))
    assert snapshot.complete, snapshot.warnings
    assert {p.external_id for p in snapshot.postings} == EXPECTED_IDS
    paths = [r.url.path for r in seen]
    assert paths[0] == "/robots.txt" and paths[1] == "/careers"
    assert "/private/jobs/secret" not in paths  # disallowed by robots.txt
    assert "/careers/jobs/orphan" not in paths  # linked only from /about, outside /careers
    assert "/blog/we-are-hiring" not in paths
    assert paths.count("/careers/jobs/support") == 1
    assert all(r.headers["user-agent"] == POLICY.user_agent for r in seen)


def test_robots_txt_can_forbid_the_whole_board() -> None:
    table = site({"/robots.txt": httpx.Response(200, text="User-agent: *\nDisallow: /careers\n")})
    with pytest.raises(FetchError, match=r"robots\.txt disallows"):
        fetch(JsonLdScraper(), BOARD, routes(table))
    # Rules for another agent do not apply to ours; a missing robots.txt allows everything.
    other = site({"/robots.txt": httpx.Response(200, text="User-agent: OtherBot\nDisallow: /\n")})
    assert fetch(JsonLdScraper(), BOARD, routes(other)).complete
    missing = site({"/robots.txt": httpx.Response(404, text="none")})
    assert len(fetch(JsonLdScraper(), BOARD, routes(missing)).postings) == len(EXPECTED_IDS)


def test_failures_start_page_missing_and_followed_page_failing() -> None:
    with pytest.raises(BoardNotFound):
        fetch(JsonLdScraper(), BOARD, routes(site({"/careers": httpx.Response(404)})))
    with pytest.raises(FetchError):
        fetch(JsonLdScraper(), BOARD, routes(site({"/robots.txt": httpx.Response(500)})))
    snapshot = fetch(
        JsonLdScraper(), BOARD, routes(site({"/careers/jobs/designer": httpx.Response(500)}))
    )
    assert not snapshot.complete
    assert any("/careers/jobs/designer" in w for w in snapshot.warnings)
    assert {p.external_id for p in snapshot.postings} == EXPECTED_IDS - {
        f"{HOST}/careers/jobs/designer"
    }
    broken = '<script type="application/ld+json">{"@type": "JobPosting", "title": }</script>'
    snapshot = fetch(
        JsonLdScraper(),
        BOARD,
        routes(site({"/careers/jobs/intern": httpx.Response(200, text=broken)})),
    )
    assert not snapshot.complete and "4410" not in {p.external_id for p in snapshot.postings}


def test_page_cap_stops_the_crawl_and_marks_it_partial() -> None:
    links = "".join(f'<a href="/careers/jobs/{n}">r</a>' for n in range(600))

    def job_page(request: httpx.Request) -> httpx.Response:
        number = request.url.path.rsplit("/", 1)[-1]
        script = json.dumps(
            {"@type": "JobPosting", "title": f"Role {number}", "identifier": number}
        )
        return httpx.Response(200, text=f'<script type="application/ld+json">{script}</script>')

    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/careers":
            return httpx.Response(200, text=f"<html><body>{links}</body></html>")
        if request.url.path.startswith("/careers/jobs/"):
            return job_page(request)
        return httpx.Response(404)

    snapshot = fetch(JsonLdScraper(), BOARD, handler)
    pages = [r for r in seen if r.url.path != "/robots.txt"]
    assert len(pages) == 500
    assert len(snapshot.postings) == 499 and not snapshot.complete
    assert any("page cap of 500" in w for w in snapshot.warnings)


def test_end_to_end_through_the_cli(tmp_path: Path, empty_database_url: str) -> None:
    with local_server() as server:
        for path, name in PAGES.items():
            server.route("GET", path, Reply(body=page(name), content_type="text/html"))
        server.route(
            "GET", "/robots.txt", Reply(body=page("robots.txt"), content_type="text/plain")
        )
        postings = scrape_through_cli(
            tmp_path,
            empty_database_url,
            server,
            "Acme Robotics",
            f'{{ ats = "jsonld", url = "{HOST}/careers", api_base = "{server.base_url}" }}',
        )
        assert "/private/jobs/secret" not in {r.path for r in server.requests}
    by_id = {p["external_id"]: p for p in postings}
    assert set(by_id) == EXPECTED_IDS
    scientist = by_id["RS-101"]
    assert (scientist["company"], scientist["ats"]) == ("Acme Robotics", "jsonld")
    assert scientist["url"] == f"{HOST}/careers#research-scientist"  # public URL, not api_base
    assert scientist["employment_type"] == "full_time"
    assert scientist["locations"] == ["Zurich, Switzerland"]
    pay = scientist["pay"]
    assert (pay["min"], pay["max"], pay["currency"], pay["period"], pay["source"]) == (
        150000,
        190000,
        "CHF",
        "year",
        "structured",
    )
    assert pay["annual_max_usd"] > 150000
    ml = by_id["ML-7"]
    assert ml["workplace"] == "remote" and ml["pay"]["annual_min"] == 95 * 2080
    assert ml["posted_at"] == "2026-11-02T00:00:00Z"
    assert by_id["FT-12"]["employment_type"] == "temporary"
    assert by_id["FT-12"]["pay"]["source"] == "text"


def good_known_urls() -> frozenset[str]:
    """The stored URLs after a good run: what the next run knows as posting pages."""
    return frozenset(p.url for p in fetch(JsonLdScraper(), BOARD, routes(site())).postings if p.url)


def crawl(overrides: dict[str, httpx.Response], known: frozenset[str] = frozenset()) -> Any:
    return fetch(JsonLdScraper(), BOARD, routes(site(overrides)), BoardState(known_urls=known))


def html(status: int, body: str = "<html><body>error</body></html>") -> httpx.Response:
    return httpx.Response(status, text=body, headers={"Content-Type": "text/html"})


def test_dead_pages_outside_the_listing_are_warnings() -> None:
    snapshot = crawl({"/about": html(404), "/": html(500)}, good_known_urls())
    assert snapshot.complete
    assert {p.external_id for p in snapshot.postings} == EXPECTED_IDS
    assert any(w.startswith(f"{HOST}/about: page gone, ignored") for w in snapshot.warnings)
    assert any(w.startswith(f"{HOST}/: outside the listing, ignored") for w in snapshot.warnings)


def test_a_known_posting_page_gone_is_that_posting_missing() -> None:
    designer = f"{HOST}/careers/jobs/designer"
    for status in (404, 410):
        snapshot = crawl({"/careers/jobs/designer": html(status)}, good_known_urls())
        assert snapshot.complete, snapshot.warnings
        assert {p.external_id for p in snapshot.postings} == EXPECTED_IDS - {designer}
        assert f"{designer}: posting page gone, its posting is missing" in snapshot.warnings


@pytest.mark.parametrize(
    ("path", "answer"),
    [
        ("/careers/jobs/designer", html(500)),  # a known posting page
        ("/careers/jobs/designer", html(200, page("job_designer.html")[:400])),  # cut short
        ("/careers/page/2", html(503)),  # a listing page
        ("/about", html(500)),  # outside the listing, but a posting is known to live there
    ],
)
def test_listing_and_known_posting_pages_failing_make_the_run_partial(
    path: str, answer: httpx.Response
) -> None:
    snapshot = crawl({path: answer}, good_known_urls() | {f"{HOST}/about"})
    assert not snapshot.complete
    assert any(w.startswith(f"{HOST}{path}: ") for w in snapshot.warnings)


def test_a_listing_link_gone_is_a_warning() -> None:
    # A stale link to a role removed a moment ago: the site says the page does not exist.
    snapshot = crawl({"/careers/jobs/technician": html(404)})
    assert snapshot.complete and "FT-12" not in {p.external_id for p in snapshot.postings}


def test_a_cut_board_page_fails_the_run() -> None:
    cut = page("careers.html")[:1500]
    with pytest.raises(Truncated, match="does not end with </html> or </body>"):
        crawl({"/careers": html(200, cut)})


def test_no_job_posting_anywhere_is_a_changed_shape_once_postings_are_known() -> None:
    scripts = re.compile(r"<script[^>]*ld\+json.*?</script>", re.S)
    redesigned = {path: html(200, scripts.sub("", page(n))) for path, n in PAGES.items()}
    with pytest.raises(ParseError, match=r"^jsonld: unexpected response shape: no JobPosting"):
        crawl(redesigned, good_known_urls())
    # a board never seen with postings is simply empty
    snapshot = crawl(redesigned)
    assert snapshot.complete and snapshot.postings == ()


def test_a_gone_posting_page_closes_its_posting_after_two_ok_runs(engine: Engine) -> None:
    answers = site()

    def scrape(when: str) -> Any:
        (summary,) = asyncio.run(
            scrape_boards(
                engine,
                Settings(http_backoff=0),
                [BOARD],
                transport=httpx.MockTransport(routes(answers)),
                clock=lambda: at(when),
            )
        )
        return summary

    assert scrape("2026-11-01T08:00").outcome == "ok"
    answers["/careers/jobs/designer"] = html(404)
    answers["/about"] = html(404)
    first, second = scrape("2026-11-01T20:00"), scrape("2026-11-02T08:00")
    assert (first.outcome, first.closed, second.outcome, second.closed) == ("ok", 0, "ok", 1)
    with Session(engine) as session:
        closed = session.exec(select(Posting).where(Posting.status == "closed")).all()
    assert [p.external_id for p in closed] == [f"{HOST}/careers/jobs/designer"]
