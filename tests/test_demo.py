"""`talentflow demo`: the sample history is built through the real scrape and feed passes from a
local simulated board server, the pages say it is a sample, and the user's database is untouched."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from service.app import create_app
from service.demo.history import Demo, built_demo, demo_settings, watchlist
from service.demo.shapes import answer
from service.demo.world import SampleError, World, load_sample
from service.settings import Settings
from store.models import Board, Event, Posting, PostingChange, ScrapeRun

END = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
DASHBOARD_PAGES = (
    "/",
    "/postings",
    "/postings?status=closed",
    "/trends",
    "/companies",
    "/hires",
    "/runs",
)


@pytest.fixture(scope="module")
def user_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A database the user already has, named by TALENTFLOW_DATABASE_URL while the demo runs."""
    path = tmp_path_factory.mktemp("user") / "mine.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE notes (body TEXT)")
        connection.execute("INSERT INTO notes VALUES ('my own data')")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TALENTFLOW_DATABASE_URL", f"sqlite:///{path}")
        patch.setenv("TALENTFLOW_SOURCES", str(path.with_name("my-sources.toml")))
        yield path


@pytest.fixture(scope="module")
def user_database_digest(user_database: Path) -> str:
    return hashlib.sha256(user_database.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def demo(
    tmp_path_factory: pytest.TempPathFactory, user_database: Path, user_database_digest: str
) -> Iterator[Demo]:
    assert Settings().database_url.endswith("mine.db")  # the user's setting is in effect
    with built_demo(tmp_path_factory.mktemp("demo"), weeks=12, end=END) as built:
        yield built


@pytest.fixture(scope="module")
def client(demo: Demo) -> Iterator[TestClient]:
    with TestClient(create_app(demo.settings, demo.engine)) as test_client:
        yield test_client


def runs_by_board(demo: Demo) -> dict[str, list[ScrapeRun]]:
    with Session(demo.engine) as session:
        boards = {b.id: b.key for b in session.exec(select(Board))}
        runs: dict[str, list[ScrapeRun]] = defaultdict(list)
        for run in session.exec(select(ScrapeRun).order_by(col(ScrapeRun.started_at))):
            runs[boards[run.board_id]].append(run)
    return runs


# -- the simulated world --------------------------------------------------------------------


def test_the_sample_is_a_dozen_labs_on_many_board_kinds() -> None:
    sample = load_sample()
    assert len(sample.labs) == 12
    assert len({lab.ats for lab in sample.labs}) >= 8
    assert len({lab.slug for lab in sample.labs}) == 12


def test_the_world_is_deterministic_and_changes_every_week() -> None:
    one, two = World(load_sample(), 12, END), World(load_sample(), 12, END)
    assert [(o.number, o.open_week, o.close_week) for o in one.openings["northwind"]] == [
        (o.number, o.open_week, o.close_week) for o in two.openings["northwind"]
    ]
    weekly = [frozenset(o.number for o in one.open_roles("meridian", w)) for w in range(12)]
    assert len(set(weekly)) >= 8  # openings and closings every week or so
    assert one.at(11) == END and (one.at(11) - one.at(0)).days == 77


def test_a_malformed_sample_is_refused_with_its_name() -> None:
    with pytest.raises(SampleError, match="Broken Lab"):
        load_sample('[[labs]]\nname = "Broken Lab"\nslug = "b"\nats = "lever"\n')
    with pytest.raises(SampleError):
        load_sample("[[labs]\n")
    with pytest.raises(ValueError):
        World(load_sample(), 0, END)


def test_the_watchlist_points_every_board_at_the_local_server(tmp_path: Path) -> None:
    world = World(load_sample(), 3, END)
    text = watchlist(world, "http://127.0.0.1:9999")
    assert text.count("[[companies]]") == 12
    assert text.count('api_base = "http://127.0.0.1:9999/') == 12
    assert "https://" not in text.replace("https://orbital.wd1.myworkdayjobs.com", "")


def test_a_broken_week_answers_an_error_and_other_paths_are_404() -> None:
    world = World(load_sample(), 12, END)
    world.week = 9
    broken = answer(world, "http://x", "GET", "/halcyon/v1/boards/halcyon/jobs", {}, {}, b"")
    assert broken.status == 503
    world.week = 11
    assert (
        answer(world, "http://x", "GET", "/halcyon/v1/boards/halcyon/jobs", {}, {}, b"").status
        == 200
    )
    assert (
        answer(world, "http://x", "GET", "/halcyon/v1/boards/other/jobs", {}, {}, b"").status == 404
    )
    assert answer(world, "http://x", "GET", "/nobody/anything", {}, {}, b"").status == 404


def test_demo_settings_ignore_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TALENTFLOW_DATABASE_URL", "sqlite:////elsewhere/mine.db")
    monkeypatch.setenv("TALENTFLOW_TAXONOMY_FILE", "/elsewhere/taxonomy.toml")
    settings = demo_settings(tmp_path)
    assert settings.database_url == f"sqlite:///{tmp_path / 'demo.db'}"
    assert settings.taxonomy_file is None and settings.demo


# -- the history, built through the real pipeline ---------------------------------------------


def test_every_board_has_a_run_for_every_week(demo: Demo) -> None:
    runs = runs_by_board(demo)
    assert len(runs) == 12
    for key, board_runs in runs.items():
        assert len(board_runs) >= 12, key
        assert len({r.started_at for r in board_runs}) >= 12, key
    ats_read = {
        key.split(":")[0]
        for key, board_runs in runs.items()
        if any(r.outcome == "ok" and r.seen for r in board_runs)
    }
    assert {
        "greenhouse",
        "lever",
        "ashby",
        "workday",
        "smartrecruiters",
        "workable",
        "recruitee",
        "personio",
    } <= ats_read


def test_a_board_breaks_and_recovers(demo: Demo) -> None:
    recovered: dict[str, int] = {}
    for key, board_runs in runs_by_board(demo).items():
        outcomes = [r.outcome for r in board_runs]
        if "failed" in outcomes:
            last_failure = len(outcomes) - 1 - outcomes[::-1].index("failed")
            recovered[key] = outcomes[last_failure:].count("ok")
            assert board_runs[last_failure].error
    # One board answers 503 for two weeks, another a maintenance page for one week.
    assert len(recovered) == 2 and min(recovered.values()) >= 1
    assert max(recovered.values()) >= 2


def test_open_roles_have_a_weekly_shape(client: TestClient) -> None:
    response = client.get(
        "/api/trends",
        params={
            "metric": "open",
            "group": "company",
            "interval": "week",
            "since": "2026-09-07",
            "until": "2026-11-30",
        },
    )
    assert response.status_code == 200
    series = response.json()["series"]
    assert len(series) == 12
    for item in series:
        values = [p["value"] for p in item["points"]]
        assert sum(v > 0 for v in values) >= 10, item["key"]
    assert any(s["points"][-1]["value"] > 2 * s["points"][1]["value"] for s in series)  # growth
    topics = client.get("/api/trends", params={"group": "topic", "since": "2026-09-07"})
    assert len(topics.json()["series"]) >= 8  # the real taxonomy classified the sample
    closed = client.get(
        "/api/trends", params={"metric": "closed", "interval": "week", "since": "2026-09-07"}
    ).json()["series"]
    assert sum(p["value"] for s in closed for p in s["points"]) >= 20


def test_a_pay_band_widens(demo: Demo, client: TestClient) -> None:
    with Session(demo.engine) as session:
        events = session.exec(select(Event).where(Event.type == "posting.pay_changed")).all()
        changes = session.exec(select(PostingChange).where(PostingChange.field == "pay")).all()
    assert len(events) >= 3 and changes
    detail = client.get(f"/api/postings/{changes[0].posting_id}").json()
    pay_history = [h for h in detail["history"] if h["field"] == "pay"]
    assert pay_history
    old, new = pay_history[0]["old"], pay_history[0]["new"]
    assert new["min"] < old["min"] and new["max"] > old["max"]


def test_every_lab_publishes_pay_some_from_text(demo: Demo) -> None:
    with Session(demo.engine) as session:
        postings = session.exec(select(Posting)).all()
    by_company: dict[int, set[str | None]] = defaultdict(set)
    for p in postings:
        if p.pay_annual_min_usd is not None:
            by_company[p.board_id].add(p.pay_source)
    assert len(by_company) == 12
    sources = set().union(*by_company.values())
    assert sources == {"structured", "text"}


def test_hires_are_announced_from_the_news_feed(client: TestClient) -> None:
    hires = client.get("/api/hires", params={"limit": 100}).json()["items"]
    assert len(hires) >= 10
    assert {h["origin"] for h in hires} == {"feed"}
    assert not any("hiring for" in h["source_title"] for h in hires)  # a plan is not a hire
    flows = client.get("/api/flows").json()["edges"]
    assert {"from": "Cobalt Research", "to": "Meridian Robotics", "count": 2} in flows


def test_the_users_database_is_untouched(
    demo: Demo, user_database: Path, user_database_digest: str
) -> None:
    assert hashlib.sha256(user_database.read_bytes()).hexdigest() == user_database_digest
    assert sorted(p.name for p in user_database.parent.iterdir()) == ["mine.db"]
    assert demo.settings.database_url.startswith("sqlite:///" + str(demo.directory))


# -- labelled as a sample -----------------------------------------------------------------------


def test_health_says_demo(client: TestClient) -> None:
    assert client.get("/api/health").json()["demo"] is True


def test_the_banner_is_on_every_dashboard_page(demo: Demo, client: TestClient) -> None:
    with Session(demo.engine) as session:
        posting = session.exec(select(Posting)).first()
    assert posting is not None
    for path in (*DASHBOARD_PAGES, f"/postings/{posting.id}", "/postings/999999"):
        page = client.get(path)
        assert page.status_code == (404 if path.endswith("999999") else 200), path
        assert page.headers["content-type"].startswith("text/html"), path
        assert 'class="demo-banner"' in page.text, path
        assert "fictional sample" in page.text, path


def test_no_banner_outside_the_demo(demo: Demo) -> None:
    settings = Settings(database_url=demo.settings.database_url)
    with TestClient(create_app(settings)) as plain:
        assert "demo-banner" not in plain.get("/").text
        assert "demo" not in plain.get("/api/health").json()


def test_the_board_server_answers_in_real_shapes(demo: Demo) -> None:
    base = demo.server.base_url
    greenhouse = httpx.get(f"{base}/northwind/v1/boards/northwind/jobs").json()
    assert greenhouse["meta"]["total"] == len(greenhouse["jobs"]) > 0
    tag = httpx.get(f"{base}/northwind/v1/boards/northwind/jobs").headers["ETag"]
    again = httpx.get(f"{base}/northwind/v1/boards/northwind/jobs", headers={"If-None-Match": tag})
    assert again.status_code == 304
    feed = httpx.get(f"{base}/news/feed.xml")
    assert feed.text.startswith("<?xml") and "<rss" in feed.text
    assert os.environ["TALENTFLOW_DATABASE_URL"].endswith("mine.db")
