"""The Atom feed of new roles: valid Atom that a feed reader parses, filtered like the API."""

from __future__ import annotations

import feedparser
import pytest
from sqlalchemy.engine import Engine

from tests.analytics_helpers import api_client, build_history


@pytest.fixture
def history(engine: Engine) -> Engine:
    build_history(engine)
    return engine


def feed(engine: Engine, params: list[tuple[str, str]] | None = None) -> feedparser.FeedParserDict:
    r = api_client(engine).get("/feeds/new-roles.atom", params=params or [])
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/atom+xml")
    parsed = feedparser.parse(r.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed


def test_every_new_role_newest_first(history: Engine) -> None:
    parsed = feed(history)
    titles = [e.title for e in parsed.entries]
    # includes roles closed since (p2, p3, a1): a reader must still hear of them
    assert titles == [
        "xAI: Robot Learning Scientist",
        "Anthropic: World Model Engineer",
        "xAI: Account Executive",
        "Anthropic: Safety Researcher",
        "xAI: World Model Robotics Lead",
        "xAI: Robotics Engineer",
        "xAI: World Model Researcher",
    ]
    assert parsed.feed.updated.startswith("2026-11-09T08:00:00")
    assert len({e.id for e in parsed.entries}) == 7


def test_filters_like_the_contract_example(history: Engine) -> None:
    parsed = feed(history, [("company", "xAI"), ("topic", "robotics")])
    assert [e.title for e in parsed.entries] == [
        "xAI: Robot Learning Scientist",
        "xAI: World Model Robotics Lead",
        "xAI: Robotics Engineer",
    ]
    assert "xAI" in parsed.feed.title and "robotics" in parsed.feed.title
    lead = parsed.entries[1]
    assert {t.term for t in lead.tags} == {"robotics", "world-models"}
    assert "Pay: 100 to 150 USD per hour" in lead.summary
    assert "Palo Alto, CA; New York, NY" in lead.summary
    assert lead.updated.startswith("2026-11-02T08:00:00")
    self_links = [link.href for link in parsed.feed.links if link.rel == "self"]
    assert self_links and "topic=robotics" in self_links[0]


def test_other_filters_and_limit(history: Engine) -> None:
    assert [e.title for e in feed(history, [("q", "safety")]).entries] == [
        "Anthropic: Safety Researcher"
    ]
    assert len(feed(history, [("limit", "2")]).entries) == 2
    assert feed(history, [("company", "Nobody")]).entries == []


def test_empty_database_is_a_valid_empty_feed(engine: Engine) -> None:
    parsed = feed(engine)
    assert parsed.entries == []
    assert parsed.feed.title.startswith("talentflow")


@pytest.mark.parametrize(
    "params", [{"limit": "0"}, {"limit": "1000"}, {"workplace": "moon"}, {"min_annual_pay": "much"}]
)
def test_bad_parameters_are_422(engine: Engine, params: dict[str, str]) -> None:
    r = api_client(engine).get("/feeds/new-roles.atom", params=params)
    assert r.status_code == 422
