"""One company's view (store query, JSON API and dashboard page) on the hand-built history of
``tests/company_helpers.py``, on SQLite always and PostgreSQL when configured."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from service.app import create_app
from service.settings import Settings
from store.company import company_view
from store.trends import bucket_start
from store.types import utcnow
from tests.company_helpers import seed_companies
from tests.dashboard_helpers import XAI, fail

pytestmark = pytest.mark.postgres

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)  # a Friday


@pytest.fixture
def view_engine(engine: Engine) -> Engine:
    seed_companies(engine, NOW)
    return engine


@pytest.fixture
def client(engine: Engine) -> Iterator[TestClient]:
    # Dated from the real clock: the API measures ages at request time.
    seed_companies(engine, utcnow())
    with TestClient(create_app(Settings(), engine)) as test_client:
        yield test_client


def view(engine: Engine, name: str = "Acme Robotics", **kwargs: Any) -> dict[str, Any]:
    with Session(engine) as session:
        found = company_view(session, name, now=NOW, **kwargs)
    assert found is not None
    return found


# -- the query function, at a pinned time ------------------------------------------------------


def test_counts_teams_and_topics(view_engine: Engine) -> None:
    v = view(view_engine)
    assert (v["name"], v["open_roles"], v["closed_roles"]) == ("Acme Robotics", 5, 1)
    # Open: Optimus r2 r4 r6, Omni r1, Alignment r5; first seen in 28 days: r5, r6.
    assert v["teams"] == [
        {"key": "Optimus", "open_roles": 3, "new_recent": 1},
        {"key": "Alignment", "open_roles": 1, "new_recent": 1},
        {"key": "Omni", "open_roles": 1, "new_recent": 0},
    ]
    assert [(t["key"], t["open_roles"]) for t in v["topics"]] == [
        ("robotics", 3),
        ("safety", 1),
        ("world-models", 1),
    ]
    assert v["reposted_90_days"] == 0  # r3 closed and nothing came back


def test_weekly_open_new_and_closed(view_engine: Engine) -> None:
    weekly = view(view_engine)["weekly"]
    assert weekly[-1] == {
        "week": bucket_start(NOW.date(), "week").isoformat(),
        "open": 5,
        "new": 1,
        "closed": 0,
    }
    assert weekly[0]["week"] == bucket_start((NOW - timedelta(days=120)).date(), "week").isoformat()
    assert [w["open"] for w in weekly if w["new"] or w["closed"]] == [3, 4, 5, 4, 5]
    assert sum(w["new"] for w in weekly) == 6 and sum(w["closed"] for w in weekly) == 1
    closed_week = bucket_start((NOW - timedelta(days=13)).date(), "week").isoformat()
    assert [w["week"] for w in weekly if w["closed"]] == [closed_week]
    # Weeks are consecutive Mondays.
    days = [date.fromisoformat(w["week"]) for w in weekly]
    assert all(b - a == timedelta(days=7) for a, b in pairwise(days))


def test_weekly_window_keeps_the_open_count_carried_in(view_engine: Engine) -> None:
    since = (NOW - timedelta(days=30)).date()
    weekly = view(view_engine, since=since, until=NOW.date())["weekly"]
    assert weekly[0]["week"] == bucket_start(since, "week").isoformat()
    assert weekly[0]["open"] == 4 and weekly[0]["new"] == 0  # r1 r2 r3 r4 from before


def test_pay_bands_by_role_family(view_engine: Engine) -> None:
    bands = {b["function"]: b for b in view(view_engine)["pay_by_function"]}
    # research: r1 200-300k, r4 180-260k, r5 300-400k; engineering: r2 150-250k and
    # r6 $100-150/hour = 208k-312k a year.
    assert bands["research"]["postings"] == 3 and bands["research"]["with_pay"] == 3
    assert bands["research"]["annual_min_usd"]["median"] == 200_000
    assert bands["research"]["annual_max_usd"]["median"] == 300_000
    assert bands["engineering"]["annual_min_usd"]["median"] == 179_000
    assert bands["engineering"]["annual_max_usd"]["median"] == 281_000
    assert set(bands) == {"research", "engineering"}  # r3 (go-to-market) is closed


def test_ages_use_the_board_date_when_it_is_earlier(view_engine: Engine) -> None:
    ages = view(view_engine)["open_postings"]
    assert ages["total"] == 5
    assert [(r["title"], r["age_days"]) for r in ages["items"]] == [
        ("Robot Learning Scientist", 200),
        ("World Model Researcher", 120),
        ("Robotics Engineer", 120),
        ("Safety Researcher", 20),
        ("Robotics Lead", 3),
    ]
    assert ages["items"][0]["opened_at"] == "2026-05-04T12:00:00Z"  # posted, before first seen
    assert ages["items"][0]["first_seen_at"] == "2026-08-12T12:00:00Z"
    assert [b["count"] for b in ages["buckets"]] == [1, 1, 0, 2, 1]
    assert sum(b["count"] for b in ages["buckets"]) == ages["total"]


def test_roles_open_more_than_90_days(view_engine: Engine) -> None:
    stale = view(view_engine)["open_over_90_days"]
    assert stale["count"] == 3 and stale["days"] == 90
    assert [r["title"] for r in stale["items"]] == [
        "Robot Learning Scientist",
        "World Model Researcher",
        "Robotics Engineer",
    ]
    assert all(r["age_days"] > 90 for r in stale["items"])


def test_latest_roles_newest_first(view_engine: Engine) -> None:
    latest = view(view_engine)["latest_roles"]
    assert [r["title"] for r in latest] == [
        "Robotics Lead",
        "Safety Researcher",
        "Robot Learning Scientist",
        "Robotics Engineer",
        "World Model Researcher",
    ]
    assert latest[0]["pay"]["period"] == "hour" and latest[0]["pay"]["annual_min_usd"] == 208_000


def test_boards_and_their_failure_streaks(view_engine: Engine) -> None:
    boards = {b["key"]: b for b in view(view_engine)["boards"]}
    assert boards["greenhouse:acme"]["state"] == "ok"
    assert boards["greenhouse:acme"]["failure_streak"] == 0
    lever = boards["lever:acme"]
    assert (lever["state"], lever["failure_streak"], lever["last_outcome"]) == (
        "failing",
        3,
        "failed",
    )
    assert lever["failing_since"] == "2026-11-10T12:00:00Z" and lever["last_ok_at"] is None
    assert "404 not found" in lever["last_error"]


def test_hires_in_link_to_roles_and_hires_out(view_engine: Engine) -> None:
    hires = view(view_engine)["hires"]
    assert [h["hire"]["person"] for h in hires["in"]] == ["Ada Example"]
    # "Robotics researcher" shares the word robotics with the robotics roles.
    assert {r["title"] for r in hires["in"][0]["open_roles"]} == {
        "Robotics Lead",
        "Robot Learning Scientist",
        "Robotics Engineer",
    }
    assert [(h["person"], h["to_company"]) for h in hires["out"]] == [("Bob Example", "AT&T Labs")]
    att = view(view_engine, "at&t labs")["hires"]
    assert [h["hire"]["person"] for h in att["in"]] == ["Bob Example"] and att["out"] == []
    assert view(view_engine, "Google DeepMind")["hires"] == {"in": [], "out": []}


def test_unknown_company_has_no_view(view_engine: Engine) -> None:
    with Session(view_engine) as session:
        assert company_view(session, "Nobody Inc", now=NOW) is None


def test_names_match_ignoring_case_beyond_ascii(view_engine: Engine) -> None:
    v = view(view_engine, "ÜNITED ROBOTICS")
    assert v["name"] == "Ünited Robotics" and v["open_roles"] == 1


# -- the JSON API --------------------------------------------------------------------------


def get(client: TestClient, url: str, status: int = 200) -> Any:
    response = client.get(url)
    assert response.status_code == status, response.text[:500]
    return response.json()


def test_api_serves_the_view(client: TestClient) -> None:
    body = get(client, "/api/companies/Acme%20Robotics")
    assert set(body) >= {
        "name",
        "open_roles",
        "weekly",
        "teams",
        "topics",
        "pay_by_function",
        "latest_roles",
        "open_postings",
        "open_over_90_days",
        "reposted_90_days",
        "boards",
        "hires",
    }
    assert (body["open_roles"], body["closed_roles"]) == (5, 1)
    assert body["open_over_90_days"]["count"] == 3
    assert [r["age_days"] for r in body["open_postings"]["items"]] == [200, 120, 120, 20, 3]
    assert body["weekly"][-1]["open"] == 5
    assert set(body["hires"]) == {"in", "out"}
    assert body["hires"]["in"][0]["hire"]["person"] == "Ada Example"
    assert json.loads(json.dumps(body)) == body


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("acme%20robotics", "Acme Robotics"),
        ("ACME ROBOTICS", "Acme Robotics"),
        ("AT%26T%20Labs", "AT&T Labs"),
        ("%C3%BCnited%20robotics", "Ünited Robotics"),
        ("100%25%20Human", "100% Human"),
        ("Google%20DeepMind", "Google DeepMind"),
        ("DeepMind", "Google DeepMind"),  # another spelling from the alias table
    ],
)
def test_api_matches_odd_names(client: TestClient, path: str, name: str) -> None:
    body = get(client, f"/api/companies/{path}")
    assert body["name"] == name and body["open_roles"] >= 1


def test_api_unknown_company_is_a_json_404(client: TestClient) -> None:
    body = get(client, "/api/companies/Nobody%20Inc", 404)
    assert "Nobody Inc" in body["detail"]


@pytest.mark.parametrize(
    "query",
    ["since=yesterday", "since=2026-11-10&until=2026-11-01", "since=1900-01-01&until=2026-11-01"],
)
def test_api_bad_parameters_are_422(client: TestClient, query: str) -> None:
    get(client, f"/api/companies/Acme%20Robotics?{query}", 422)


def test_api_still_lists_companies_and_talent(client: TestClient) -> None:
    names = [c["name"] for c in get(client, "/api/companies")["items"]]
    assert "Acme Robotics" in names
    talent = get(client, "/api/companies/Acme%20Robotics/talent")
    assert talent["hires"][0]["hire"]["person"] == "Ada Example"


def test_openapi_describes_the_view(client: TestClient) -> None:
    schema = get(client, "/openapi.json")
    op = schema["paths"]["/api/companies/{name}"]["get"]
    ref = op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert ref.endswith("/CompanyView")
    assert "404" in op["responses"]


def test_a_company_whose_board_never_answered(engine: Engine) -> None:
    fail(engine, XAI, "2026-11-01T08:00", "BoardNotFound: GET x: 404 not found")
    with TestClient(create_app(Settings(), engine)) as client:
        body = get(client, "/api/companies/xai")
        assert (body["open_roles"], body["weekly"], body["latest_roles"]) == (0, [], [])
        assert body["boards"][0]["state"] == "failing"
        weeks = get(client, "/api/companies/xai?since=2026-10-01&until=2026-10-20")["weekly"]
        assert [w["week"] for w in weeks] == [
            "2026-09-28",
            "2026-10-05",
            "2026-10-12",
            "2026-10-19",
        ]
        assert all(w["open"] == w["new"] == w["closed"] == 0 for w in weeks)
        text = page(client, "/companies/xAI")
        assert 'class="vega"' not in text  # no chart drawn from nothing
        assert "No roles seen yet." in text


# -- the dashboard page --------------------------------------------------------------------


def page(client: TestClient, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.text[:500]
    assert response.headers["content-type"].startswith("text/html")
    return html.unescape(response.text)


def embedded_spec(text: str, name: str) -> dict[str, Any]:
    found = re.search(
        rf'<script type="application/json" id="spec-{name}">(.*?)</script>', text, re.S
    )
    assert found, f"no chart {name!r} on the page"
    return dict(json.loads(found.group(1)))


def test_company_page_shows_figures_and_charts(client: TestClient) -> None:
    text = page(client, "/companies/Acme%20Robotics")
    assert re.search(r'id="kpi-open">5<', text) and re.search(r'id="kpi-stale">3<', text)
    assert re.search(r'id="kpi-failing">1<', text)
    for name in ("open", "new-closed", "teams", "topics", "pay", "ages"):
        chart = embedded_spec(text, name)
        assert chart["data"]["values"], name
        assert chart == get(client, f"/charts/company/{name}.json?company=Acme%20Robotics")
    stale = re.search(r'id="stale">(.*?)</table>', text, re.S)
    assert stale and stale.group(1).count("<tr>") == 4  # header + 3 roles
    assert 'href="/runs/boards/lever:acme"' in text
    assert 'href="/companies/AT%26T%20Labs"' in text  # the company Bob joined is watched
    assert 'href="/companies/OpenAI"' not in text  # Ada's former employer is not


def test_company_page_unknown_is_a_404_page(client: TestClient) -> None:
    assert "Nobody" in page(client, "/companies/Nobody", 404)


@pytest.mark.parametrize("query", ["since=soon", "since=2026-11-10&until=2026-11-01"])
def test_company_page_bad_dates_are_a_422_page(client: TestClient, query: str) -> None:
    assert "since" in page(client, f"/companies/Acme%20Robotics?{query}", 422)


def test_company_page_window_and_empty_fields(client: TestClient) -> None:
    since = (utcnow() - timedelta(days=30)).date()
    text = page(client, f"/companies/Acme%20Robotics?since={since}&until=")
    weekly = embedded_spec(text, "new-closed")["data"]["values"]
    assert min(v["week"] for v in weekly) == bucket_start(since, "week").isoformat()


def test_company_names_link_to_their_page(client: TestClient) -> None:
    assert 'href="/companies/Acme%20Robotics"' in page(client, "/companies")
    assert 'href="/companies/100%25%20Human"' in page(client, "/runs")
    assert 'href="/companies/%C3%9Cnited%20Robotics"' in page(client, "/postings")
    assert 'href="/runs/boards/lever:acme"' in page(client, "/runs")
