"""Hacker News "Who is hiring?": finding the thread, parsing top-level comments, fetching with
bounded concurrency, the watchlist entry, and one end-to-end scrape."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from scrapers.errors import BoardNotFound, FetchError, ParseError
from scrapers.models import BoardConfig, Pay
from scrapers.sources.hackernews import (
    ITEM_CONCURRENCY,
    HackerNewsScraper,
    parse_comment,
    parse_item,
    parse_thread,
)
from service.probe import probe_boards
from service.settings import Settings
from service.sources import load_sources
from tests.boards_helpers import routes, scrape_through_cli
from tests.conftest import FIXTURES, load_fixture
from tests.e2e_helpers import Reply, local_server
from tests.enrich_helpers import settled
from tests.scraper_helpers import fetch

BOARD = BoardConfig(company="HN Who is hiring", ats="hackernews")
THREAD = 46100002
EXPECTED_IDS = {
    "46100101-1",
    "46100101-2",
    "46100102-1",
    "46100102-2",
    "46100102-3",
    "46100103",
    "46100104",
    "46100108",
}


def items() -> dict[int, dict[str, Any]]:
    return {item["id"]: item for item in load_fixture("hackernews", "items.json")}


def firebase(extra: dict[str, httpx.Response] | None = None) -> dict[str, httpx.Response]:
    table = {
        "/v0/user/whoishiring.json": httpx.Response(
            200, json=load_fixture("hackernews", "user_whoishiring.json")
        )
    }
    table.update(
        {f"/v0/item/{i}.json": httpx.Response(200, json=item) for i, item in items().items()}
    )
    table.update(extra or {})
    return table


def comment(text: str, **fields: Any) -> dict[str, Any]:
    return {"id": 7, "parent": 1, "type": "comment", "time": 1793546000, "text": text, **fields}


def test_top_level_comments_become_postings() -> None:
    by_id = items()
    thread = by_id[THREAD]
    fetched = [by_id[k] for k in thread["kids"]] + [by_id[46100201]]  # plus a reply
    postings = {p.external_id: settled(p) for p in parse_thread(thread, fetched)}
    assert set(postings) == EXPECTED_IDS  # deleted, dead, chatter and replies skipped
    backend = postings["46100101-1"]
    assert (backend.company, backend.title) == ("Acme Robotics", "Senior Backend Engineer")
    assert postings["46100101-2"].title == "ML Engineer"
    assert backend.locations == ("San Francisco, CA",) and backend.workplace == "onsite"
    assert backend.pay == Pay(180000, 220000, "USD", "year", "text")
    assert backend.url == "https://news.ycombinator.com/item?id=46100101"
    assert backend.posted_at is not None and backend.posted_at.timestamp() == 1793546000
    assert "https://acme-robotics.example/careers" in backend.description
    globex = [postings[f"46100102-{n}"] for n in (1, 2, 3)]
    assert [p.title for p in globex] == [
        "Staff Frontend Engineer",
        "Data Scientist",
        "Engineering Manager, Payments",
    ]
    assert all(p.workplace == "remote" and p.employment_type == "full_time" for p in globex)
    assert globex[0].pay is None  # "$40M Series B" is funding
    initech = postings["46100103"]
    assert initech.locations == ("London", "Berlin") and initech.workplace == "hybrid"
    assert initech.pay == Pay(80000, 100000, "GBP", "year", "text")
    hooli = postings["46100104"]
    assert (hooli.title, hooli.employment_type, hooli.workplace) == (
        "ML Researcher",
        "contract",
        "remote",
    )
    assert hooli.pay is not None and hooli.pay.period == "day"
    vandelay = postings["46100108"]
    assert vandelay.title == "Platform Engineer (Kubernetes)"
    assert vandelay.employment_type == "full_time" and vandelay.locations == ("NYC",)


@pytest.mark.parametrize(
    "item",
    [
        {"id": 9, "deleted": True, "parent": 1, "type": "comment"},
        comment("Acme | Engineer | NYC", dead=True),
        comment("Thanks, this thread is great!"),
        comment(""),
    ],
)
def test_skipped_items(item: dict[str, Any]) -> None:
    assert parse_comment(item) == []


def test_single_items_from_the_api_docs() -> None:
    job = {
        "by": "justin",
        "id": 192327,
        "score": 6,
        "time": 1210981217,
        "type": "job",
        "title": "Justin.tv is looking for a Lead Flash Engineer!",
        "url": "",
        "text": 'We are based in SF.<p>Apply at <a href="http:&#x2F;&#x2F;x.example">x</a>',
    }
    (posting,) = parse_item(job)
    assert posting.external_id == "192327" and posting.title.startswith("Justin.tv")
    assert posting.url == "https://news.ycombinator.com/item?id=192327"
    assert parse_item({"id": 8863, "type": "story", "title": "My YC app"}) == []
    assert parse_item(None) == []


def test_fetch_finds_the_newest_hiring_thread_and_reads_its_comments() -> None:
    seen: list[httpx.Request] = []
    snapshot = fetch(HackerNewsScraper(), BOARD, routes(firebase(), seen))
    assert snapshot.complete
    assert {p.external_id for p in snapshot.postings} == EXPECTED_IDS
    paths = [r.url.path for r in seen]
    assert paths[:3] == [
        "/v0/user/whoishiring.json",
        "/v0/item/46100003.json",
        "/v0/item/46100002.json",
    ]
    assert "/v0/item/45800001.json" not in paths  # last month's thread is not read
    assert str(seen[0].url).startswith("https://hacker-news.firebaseio.com/")


def test_failed_item_makes_the_run_partial() -> None:
    table = firebase({"/v0/item/46100103.json": httpx.Response(500, text="oops")})
    snapshot = fetch(HackerNewsScraper(), BOARD, routes(table))
    assert not snapshot.complete
    assert "46100103" not in {p.external_id for p in snapshot.postings}
    assert any("46100103" in w for w in snapshot.warnings)


def test_fetch_failures() -> None:
    with pytest.raises(BoardNotFound):
        fetch(HackerNewsScraper(), BOARD, routes({}))
    null_user = {"/v0/user/whoishiring.json": httpx.Response(200, text="null")}
    with pytest.raises(BoardNotFound):
        fetch(HackerNewsScraper(), BOARD, routes(null_user))
    garbage = {"/v0/user/whoishiring.json": httpx.Response(200, text="{not json")}
    with pytest.raises(ParseError):
        fetch(HackerNewsScraper(), BOARD, routes(garbage))
    null = httpx.Response(200, text="null")  # what Firebase answers for a missing item
    no_thread = firebase({"/v0/item/46100002.json": null, "/v0/item/45800001.json": null})
    with pytest.raises(FetchError, match="no 'Ask HN: Who is hiring"):
        fetch(HackerNewsScraper(), BOARD, routes(no_thread))


def test_a_changed_shape_fails_the_run_rather_than_emptying_it() -> None:
    """A failed comment request makes the run partial; a comment in another shape (here an
    Algolia hit instead of a Firebase item) or a user without `submitted` fails it."""
    hit = {"objectID": "46100103", "comment_text": "Initech | Engineer", "story_id": THREAD}
    changed = [
        {"/v0/user/whoishiring.json": httpx.Response(200, json={"id": "whoishiring"})},
        {f"/v0/item/{THREAD}.json": httpx.Response(200, json={"hits": [hit]})},
        {"/v0/item/46100103.json": httpx.Response(200, json=hit)},
        {f"/v0/item/{THREAD}.json": httpx.Response(200, json={**items()[THREAD], "kids": 8})},
    ]
    for extra in changed:
        with pytest.raises(ParseError, match=r"^hackernews: unexpected response shape: "):
            fetch(HackerNewsScraper(), BOARD, routes(firebase(extra)))
    # Firebase's `null` for a missing comment is no item, not a changed shape
    missing = firebase({"/v0/item/46100103.json": httpx.Response(200, text="null")})
    snapshot = fetch(HackerNewsScraper(), BOARD, routes(missing))
    assert snapshot.complete and "46100103" not in {p.external_id for p in snapshot.postings}


def test_item_requests_are_bounded() -> None:
    kids = list(range(1000, 1060))
    thread = {
        "id": 5,
        "type": "story",
        "title": "Ask HN: Who is hiring? (December 2026)",
        "kids": kids,
        "by": "whoishiring",
        "time": 1,
    }
    in_flight = peak = 0

    async def handler(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, peak
        path = request.url.path
        if path == "/v0/user/whoishiring.json":
            return httpx.Response(200, json={"id": "whoishiring", "submitted": [5]})
        if path == "/v0/item/5.json":
            return httpx.Response(200, json=thread)
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.005)
        in_flight -= 1
        number = int(path.split("/")[-1].split(".")[0])
        return httpx.Response(
            200, json=comment(f"Co{number} | Engineer | Paris", id=number, parent=5)
        )

    snapshot = fetch(HackerNewsScraper(), BOARD, handler)
    assert len(snapshot.postings) == 60 and snapshot.complete
    assert 1 < peak <= ITEM_CONCURRENCY


def test_watchlist_accepts_a_board_with_neither_token_nor_url(tmp_path: Path) -> None:
    path = tmp_path / "sources.toml"
    path.write_text('[[companies]]\nname = "Hacker News"\nboards = [ { ats = "hackernews" } ]\n')
    (board,) = load_sources(path).boards
    assert (board.ats, board.token, board.url) == ("hackernews", None, None)
    assert board.key == "hackernews:Hacker News" == load_sources(path).boards[0].key
    assert HackerNewsScraper().validate(board) is None


def test_end_to_end_through_the_cli(tmp_path: Path, empty_database_url: str) -> None:
    with local_server() as server:
        server.route(
            "GET",
            "/v0/user/whoishiring.json",
            Reply(body=json.dumps(load_fixture("hackernews", "user_whoishiring.json"))),
        )
        for item_id, item in items().items():
            server.route("GET", f"/v0/item/{item_id}.json", Reply(body=json.dumps(item)))
        postings = scrape_through_cli(
            tmp_path,
            empty_database_url,
            server,
            "Hacker News",
            f'{{ ats = "hackernews", api_base = "{server.base_url}" }}',
        )
    by_id = {p["external_id"]: p for p in postings}
    assert set(by_id) == EXPECTED_IDS
    backend = by_id["46100101-1"]
    assert (backend["company"], backend["ats"]) == ("Acme Robotics", "hackernews")
    assert backend["title"] == "Senior Backend Engineer"
    assert backend["locations"] == ["San Francisco, CA"] and backend["workplace"] == "onsite"
    pay = backend["pay"]
    assert (pay["min"], pay["max"], pay["currency"], pay["period"], pay["source"]) == (
        180000,
        220000,
        "USD",
        "year",
        "text",
    )
    assert (pay["annual_min_usd"], pay["annual_max_usd"]) == (180000, 220000)
    assert by_id["46100103"]["pay"]["currency"] == "GBP"
    assert by_id["46100104"]["pay"]["annual_min"] == 650 * 260
    companies = {p["company"] for p in postings}
    assert companies == {"Acme Robotics", "Globex", "Initech", "Hooli", "Vandelay Industries"}


def test_sources_check_probes_every_kind_of_this_group() -> None:
    """`talentflow sources check` (probe_boards) reads Workable, Recruitee, Personio, JSON-LD
    and Hacker News boards: counts when reachable, "not found" on 404."""
    base = "http://boards.test"
    table: dict[str, httpx.Response] = {
        **firebase(),
        "/api/v1/widget/accounts/acme": httpx.Response(
            200, json=load_fixture("workable", "acme_account.json")
        ),
        "/api/offers/": httpx.Response(200, json=load_fixture("recruitee", "acme_offers.json")),
        "/careers": httpx.Response(
            200,
            text=(FIXTURES / "jsonld" / "job_support.html").read_text(),
            headers={"Content-Type": "text/html"},
        ),
    }
    boards = [
        BoardConfig("Acme", "workable", token="acme", api_base=base),
        BoardConfig("Acme", "recruitee", token="acme", api_base=base),
        BoardConfig("Acme", "personio", token="gone", api_base=base),
        BoardConfig("Acme", "jsonld", url="https://acme.example/careers", api_base=base),
        BoardConfig("HN", "hackernews", api_base=base),
    ]
    results = asyncio.run(
        probe_boards(Settings(http_backoff=0), boards, transport=httpx.MockTransport(routes(table)))
    )
    assert [(r.board.ats, r.status, r.count) for r in results] == [
        ("workable", "reachable", 2),
        ("recruitee", "reachable", 3),
        ("personio", "not found", None),
        ("jsonld", "reachable", 1),
        ("hackernews", "reachable", len(EXPECTED_IDS)),
    ]
