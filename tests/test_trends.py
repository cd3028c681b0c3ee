"""Trend series over a known history built through ingest, checked against hand-computed values
on every backend."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from store.queries import PostingFilter
from store.trends import TrendError, make_buckets, trend_series
from tests.analytics_helpers import api_client, build_history


@pytest.fixture
def history(engine: Engine) -> Engine:
    build_history(engine)
    return engine


def series(engine: Engine, **kwargs: Any) -> dict[str, list[int]]:
    with Session(engine) as session:
        out = trend_series(session, **kwargs)
    return {s["key"]: [p["value"] for p in s["points"]] for s in out}


def labels(engine: Engine, **kwargs: Any) -> list[str]:
    with Session(engine) as session:
        out = trend_series(session, **kwargs)
    return [p["t"] for p in out[0]["points"]]


NOV2, NOV11 = date(2026, 11, 2), date(2026, 11, 11)


def test_open_per_day_is_reconstructed_from_first_seen_and_closed(history: Engine) -> None:
    got = series(history, metric="open", group="company", interval="day", since=NOV2, until=NOV11)
    assert got == {
        "xAI": [3, 4, 4, 3, 3, 3, 3, 4, 4, 3],
        "Anthropic": [1, 2, 2, 2, 2, 2, 2, 1, 1, 1],
    }
    assert labels(
        history, metric="open", group="company", interval="day", since=NOV2, until=NOV11
    ) == [f"2026-11-{d:02d}" for d in range(2, 12)]


def test_open_carries_in_postings_opened_before_the_range(history: Engine) -> None:
    got = series(
        history,
        metric="open",
        group="company",
        interval="day",
        since=date(2026, 11, 6),
        until=date(2026, 11, 9),
    )
    assert got == {"xAI": [3, 3, 3, 4], "Anthropic": [2, 2, 2, 1]}


def test_new_and_closed_per_day(history: Engine) -> None:
    new = series(history, metric="new", group="company", interval="day", since=NOV2, until=NOV11)
    assert new == {"xAI": [3, 1, 0, 0, 0, 0, 0, 1, 0, 0], "Anthropic": [1, 1] + [0] * 8}
    closed = series(
        history, metric="closed", group="company", interval="day", since=NOV2, until=NOV11
    )
    assert closed == {"xAI": [0, 0, 0, 1, 0, 0, 0, 0, 0, 1], "Anthropic": [0] * 7 + [1, 0, 0]}


def test_weeks_start_on_monday_and_months_zero_fill(history: Engine) -> None:
    kw: dict[str, Any] = {"group": "company", "since": date(2026, 11, 4), "until": NOV11}
    assert labels(history, metric="open", interval="week", **kw) == ["2026-11-02", "2026-11-09"]
    assert series(history, metric="open", interval="week", **kw) == {
        "xAI": [3, 3],
        "Anthropic": [2, 1],
    }
    assert series(history, metric="new", interval="week", **kw) == {
        "xAI": [4, 1],
        "Anthropic": [2, 0],
    }
    assert series(history, metric="closed", interval="week", **kw) == {
        "xAI": [1, 1],
        "Anthropic": [0, 1],
    }
    month = {"group": "company", "since": date(2026, 9, 20), "until": date(2026, 12, 1)}
    assert labels(history, metric="open", interval="month", **month) == [
        "2026-09-01",
        "2026-10-01",
        "2026-11-01",
        "2026-12-01",
    ]
    assert series(history, metric="open", interval="month", **month) == {
        "xAI": [0, 0, 3, 3],
        "Anthropic": [0, 0, 1, 1],
    }
    assert series(history, metric="new", interval="month", **month) == {
        "xAI": [0, 0, 5, 0],
        "Anthropic": [0, 0, 2, 0],
    }


def test_group_by_topic_counts_a_posting_under_each_of_its_topics(history: Engine) -> None:
    got = series(history, metric="open", group="topic", interval="week", since=NOV2, until=NOV11)
    # world-models: p1, p3, a2 (p3 closes in week 2); robotics: p2, p3 then p3, p5 (p3 closes).
    assert got == {"world-models": [3, 2], "robotics": [1, 1], "safety": [1, 0]}


def test_other_groups(history: Engine) -> None:
    kw: dict[str, Any] = {"metric": "new", "interval": "month", "since": NOV2, "until": NOV11}
    assert series(history, group="team", **kw) == {
        "Omni": [2],
        "Optimus": [2],
        "Alignment": [1],
        "Research": [1],
        "Sales": [1],
    }
    assert series(history, group="workplace", **kw) == {"onsite": [4], "hybrid": [2], "remote": [1]}
    assert series(history, group="function", **kw) == {
        "engineering": [3],
        "research": [3],
        "go-to-market": [1],
    }
    assert series(history, group="seniority", **kw) == {"mid": [6], "senior": [1]}
    # p3 lists two US cities: one posting, counted once under United States.
    assert series(history, group="country", **kw) == {"United States": [5], "United Kingdom": [2]}


def test_filters_apply_but_current_status_does_not(history: Engine) -> None:
    flt = PostingFilter(companies=["xai"], topics=["robotics"], status="open")
    got = series(
        history, metric="open", group="company", interval="day", since=NOV2, until=NOV11, flt=flt
    )
    # p2 (closed 5th), p3 (closed 11th), p5 (opened 9th)
    assert got == {"xAI": [2, 2, 2, 1, 1, 1, 1, 2, 2, 1]}
    remote = series(
        history,
        metric="new",
        group="company",
        interval="month",
        since=NOV2,
        until=NOV11,
        flt=PostingFilter(workplace="remote"),
    )
    assert remote == {"xAI": [1]}
    searched = series(
        history,
        metric="new",
        group="company",
        interval="month",
        since=NOV2,
        until=NOV11,
        flt=PostingFilter(q='"world model"'),
    )
    assert searched == {"xAI": [2], "Anthropic": [1]}


def test_default_range_runs_from_the_first_posting(history: Engine) -> None:
    with Session(history) as session:
        out = trend_series(
            session, metric="new", group="company", interval="day", since=None, until=NOV11
        )
    assert out[0]["points"][0]["t"] == "2026-11-02"
    assert len(out[0]["points"]) == 10
    with Session(history) as session:
        before = trend_series(
            session,
            metric="open",
            group="company",
            interval="week",
            since=None,
            until=date(2026, 10, 1),
        )
    assert before == []  # a range before any posting is empty, not an error


def test_empty_database_gives_no_series(engine: Engine) -> None:
    assert (
        series(engine, metric="open", group="company", interval="week", since=NOV2, until=NOV11)
        == {}
    )


@pytest.mark.parametrize(
    "kwargs",
    [
        {"metric": "views"},
        {"group": "planet"},
        {"interval": "year"},
        {"since": date(2026, 12, 1)},
        {"since": date(1990, 1, 1)},
    ],
)
def test_bad_parameters_raise(engine: Engine, kwargs: dict[str, Any]) -> None:
    args: dict[str, Any] = {
        "metric": "open",
        "group": "company",
        "interval": "day",
        "since": NOV2,
        "until": NOV11,
        **kwargs,
    }
    with Session(engine) as session, pytest.raises(TrendError):
        trend_series(session, **args)


def test_buckets_cover_partial_periods() -> None:
    b = make_buckets("month", date(2026, 1, 31), date(2026, 3, 1))
    assert b.labels == ["2026-01-01", "2026-02-01", "2026-03-01"]
    assert b.end.date() == date(2026, 4, 1)


def test_api_trends_matches_the_contract(history: Engine) -> None:
    client = api_client(history)
    r = client.get(
        "/api/trends",
        params={
            "metric": "open",
            "group": "company",
            "interval": "week",
            "since": "2026-11-02",
            "until": "2026-11-11",
        },
    )
    assert r.status_code == 200
    body = r.json()
    assert body["series"] == [
        {
            "key": "xAI",
            "points": [{"t": "2026-11-02", "value": 3}, {"t": "2026-11-09", "value": 3}],
        },
        {
            "key": "Anthropic",
            "points": [{"t": "2026-11-02", "value": 2}, {"t": "2026-11-09", "value": 1}],
        },
    ]
    r = client.get(
        "/api/trends",
        params=[
            ("metric", "new"),
            ("group", "topic"),
            ("interval", "month"),
            ("since", "2026-11-01"),
            ("until", "2026-11-30"),
            ("company", "xAI"),
            ("topic", "robotics"),
            ("topic", "safety"),
        ],
    )
    assert r.status_code == 200
    assert {s["key"]: s["points"][0]["value"] for s in r.json()["series"]} == {
        "robotics": 3,
        "world-models": 1,
    }


def test_api_trends_function_filter(history: Engine) -> None:
    r = api_client(history).get(
        "/api/trends",
        params={
            "metric": "new",
            "interval": "month",
            "since": "2026-11-01",
            "until": "2026-11-30",
            "function": "research",
        },
    )
    assert r.status_code == 200, r.text
    assert {s["key"]: s["points"][0]["value"] for s in r.json()["series"]} == {
        "xAI": 2,
        "Anthropic": 1,
    }


@pytest.mark.parametrize(
    "params",
    [
        {"metric": "views"},
        {"function": "juggling"},
        {"group": "mood"},
        {"interval": "hour"},
        {"since": "yesterday"},
        {"since": "2026-11-20", "until": "2026-11-01"},
        {"since": "1900-01-01", "interval": "day"},
        {"until": "2026-13-01"},
        {"min_annual_pay": "-5"},
        {"workplace": "moon"},
    ],
)
def test_api_trends_bad_parameters_are_422(engine: Engine, params: dict[str, str]) -> None:
    r = api_client(engine).get("/api/trends", params=params)
    assert r.status_code == 422, r.text
    assert "detail" in r.json()


@pytest.mark.parametrize(
    "params", [{"until": "0004-01-01"}, {"since": "0001-01-01"}, {"until": "9999-12-31"}]
)
def test_dates_outside_any_hiring_history_are_422(engine: Engine, params: dict[str, str]) -> None:
    from tests.analytics_helpers import api_client

    assert api_client(engine).get("/api/trends", params=params).status_code == 422
