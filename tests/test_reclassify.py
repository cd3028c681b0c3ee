"""Classification through ingest, the topic/function/seniority filters in SQL, and
`talentflow reclassify` after an edit of the taxonomy — on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from typer.testing import CliRunner

from scrapers.enrich.topics import DEFAULT_TAXONOMY_FILE, load_taxonomy
from scrapers.models import BoardConfig, BoardSnapshot, NormalizedPosting
from service.app import create_app
from service.cli import app
from service.migrations import upgrade
from service.settings import Settings
from store.engine import make_engine, session_scope
from store.ingest import get_or_create_board
from store.models import Posting
from store.queries import PostingFilter, list_postings
from store.reclassify import reclassify_postings
from tests.conftest import at
from tests.e2e_helpers import run_cli
from tests.enrich_helpers import store_snapshot

BOARD = BoardConfig(company="xAI", ats="greenhouse", token="xai")

ROLES = [
    NormalizedPosting(
        external_id="1",
        title="Research Scientist, World Models",
        team="Omni",
        description="Learned simulators of the physical world.",
    ),
    NormalizedPosting(
        external_id="2",
        title="Account Executive",
        team="Sales",
        description="Sell our robotics and world model platform.",
    ),
    NormalizedPosting(
        external_id="3",
        title="Senior Robotics Engineer",
        description="Manipulation for humanoid robots.",
    ),
    NormalizedPosting(
        external_id="4",
        title="Gameplay Engineer, Grok Games",
        description="Build games with a game-changing world-class team.",
    ),
    NormalizedPosting(external_id="5", title="Office Manager", description="Run the office."),
    NormalizedPosting(
        external_id="6",
        title="Staff Software Engineer, Inference",
        description="vLLM, KV cache and speculative decoding.",
    ),
    NormalizedPosting(
        external_id="7", title="Warehouse Picking Lead", description="Lead the picking crew."
    ),
    NormalizedPosting(
        external_id="8",
        title="Research Intern, Robot Learning",
        employment_type="intern",
        description="Teleoperation data for robots.",
    ),
]


def ingest(engine: Engine, roles: list[NormalizedPosting], day: int = 2, **kw: Any) -> None:
    with session_scope(engine) as session:
        board = get_or_create_board(session, BOARD)
        store_snapshot(
            session,
            board,
            BoardSnapshot(board=BOARD, postings=tuple(roles)),
            started_at=at(f"2026-11-{day:02d}T08:00"),
            now=at(f"2026-11-{day:02d}T08:00"),
            **kw,
        )


def stored(engine: Engine) -> dict[str, tuple[list[str], str | None, str | None]]:
    with Session(engine) as session:
        return {
            p.external_id: (p.topics, p.function, p.seniority)
            for p in session.exec(select(Posting))
        }


def edited_taxonomy(tmp_path: Path) -> Path:
    """The shipped taxonomy plus one rule: a warehouse in the title is robotics."""
    text = DEFAULT_TAXONOMY_FILE.read_text()
    anchor = "[topics.robotics.title]\n"
    assert anchor in text
    path = tmp_path / "taxonomy.toml"
    path.write_text(text.replace(anchor, anchor + '"warehouse" = 3\n'))
    return path


def test_ingest_classifies_with_the_shipped_taxonomy(engine: Engine) -> None:
    ingest(engine, ROLES)
    rows = stored(engine)
    assert rows["1"] == (["multimodal", "world-models"], "research", "mid")
    assert rows["2"] == ([], "go-to-market", "mid")
    assert rows["3"] == (["robotics"], "engineering", "senior")
    assert rows["4"] == (["games"], "engineering", "mid")
    assert rows["5"] == ([], "operations", "mid")
    assert rows["6"] == (["inference"], "engineering", "staff")
    assert rows["7"] == ([], "other", "senior")
    assert rows["8"] == (["robotics"], "research", "intern")


def test_an_updated_posting_is_classified_again(engine: Engine) -> None:
    ingest(engine, ROLES[:1])
    renamed = NormalizedPosting(
        external_id="1",
        title="Senior Research Scientist, Speech",
        description="Text-to-speech models.",
    )
    ingest(engine, [renamed], day=3)
    assert stored(engine)["1"] == (["audio"], "research", "senior")


def test_a_topics_only_classifier_still_works(engine: Engine) -> None:
    ingest(engine, ROLES[:2], classify=lambda item: ["custom"])
    assert stored(engine)["1"] == (["custom"], None, None)


def _ids(engine: Engine, flt: PostingFilter, limit: int) -> list[str]:
    """Every page of a filtered listing, following next_cursor."""
    seen: list[str] = []
    cursor = None
    with Session(engine) as session:
        while True:
            page = list_postings(session, flt, limit=limit, cursor=cursor)
            seen += [item["external_id"] for item in page.items]
            cursor = page.next_cursor
            if cursor is None:
                return seen


def test_topic_function_and_seniority_filters_page_correctly(engine: Engine) -> None:
    ingest(engine, ROLES)
    # ids descend; "any of" semantics within one filter, "all of" across filters
    assert _ids(engine, PostingFilter(topics=["robotics"]), limit=1) == ["8", "3"]
    assert _ids(engine, PostingFilter(topics=["robotics", "games", "world-models"]), limit=2) == [
        "8",
        "4",
        "3",
        "1",
    ]
    assert _ids(engine, PostingFilter(topics=["no-such-topic"]), limit=5) == []
    assert _ids(engine, PostingFilter(functions=["engineering"]), limit=2) == ["6", "4", "3"]
    assert _ids(
        engine, PostingFilter(functions=["engineering"], seniorities=["senior", "staff"]), limit=1
    ) == ["6", "3"]
    assert _ids(engine, PostingFilter(topics=["robotics"], seniorities=["intern"]), limit=10) == [
        "8"
    ]


def test_reclassify_applies_an_edited_taxonomy(engine: Engine, tmp_path: Path) -> None:
    ingest(engine, ROLES)
    before = stored(engine)
    edited = load_taxonomy(edited_taxonomy(tmp_path))

    dry = reclassify_postings(engine, edited.classify_posting, batch_size=3, dry_run=True)
    assert (dry.checked, dry.changed) == (8, 1)
    assert stored(engine) == before

    result = reclassify_postings(engine, edited.classify_posting, batch_size=3)
    assert (result.checked, result.changed) == (8, 1)
    assert dict(result.delta) == {"topic:robotics": 1}
    after = stored(engine)
    assert after["7"] == (["robotics"], "other", "senior")
    assert {k: v for k, v in after.items() if k != "7"} == {
        k: v for k, v in before.items() if k != "7"
    }

    again = reclassify_postings(engine, edited.classify_posting, batch_size=3)
    assert (again.checked, again.changed) == (8, 0)
    shipped = reclassify_postings(engine, load_taxonomy().classify_posting, batch_size=100)
    assert shipped.changed == 1 and dict(shipped.delta) == {"topic:robotics": -1}


def test_api_exposes_and_filters_function_and_seniority(engine: Engine) -> None:
    ingest(engine, ROLES)
    client = TestClient(
        create_app(
            Settings(database_url=str(engine.url.render_as_string(hide_password=False))), engine
        )
    )
    body = client.get(
        "/api/postings", params={"function": "engineering", "seniority": ["senior", "staff"]}
    ).json()
    assert [(p["external_id"], p["function"], p["seniority"]) for p in body["items"]] == [
        ("6", "engineering", "staff"),
        ("3", "engineering", "senior"),
    ]
    robotics = client.get("/api/postings", params={"topic": "robotics", "limit": 1}).json()
    assert [p["external_id"] for p in robotics["items"]] == ["8"]
    nxt = client.get(
        "/api/postings", params={"topic": "robotics", "limit": 1, "cursor": robotics["next_cursor"]}
    ).json()
    assert [p["external_id"] for p in nxt["items"]] == ["3"] and nxt["next_cursor"] is None
    detail = client.get(f"/api/postings/{body['items'][0]['id']}").json()
    assert detail["topics"] == ["inference"] and detail["function"] == "engineering"


@pytest.mark.parametrize(("name", "value"), [("function", "sales"), ("seniority", "guru")])
def test_unknown_function_or_seniority_is_a_422(engine: Engine, name: str, value: str) -> None:
    client = TestClient(create_app(Settings(), engine))
    response = client.get("/api/postings", params={name: value})
    assert response.status_code == 422
    detail = response.json()["detail"][0]
    assert detail["loc"] == ["query", name] and value in detail["msg"]


def test_reclassify_command_end_to_end(empty_database_url: str, tmp_path: Path) -> None:
    upgrade(empty_database_url)
    engine = make_engine(empty_database_url)
    try:
        ingest(engine, ROLES)
        taxonomy = edited_taxonomy(tmp_path)
        env = {"TALENTFLOW_TAXONOMY_FILE": str(taxonomy)}
        result = run_cli(
            ["reclassify", "--batch-size", "2"], database_url=empty_database_url, extra_env=env
        )
        assert result.returncode == 0, result.stdout + result.stderr
        assert "8 postings checked, 1 changed" in result.stdout
        assert "topic:robotics" in result.stdout
        assert stored(engine)["7"][0] == ["robotics"]
        explain = CliRunner().invoke(app, ["taxonomy", "explain", "Warehouse Lead"], env=env)
        assert "title has 'warehouse' (+3)" in explain.output
    finally:
        engine.dispose()


def test_a_broken_taxonomy_stops_reclassify_and_scrape(tmp_path: Path) -> None:
    broken = tmp_path / "taxonomy.toml"
    broken.write_text(DEFAULT_TAXONOMY_FILE.read_text().replace('"genie" = 3', '"genie" = "x"'))
    line = broken.read_text().splitlines().index('"genie" = "x"') + 1
    sources = tmp_path / "sources.toml"
    sources.write_text(
        '[[companies]]\nname = "xAI"\nboards = [ { ats = "greenhouse", '
        'token = "xai", api_base = "http://127.0.0.1:9" } ]\n'
    )
    env = {
        "TALENTFLOW_TAXONOMY_FILE": str(broken),
        "TALENTFLOW_SOURCES": str(sources),
        "TALENTFLOW_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}",
    }
    for command in (["reclassify"], ["scrape"], ["taxonomy", "check"]):
        result = CliRunner().invoke(app, command, env=env)
        assert result.exit_code == 2, command
        assert f"{broken}:{line}:" in result.output.replace("\n", "")
        assert "weight of 'genie'" in result.output.replace("\n", "")


def test_taxonomy_check_lists_the_shipped_taxonomy() -> None:
    result = CliRunner().invoke(app, ["taxonomy", "check"], env={"TALENTFLOW_TAXONOMY_FILE": None})
    assert result.exit_code == 0, result.output
    assert "15 topics, 8 functions, 9 seniority levels: ok" in result.output
