"""Pay statistics over a known history built through ingest, checked by hand on every backend."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from store.queries import PostingFilter
from store.trends import TrendError, pay_stats, percentiles
from tests.analytics_helpers import api_client, build_history


@pytest.fixture
def history(engine: Engine) -> Engine:
    build_history(engine)
    return engine


def stats(engine: Engine, group: str, flt: PostingFilter | None = None) -> dict[str, dict]:
    with Session(engine) as session:
        return {row["key"]: row for row in pay_stats(session, group=group, flt=flt)}


def test_every_posting_by_company(history: Engine) -> None:
    got = stats(history, "company", PostingFilter(status="all"))
    # xAI: p1 200k-300k, p3 $100-150/h = 208k-312k, p5 150k-250k; p2 and p4 publish nothing.
    assert got["xAI"] == {
        "key": "xAI",
        "postings": 5,
        "with_pay": 3,
        "transparency": 0.6,
        "annual_min_usd": {"p25": 175000.0, "median": 200000.0, "p75": 204000.0},
        "annual_max_usd": {"p25": 275000.0, "median": 300000.0, "p75": 306000.0},
    }
    assert got["Anthropic"] == {
        "key": "Anthropic",
        "postings": 2,
        "with_pay": 1,
        "transparency": 0.5,
        "annual_min_usd": {"p25": 300000.0, "median": 300000.0, "p75": 300000.0},
        "annual_max_usd": {"p25": 400000.0, "median": 400000.0, "p75": 400000.0},
    }
    assert list(got) == ["xAI", "Anthropic"]  # most postings first


def test_open_postings_by_default(history: Engine) -> None:
    got = stats(history, "company")
    # open now: xAI p1, p4, p5; Anthropic a2 (no pay)
    assert got["xAI"]["postings"] == 3
    assert got["xAI"]["with_pay"] == 2
    assert got["xAI"]["transparency"] == pytest.approx(0.6667)
    assert got["xAI"]["annual_min_usd"] == {"p25": 162500.0, "median": 175000.0, "p75": 187500.0}
    assert got["Anthropic"]["with_pay"] == 0
    assert got["Anthropic"]["transparency"] == 0.0
    assert got["Anthropic"]["annual_min_usd"] == {"p25": None, "median": None, "p75": None}


def test_by_topic_and_country(history: Engine) -> None:
    topics = stats(history, "topic", PostingFilter(status="all"))
    assert {k: (v["postings"], v["with_pay"]) for k, v in topics.items()} == {
        "world-models": (3, 2),
        "robotics": (3, 2),
        "safety": (1, 1),
    }
    assert topics["robotics"]["annual_min_usd"]["median"] == 179000.0  # (150k + 208k) / 2
    countries = stats(history, "country", PostingFilter(status="all"))
    # p3 has two US locations and is still one posting
    assert {k: (v["postings"], v["with_pay"]) for k, v in countries.items()} == {
        "United States": (5, 2),
        "United Kingdom": (2, 2),
    }


def test_filters(history: Engine) -> None:
    got = stats(history, "company", PostingFilter(status="all", min_annual_pay=260000))
    # max (or min) annual USD >= 260k: p1 (300k), p3 (312k), a1 (400k)
    assert {k: v["postings"] for k, v in got.items()} == {"xAI": 2, "Anthropic": 1}
    got = stats(history, "workplace", PostingFilter(status="closed", companies=["xAI"]))
    assert {k: v["postings"] for k, v in got.items()} == {"onsite": 2}


def test_bad_group(engine: Engine) -> None:
    with Session(engine) as session, pytest.raises(TrendError):
        pay_stats(session, group="planet")


def test_percentiles_interpolate() -> None:
    assert percentiles([1.0, 2.0, 3.0, 4.0]) == {"p25": 1.75, "median": 2.5, "p75": 3.25}
    assert percentiles([]) == {"p25": None, "median": None, "p75": None}


def test_api_pay(history: Engine) -> None:
    client = api_client(history)
    r = client.get("/api/pay", params={"group": "company", "status": "all"})
    assert r.status_code == 200
    items = r.json()["items"]
    assert [(i["key"], i["postings"], i["with_pay"]) for i in items] == [
        ("xAI", 5, 3),
        ("Anthropic", 2, 1),
    ]
    assert items[0]["annual_max_usd"]["median"] == 300000.0
    r = client.get("/api/pay", params=[("group", "topic"), ("topic", "safety"), ("status", "all")])
    assert [(i["key"], i["postings"]) for i in r.json()["items"]] == [("safety", 1)]


@pytest.mark.parametrize(
    "params",
    [{"group": "planet"}, {"status": "gone"}, {"min_annual_pay": "lots"}, {"since": "soon"}],
)
def test_api_pay_bad_parameters_are_422(engine: Engine, params: dict[str, str]) -> None:
    assert api_client(engine).get("/api/pay", params=params).status_code == 422


def test_by_function_and_seniority(history: Engine) -> None:
    functions = stats(history, "function", PostingFilter(status="all"))
    # research: p1 (200k), p5 (150k), a1 (300k); engineering: p3 (208k) of p2, p3, a2
    assert {
        k: (v["postings"], v["with_pay"], v["annual_min_usd"]["median"])
        for k, v in functions.items()
    } == {
        "research": (3, 3, 200000.0),
        "engineering": (3, 1, 208000.0),
        "go-to-market": (1, 0, None),
    }
    seniority = stats(history, "seniority", PostingFilter(status="all"))
    assert {k: v["postings"] for k, v in seniority.items()} == {"mid": 6, "senior": 1}
