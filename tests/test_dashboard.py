"""Dashboard pages through FastAPI's TestClient, on a history built through ingest
(SQLite always, PostgreSQL when configured). Page figures are checked against hand-computed
values and against the JSON API that reads the same query functions."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from service.app import create_app
from service.settings import Settings
from store.trends import trend_series
from tests.dashboard_helpers import HOSTILE_TITLE, seed

pytestmark = pytest.mark.postgres


@pytest.fixture
def client(engine: Engine) -> Iterator[TestClient]:
    seed(engine)
    with TestClient(create_app(Settings(), engine)) as test_client:
        yield test_client


@pytest.fixture
def empty_client(engine: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(), engine)) as test_client:
        yield test_client


def page(client: TestClient, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.text[:500]
    assert response.headers["content-type"].startswith("text/html")
    return response.text


def posting_ids(text: str) -> list[int]:
    """Posting ids in the order the page lists them."""
    ids = [int(n) for n in re.findall(r'href="http://testserver/postings/(\d+)"', text)]
    return list(dict.fromkeys(ids))


def embedded_spec(text: str, name: str) -> dict[str, Any]:
    found = re.search(
        rf'<script type="application/json" id="spec-{name}">(.*?)</script>', text, re.S
    )
    assert found, f"no chart {name!r} on the page"
    return dict(json.loads(found.group(1)))


def kpi(text: str, name: str) -> str:
    found = re.search(rf'id="kpi-{name}">([^<]*)<', text)
    assert found
    return found.group(1)


def api_ids(client: TestClient, url: str) -> list[int]:
    response = client.get(url)
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


def test_overview_figures_charts_and_failed_runs(client: TestClient) -> None:
    text = page(client, "/?until=2026-10-13")
    assert kpi(text, "open") == "6"  # xAI 4 + Anthropic 2
    assert kpi(text, "new") == "4"  # week of 2026-10-12: x4 x5 a1 a2
    assert re.search(r'<span class="value">1</span><span class="label">boards failing', text)
    failed_rows = re.findall(r'<tr class="run-failed">(.*?)</tr>', text, re.S)
    assert len(failed_rows) == 1 and "HTTP 503 from boards-api" in failed_rows[0]
    # The charts are the same specs as their JSON URLs.
    assert embedded_spec(text, "open") == client.get("/charts/open-roles.json").json()
    new_company = embedded_spec(text, "new-company")
    assert (
        new_company
        == client.get(
            "/charts/trend.json?metric=new&group=company&interval=week&until=2026-10-13"
        ).json()
    )
    values = {(v["key"], v["t"]): v["value"] for v in new_company["data"]["values"]}
    assert values[("xAI", "2026-10-05")] == 3 and values[("Anthropic", "2026-10-12")] == 2
    topics = {v["key"] for v in embedded_spec(text, "new-topic")["data"]["values"]}
    assert topics == {"world-models", "games", "data-annotation", "safety"}


def test_overview_loads_scripts_from_this_server_only(client: TestClient) -> None:
    text = page(client, "/")
    sources = re.findall(r'<script src="([^"]+)"', text)
    assert [s.rsplit("/", 1)[1] for s in sources] == [
        "vega.min.js",
        "vega-lite.min.js",
        "vega-embed.min.js",
        "dashboard.js",
    ]
    assert all(s.startswith("http://testserver/static/") for s in sources)
    for src in sources:
        response = client.get(src)
        assert response.status_code == 200 and "javascript" in response.headers["content-type"]
    assert client.get("/static/dashboard.css").status_code == 200


def test_overview_of_an_empty_database_explains_what_to_do(empty_client: TestClient) -> None:
    text = page(empty_client, "/")
    assert "Nothing has been scraped yet" in text
    assert 'class="vega"' not in text
    assert kpi(text, "open") == "0"


def test_overview_before_any_posting_is_empty_not_an_error(client: TestClient) -> None:
    text = page(client, "/?until=2020-01-01")
    assert 'id="spec-new-company"' not in text


FILTERS = (
    "",
    "workplace=remote",
    "company=Anthropic",
    "company=xai&company=anthropic",
    "topic=safety",
    "status=closed",
    "status=all",
    "min_annual_pay=360000",
    "since=2026-10-12",
)


def test_postings_page_lists_what_the_api_returns(client: TestClient) -> None:
    for query in FILTERS:
        assert posting_ids(page(client, f"/postings?{query}")) == api_ids(
            client, f"/api/postings?{query}"
        ), query


def test_postings_filters_have_the_expected_results(client: TestClient) -> None:
    def titles(query: str) -> set[str]:
        text = html.unescape(page(client, f"/postings?{query}"))
        return set(re.findall(r'/postings/\d+">([^<]+)</a>', text))

    assert titles("workplace=remote") == {"Game Designer"}
    assert titles("status=closed") == {"AI Tutor"}
    assert titles("topic=safety") == {"Safety Researcher", "Research Engineer, Safety"}
    assert titles("min_annual_pay=360000") == {
        "World Model Researcher",
        "Research Engineer, Safety",
    }


def test_empty_form_fields_mean_any(client: TestClient) -> None:
    blank = "q=&company=&topic=&workplace=&min_annual_pay=&since=&status=open"
    assert posting_ids(page(client, f"/postings?{blank}")) == api_ids(client, "/api/postings")


def test_search_on_the_page_ranks_like_the_search_api(client: TestClient) -> None:
    text = page(client, "/postings?q=safety")
    assert posting_ids(text) == api_ids(client, "/api/search?q=safety")
    assert len(posting_ids(text)) == 2
    assert 'href="/api/search?q=safety"' in text


def test_postings_pages_follow_each_other_without_gaps(client: TestClient) -> None:
    seen: list[int] = []
    url: str | None = "/postings?status=all&limit=2"
    while url:
        text = page(client, url)
        seen += posting_ids(text)
        found = re.search(r'<a rel="next" href="([^"]+)"', text)
        url = html.unescape(found.group(1)) if found else None
    assert seen == api_ids(client, "/api/postings?status=all&limit=500")
    assert len(seen) == 7


BAD_PARAMETERS = (
    ("/postings?workplace=moon", "workplace"),
    ("/postings?min_annual_pay=-5", "min_annual_pay"),
    ("/postings?since=yesterday", "since"),
    ("/postings?limit=0", "limit"),
    ("/postings?status=gone", "status"),
    ("/trends?interval=year", "interval"),
    ("/trends?group=planet", "group"),
    ("/runs?outcome=great", "outcome"),
    ("/?until=soon", "until"),
)


def test_bad_parameters_give_a_422_page_naming_them(client: TestClient) -> None:
    for url, name in BAD_PARAMETERS:
        text = page(client, url, status=422)
        assert "Invalid request" in text, url
        assert f"<li>{name}:" in text, url


def test_other_422s_on_pages_explain_themselves(client: TestClient) -> None:
    assert "not valid any more" in page(client, "/postings?cursor=bogus", status=422)
    assert "since must not be after until" in page(
        client, "/trends?since=2026-10-20&until=2026-10-01", status=422
    )
    assert "There is no posting 99999" in page(client, "/postings/99999", status=404)
    page(client, "/postings/0", status=422)


def test_the_json_api_keeps_its_json_errors(client: TestClient) -> None:
    for url in (
        "/api/postings?workplace=moon",
        "/charts/trend.json?interval=year",
        "/charts/runs.json?limit=0",
    ):
        response = client.get(url)
        assert response.status_code == 422
        assert response.headers["content-type"] == "application/json"
        assert response.json()["detail"][0]["loc"][0] == "query"
    response = client.get("/charts/trend.json?since=2026-10-20&until=2026-10-01")
    assert response.status_code == 422
    assert response.json() == {"detail": "since must not be after until"}


def test_posting_page_shows_facts_history_and_escapes_board_text(client: TestClient) -> None:
    by_title = {p["title"]: p for p in client.get("/api/postings?limit=500").json()["items"]}
    text = page(client, f"/postings/{by_title['World Model Researcher']['id']}")
    history = re.search(r'<table class="data" id="history">(.*?)</table>', text, re.S)
    assert history
    cells = re.findall(r"<td[^>]*>(.*?)</td>", history.group(1), re.S)
    assert [c.strip() for c in cells] == [
        "2026-10-12 08:00 UTC",
        "pay",
        "$200k\u2013$400k / year",
        "$220k\u2013$440k / year",
    ]
    assert "world-models" in text
    assert 'href="https://job-boards.greenhouse.io/xai/jobs/x1"' in text

    hostile = page(client, f"/postings/{by_title[HOSTILE_TITLE]['id']}")
    assert "<script>alert" not in hostile
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Engineer" in hostile
    assert "javascript:" not in hostile  # a non-web link from a board is not made clickable
    assert "not published" in hostile


def test_trends_page_numbers_are_the_trend_series(client: TestClient, engine: Engine) -> None:
    query = "metric=open&group=company&interval=week&since=2026-10-05&until=2026-10-25"
    text = html.unescape(page(client, f"/trends?{query}"))
    table = re.search(r'id="trend-table">(.*?)</table>', text, re.S)
    assert table
    rows = re.findall(r"<tr><td>([^<]+)</td>(.*?)</tr>", table.group(1), re.S)
    shown = {key: [int(v) for v in re.findall(r'class="num">(\d+)<', cells)] for key, cells in rows}
    assert shown == {"xAI": [3, 5, 4], "Anthropic": [0, 2, 2]}  # by hand, see seed()
    with Session(engine) as session:
        series = trend_series(
            session,
            metric="open",
            group="company",
            interval="week",
            since=date(2026, 10, 5),
            until=date(2026, 10, 25),
        )
    assert shown == {s["key"]: [p["value"] for p in s["points"]] for s in series}
    assert embedded_spec(text, "trend") == client.get(f"/charts/trend.json?{query}").json()
    assert 'value="2026-10-05"' in text and 'value="2026-10-25"' in text


def test_trends_page_filters_by_topic(client: TestClient) -> None:
    text = page(
        client, "/trends?metric=new&group=company&since=2026-10-05&until=2026-10-25&topic=safety"
    )
    values = embedded_spec(text, "trend")["data"]["values"]
    assert {(v["key"], v["t"]): v["value"] for v in values if v["value"]} == {
        ("xAI", "2026-10-12"): 1,
        ("Anthropic", "2026-10-12"): 1,
    }


def test_companies_page_lists_open_roles_and_pay(client: TestClient) -> None:
    text = html.unescape(page(client, "/companies"))
    rows = re.findall(r"<tr>\s*<td><a [^>]+>([^<]+)</a></td>(.*?)</tr>", text, re.S)
    cells = {name: re.findall(r'class="num">([^<]*)<', rest) for name, rest in rows}
    # xAI open with pay: x1 220-440k, x2 150-250k, x4 250-350k -> medians 220k / 350k.
    assert cells["xAI"] == ["4", "75%", "$220k\u2013$350k"]
    assert cells["Anthropic"] == ["2", "50%", "$300k\u2013$400k"]
    pay = embedded_spec(text, "pay")
    assert pay == client.get("/charts/pay-bands.json").json()


def test_runs_page_puts_failing_boards_first_and_filters(client: TestClient) -> None:
    text = page(client, "/runs")
    boards = re.findall(r'<tr class="board-([a-z-]+)">\s*<td>([^<]+)</td>', text)
    assert boards == [("failing", "Anthropic"), ("ok", "xAI")]
    assert len(re.findall(r'<tr class="run-', text)) == 6
    failed = page(client, "/runs?outcome=failed")
    assert re.findall(r'<tr class="run-([a-z]+)">', failed) == ["failed"]
    anthropic = page(client, "/runs?board=anthropic")
    assert re.findall(r'<tr class="run-([a-z]+)">', anthropic) == ["failed", "ok"]
    assert len(embedded_spec(text, "runs")["data"]["values"]) == 6
    assert len(client.get("/charts/runs.json?outcome=ok").json()["data"]["values"]) == 5


def test_runs_pages_follow_each_other(client: TestClient) -> None:
    outcomes: list[str] = []
    url: str | None = "/runs?limit=4"
    while url:
        text = page(client, url)
        outcomes += re.findall(r'<tr class="run-([a-z]+)">', text)
        found = re.search(r'<a rel="next" href="([^"]+)"', text)
        url = html.unescape(found.group(1)) if found else None
    assert outcomes == ["failed", "ok", "ok", "ok", "ok", "ok"]


def test_talent_flow_page_shows_moves_and_hires(client: TestClient) -> None:
    text = html.unescape(page(client, "/hires"))
    flows = embedded_spec(text, "flows")
    assert flows == client.get("/charts/flows.json").json()
    edges = client.get("/api/flows").json()["edges"]
    assert (
        {(v["from"], v["to"], v["count"]) for v in flows["data"]["values"]}
        == {(e["from"], e["to"], e["count"]) for e in edges}
        == {("OpenAI", "xAI", 2), ("Google DeepMind", "Anthropic", 1)}
    )
    people = re.findall(r"<tr>\s*<td[^>]*>[^<]*</td>\s*<td>([^<]+)</td>", text)
    assert people == ["Kim Example", "Alan Example", "Grace Example", "Ada Example"]
    assert 'href="https://news.example.com/ada"' in text
    assert "javascript:" not in text


def test_talent_flow_filters_and_errors(client: TestClient) -> None:
    text = html.unescape(page(client, "/hires?company=Anthropic&since=2026-10-15"))
    assert re.findall(r"<td>(\w+ Example)</td>", text) == ["Kim Example", "Alan Example"]
    values = embedded_spec(text, "flows")["data"]["values"]
    assert [(v["from"], v["to"]) for v in values] == [("Google DeepMind", "Anthropic")]
    assert "until must not be before since" in page(
        client, "/hires?since=2026-10-20&until=2026-10-01", status=422
    )
    assert "<li>since:" in page(client, "/hires?since=someday", status=422)
    page(client, "/hires?cursor=bogus", status=422)
    first = page(client, "/hires?limit=3")
    assert len(re.findall(r"<td>(\w+ Example)</td>", first)) == 3
    found = re.search(r'<a rel="next" href="([^"]+)"', first)
    assert found
    rest = page(client, html.unescape(found.group(1)))
    assert re.findall(r"<td>(\w+ Example)</td>", rest) == ["Ada Example"]


def test_pages_are_not_in_the_api_schema(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert "/api/postings" in paths
    assert not any(p in paths for p in ("/", "/postings", "/trends", "/runs", "/charts/trend.json"))
