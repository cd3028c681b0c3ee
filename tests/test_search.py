"""Full-text search: phrases, prefixes, ranking, index kept in step by ingest, safe parsing —
on every backend, on tables from metadata and from migrations."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import inspect
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

from scrapers.models import BoardSnapshot, NormalizedPosting
from service.migrations import upgrade
from store.engine import make_engine, session_scope
from store.filters import encode_cursor
from store.ingest import get_or_create_board
from store.queries import PostingFilter, list_postings
from store.search import (
    RANK,
    Term,
    ensure_search_index,
    fts5_expression,
    parse_query,
    search_postings,
    tsquery_expression,
)
from tests.analytics_helpers import ROLES, XAI, api_client, build_history, when
from tests.enrich_helpers import store_snapshot


@pytest.fixture
def history(engine: Engine) -> Engine:
    build_history(engine)
    return engine


def found(engine: Engine, q: str, **flt: Any) -> set[str]:
    with Session(engine) as session:
        page = list_postings(session, PostingFilter(q=q, status="all", **flt), limit=500)
    return {item["external_id"] for item in page.items}


def ingest_roles(engine: Engine, day: int, *roles: NormalizedPosting) -> None:
    with session_scope(engine) as session:
        board = get_or_create_board(session, XAI)
        store_snapshot(
            session,
            board,
            BoardSnapshot(board=XAI, postings=roles),
            started_at=when(day),
            now=when(day),
        )


def test_parse_query() -> None:
    assert parse_query('"World Model" robot* c++ state-of-the-art') == [
        Term(("world", "model")),
        Term(("robot",), prefix=True),
        Term(("c",)),
        Term(("state", "of", "the", "art")),
    ]
    assert parse_query('AND OR "" * -') == [Term(("and",)), Term(("or",))]
    terms = parse_query('"world model" robot*')
    assert fts5_expression(terms) == '"world model" AND "robot"*'
    assert tsquery_expression(terms) == "(world <-> model) & (robot:*)"


def test_words_all_match_with_stemming(history: Engine) -> None:
    assert found(history, "robots") == {"p2", "p3", "p5"}  # robotics / robot / robotic
    assert found(history, "world safety") == set()
    assert found(history, "TUTOR") == set()
    assert found(history, "interpretability") == {"a1"}  # description
    assert found(history, "alignment") == {"a1"}  # team


def test_phrases_keep_word_order(history: Engine) -> None:
    assert found(history, '"world model"') == {"p1", "p3", "a2"}
    assert found(history, '"model world"') == set()
    assert found(history, '"dexterous manipulation"') == {"p5"}
    assert found(history, "world-model") == {"p1", "p3", "a2"}


def test_prefixes(history: Engine) -> None:
    assert found(history, "manipu") == set()
    assert found(history, "manipu*") == {"p2", "p5"}
    assert found(history, "interp* research*") == {"a1"}


def test_search_combines_with_other_filters(history: Engine) -> None:
    assert found(history, '"world model"', companies=["Anthropic"]) == {"a2"}
    with Session(history) as session:
        page = list_postings(
            session, PostingFilter(q="robot*", topics=["world-models"], status="all")
        )
    assert [i["external_id"] for i in page.items] == ["p3"]
    assert found(history, "robot*", workplace="hybrid") == {"p5"}


def test_ranking_prefers_title_then_team_then_description(engine: Engine) -> None:
    ingest_roles(
        engine,
        2,
        NormalizedPosting(
            external_id="d",
            title="Platform Engineer",
            team="Core",
            description="Keeps inference fleets healthy.",
        ),
        NormalizedPosting(
            external_id="t", title="Inference Engineer", team="Core", description="Serving."
        ),
        NormalizedPosting(
            external_id="m", title="Software Engineer", team="Inference", description="Kernels."
        ),
        ROLES["p1"],
        ROLES["p2"],
        ROLES["a1"],
    )
    with Session(engine) as session:
        page = search_postings(session, "inference", limit=2)
        assert [i["external_id"] for i in page.items] == ["t", "m"]
        assert page.items[0]["score"] > page.items[1]["score"]
        rest = search_postings(session, "inference", limit=2, cursor=page.next_cursor)
    assert [i["external_id"] for i in rest.items] == ["d"]
    assert rest.next_cursor is None


def test_ingest_keeps_the_index_in_step(engine: Engine) -> None:
    ingest_roles(engine, 2, ROLES["p1"], ROLES["p2"])
    assert found(engine, "humanoid") == {"p2"}
    changed = NormalizedPosting(
        external_id="p2",
        title="Teleoperation Lead",
        team="Optimus",
        description="Run the teleoperation data programme.",
    )
    ingest_roles(engine, 3, ROLES["p1"], changed)
    assert found(engine, "humanoid") == set()
    assert found(engine, "teleop*") == {"p2"}
    assert found(engine, "optimus") == {"p2"}
    # The ranking's title tiers follow the new title and team too.
    assert tiers(engine, "teleoperation") == {"p2": 3.0}
    assert tiers(engine, "optimus") == {"p2": 2.0}
    assert tiers(engine, "programme") == {"p2": 1.0}
    assert tiers(engine, "humanoid") == {}


def tiers(engine: Engine, q: str) -> dict[str, float]:
    with Session(engine) as session:
        page = search_postings(session, q, PostingFilter(status="all"))
    return {i["external_id"]: i["score"] for i in page.items}


def test_search_pages_continue_across_tiers(engine: Engine) -> None:
    roles = [
        NormalizedPosting(external_id=f"t{n}", title=f"Robotics Engineer {n}", team="Core")
        for n in range(3)
    ] + [
        NormalizedPosting(
            external_id=f"d{n}", title=f"Engineer {n}", team="Core", description="Robotics."
        )
        for n in range(3)
    ]
    ingest_roles(engine, 2, *roles)
    seen: list[tuple[str, float]] = []
    cursor = None
    with Session(engine) as session:
        while True:
            page = search_postings(session, "robotics", limit=2, cursor=cursor)
            seen += [(i["external_id"], i["score"]) for i in page.items]
            cursor = page.next_cursor
            if cursor is None:
                break
    # Title matches first, newest first within a tier, each posting once.
    assert seen == [("t2", 3.0), ("t1", 3.0), ("t0", 3.0), ("d2", 1.0), ("d1", 1.0), ("d0", 1.0)]


def test_ensure_search_index_fills_an_existing_table(tmp_path: Any) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'late.db'}")
    SQLModel.metadata.create_all(engine)
    ingest_roles(engine, 2, ROLES["p1"], ROLES["p2"])
    ensure_search_index(engine)
    ensure_search_index(engine)  # idempotent
    assert found(engine, "humanoid") == {"p2"}
    ingest_roles(engine, 3, ROLES["p1"], ROLES["p2"], ROLES["p5"])
    assert found(engine, "dexterous") == {"p5"}
    engine.dispose()


def test_migrated_database_searches(empty_database_url: str) -> None:
    upgrade(empty_database_url)
    engine = make_engine(empty_database_url)
    try:
        names = inspect(engine).get_table_names()
        if engine.dialect.name == "sqlite":
            assert {"posting_fts", "posting_fts_titles"} <= set(names)
        else:
            indexes = {ix["name"] for ix in inspect(engine).get_indexes("posting")}
            assert {"ix_posting_search", "ix_posting_title_search"} <= indexes
        build_history(engine)
        assert found(engine, '"world model"') == {"p1", "p3", "a2"}
        assert found(engine, "manipu*") == {"p2", "p5"}
    finally:
        engine.dispose()


ODD_QUERIES = [
    '"unterminated',
    "AND OR NOT",
    "***",
    "c++ -",
    "NEAR(a b)",
    "title:robot",
    "a & b | !c",
    "'; DROP TABLE posting; --",
    "\u00e9t\u00e9 \u4e16\u754c",
    "the",
]


def test_any_text_is_a_valid_query(history: Engine) -> None:
    client = api_client(history)
    for q in ODD_QUERIES:
        r = client.get("/api/postings", params={"q": q, "status": "all"})
        assert r.status_code == 200, (q, r.text)
        assert client.get("/api/search", params={"q": q}).status_code == 200, q
    assert found(history, "title:robot") == found(history, "title robot") == set()
    assert found(history, "(world model)") == {"p1", "p3", "a2"}  # brackets are ignored
    assert found(history, "NEAR(world model)") == set()  # NEAR is a plain word here


def test_api(history: Engine) -> None:
    client = api_client(history)
    r = client.get("/api/postings", params={"q": '"world model"', "status": "all"})
    assert {i["external_id"] for i in r.json()["items"]} == {"p1", "p3", "a2"}
    r = client.get("/api/search", params={"q": "world", "status": "all", "limit": 10})
    items = r.json()["items"]
    assert {i["external_id"] for i in items} == {"p1", "p3", "a2"}
    assert all("score" in i for i in items)
    assert client.get("/api/search").status_code == 422
    assert client.get("/api/search", params={"q": "x", "cursor": "nope"}).status_code == 422


def test_webhook_filters_use_the_same_query_grammar() -> None:
    from store.search import text_matches
    from store.subscriptions import matches

    text = "Video Game Tutor · Human Data · Remote"
    assert text_matches("tutor", text) and text_matches("TUTOR remote", text)
    assert text_matches('"video game"', text) and not text_matches('"game video"', text)
    assert text_matches("gam*", text) and text_matches("video-game", text)
    assert not text_matches("utor", text)  # words, not substrings, as on /api/postings
    assert not text_matches("!!!", text)
    posting = {"title": "Video Game Tutor", "team": "Human Data", "locations": ["Remote"]}
    assert matches({"q": '"game tutor"'}, "posting.opened", {"posting": posting})
    assert not matches({"q": "tutor robotics"}, "posting.opened", {"posting": posting})


def test_a_cursor_past_the_last_tier_is_an_empty_page(engine: Engine) -> None:
    ingest_roles(engine, 2, ROLES["p1"], ROLES["p2"])
    with Session(engine) as session:
        page = search_postings(session, "engineer", cursor=encode_cursor(5 * 4, RANK))
    assert page.items == [] and page.next_cursor is None
