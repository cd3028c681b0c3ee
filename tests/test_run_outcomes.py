"""Every run outcome of the vocabulary, `skipped` included, is shown everywhere runs are."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from charts.style import OUTCOME_COLORS
from service.app import create_app
from service.settings import Settings
from store.engine import session_scope
from store.ingest import SKIPPED_BUSY, get_or_create_board, record_skipped
from store.vocab import RunOutcome
from tests.conftest import at
from tests.e2e_helpers import REPO
from tests.lifecycle_helpers import BOARD, ingest, posting, snapshot


def test_every_outcome_has_a_colour_and_a_badge() -> None:
    assert set(OUTCOME_COLORS) == set(RunOutcome)
    css = (REPO / "service" / "static" / "dashboard.css").read_text()
    for outcome in RunOutcome:
        assert re.search(rf"\.outcome-{outcome}\b", css), outcome


def test_skipped_runs_are_listed_filtered_and_shown(engine: Engine) -> None:
    ingest(engine, snapshot(posting(1)), at("2026-11-24T08:00"))
    with session_scope(engine) as session:
        board = get_or_create_board(session, BOARD)
        when = at("2026-11-24T08:00:30")
        record_skipped(session, board, started_at=when, now=when)
    with TestClient(create_app(Settings(), engine)) as client:
        runs = client.get("/api/runs", params={"outcome": "skipped"}).json()["items"]
        assert [(r["outcome"], r["error"]) for r in runs] == [("skipped", SKIPPED_BUSY)]
        page = client.get("/runs", params={"outcome": "skipped"}).text
        assert re.findall(r'<tr class="run-([a-z]+)">', page) == ["skipped"]
        assert "<option selected>skipped</option>" in page
        chart = client.get("/charts/runs.json").json()
        assert {v["outcome"] for v in chart["data"]["values"]} == {"ok", "skipped"}
        company = client.get("/api/companies/xAI").json()
        (health,) = company["boards"]
        assert (health["last_outcome"], health["state"], health["failure_streak"]) == (
            "ok",
            "ok",
            0,
        )
