"""The rollups answer exactly what a scan of the postings answers, on random histories built
through ingest, on every backend; kept in step incrementally, they equal a rebuild."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from store import rollups
from store.engine import session_scope
from store.filters import PostingFilter
from store.models import CompanyPay, PayRollup, PostingRollup
from store.pay_stats import pay_stats
from store.trends import trend_series
from tests.rollup_helpers import START, build_random_history

SEEDS = (1, 2, 3)
GROUPS = ("company", "topic", "team", "function", "seniority", "workplace", "country")
FILTERS: tuple[PostingFilter, ...] = (
    PostingFilter(),
    PostingFilter(companies=["XAI"]),
    PostingFilter(companies=["xAI", "école labs"]),
    PostingFilter(topics=["robotics"]),
    PostingFilter(topics=["unknown"]),
    PostingFilter(topics=["robotics", "safety"]),  # overlapping: the postings answer
    PostingFilter(functions=["research", "engineering"]),
    PostingFilter(functions=["unknown"]),  # a real slug, not the missing ones
    PostingFilter(seniorities=["senior"], companies=["Anthropic"]),
    PostingFilter(workplace="remote"),
    PostingFilter(exclude_reposts=True),
    PostingFilter(topics=["safety"], exclude_reposts=True, companies=["xAI"]),
    PostingFilter(topics=["games"], functions=["research"]),  # two labels: the postings answer
)


@pytest.fixture(params=SEEDS)
def history(engine: Engine, request: pytest.FixtureRequest) -> Engine:
    build_random_history(engine, request.param)
    return engine


def scanned(monkeypatch: pytest.MonkeyPatch, call: Any) -> Any:
    """``call()`` with the rollups out of the way: what a scan of the postings answers."""
    with monkeypatch.context() as patch:
        patch.setattr(rollups, "slice_for", lambda *_args: None)
        return call()


def rollup_rows(session: Session) -> list[set[tuple[Any, ...]]]:
    return [
        {tuple(r) for r in session.execute(select(model.__table__))}  # type: ignore[attr-defined]
        for model in (PostingRollup, PayRollup, CompanyPay)
    ]


def test_trends_from_the_rollup_equal_a_scan(
    history: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(7)
    first_day = START.date()
    served = 0
    with Session(history) as session:
        for group in GROUPS:
            for flt in FILTERS:
                metric = rng.choice(("open", "new", "closed"))
                interval = rng.choice(("day", "week", "month"))
                since = rng.choice((None, first_day + timedelta(days=rng.randint(0, 40))))
                until = first_day + timedelta(days=rng.randint(45, 70))
                kwargs = {
                    "metric": metric,
                    "group": group,
                    "interval": interval,
                    "since": since,
                    "until": until,
                    "flt": flt,
                }
                got = trend_series(session, **kwargs)  # type: ignore[arg-type]
                want = scanned(monkeypatch, lambda: trend_series(session, **kwargs))  # type: ignore[arg-type]  # noqa: B023
                assert got == want, kwargs
                served += rollups.slice_for(flt, group) is not None
    assert served > len(GROUPS) * len(FILTERS) // 3  # many were the rollup's to answer


def test_every_metric_and_interval_of_the_whole_range(
    history: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Session(history) as session:
        for metric in ("open", "new", "closed"):
            for interval in ("day", "week", "month"):
                for group in ("company", "topic", "country"):
                    kwargs = {
                        "metric": metric,
                        "group": group,
                        "interval": interval,
                        "since": None,
                        "until": date(2026, 12, 31),
                    }
                    got = trend_series(session, **kwargs)  # type: ignore[arg-type]
                    want = scanned(monkeypatch, lambda: trend_series(session, **kwargs))  # type: ignore[arg-type]  # noqa: B023
                    assert got == want, kwargs
                    assert got, kwargs  # the history is not empty


@pytest.mark.parametrize("status", ["open", "closed", "all"])
def test_pay_from_the_rollup_equals_a_scan(
    history: Engine, monkeypatch: pytest.MonkeyPatch, status: str
) -> None:
    with Session(history) as session:
        quartiles = 0
        for group in GROUPS:
            for base in FILTERS:
                flt = replace(base, status=status)
                got = pay_stats(session, group=group, flt=flt)
                want = scanned(monkeypatch, lambda: pay_stats(session, group=group, flt=flt))  # noqa: B023
                assert got == want, (group, flt)
                quartiles += sum(r["annual_min_usd"]["median"] is not None for r in got)
        assert quartiles > 0


def test_pay_of_closed_or_all_postings_is_read_from_the_rollup(
    history: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from store import pay_stats as module

    scans: list[str] = []
    original = module._from_postings

    def counted(session: Session, group: str, flt: PostingFilter) -> Any:
        scans.append(group)
        return original(session, group, flt)

    monkeypatch.setattr(module, "_from_postings", counted)
    with Session(history) as session:
        closed = pay_stats(session, group="topic", flt=PostingFilter(status="closed"))
        every = pay_stats(session, group="company", flt=PostingFilter(status="all"))
        opened = pay_stats(session, group="company", flt=PostingFilter())
        assert not scans
        pay_stats(session, group="company", flt=PostingFilter(status="all", q="engineer"))
    assert scans == ["company"]  # free text still needs the postings
    assert closed and every
    total = {r["key"]: r["postings"] for r in every}
    assert all(total[r["key"]] >= r["postings"] for r in opened)
    assert sum(total.values()) > sum(r["postings"] for r in opened)


def test_kept_in_step_they_equal_a_rebuild(history: Engine) -> None:
    with Session(history) as session:
        kept = rollup_rows(session)
        assert all(kept)
        assert all(row[-1] or row[-2] for row in kept[0])  # no rows left at zero
        assert all(row[-1] > 0 for row in kept[1])
    with session_scope(history) as session:
        rollups.rebuild(session.connection())
    with Session(history) as session:
        rebuilt = rollup_rows(session)
    for mine, theirs in zip(kept, rebuilt, strict=True):
        assert mine == theirs


def test_the_api_writes_the_series_trend_series_gives(history: Engine) -> None:
    from fastapi.testclient import TestClient

    from service.app import create_app
    from service.settings import Settings
    from store.schemas import TrendsOut

    params = {"metric": "open", "group": "company", "interval": "week", "until": "2026-12-31"}
    with TestClient(create_app(Settings(), history)) as client:
        r = client.get("/api/trends", params=params)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/json")
    body = TrendsOut.model_validate_json(r.text).model_dump()
    with Session(history) as session:
        want = trend_series(
            session,
            metric="open",
            group="company",
            interval="week",
            since=None,
            until=date(2026, 12, 31),
        )
    assert body == {"metric": "open", "group": "company", "interval": "week", "series": want}
    assert "École Labs" in {s["key"] for s in want}
