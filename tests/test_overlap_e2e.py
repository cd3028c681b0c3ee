"""Two `talentflow scrape` processes at once on one database (real subprocesses, a local board
server whose answers are held until both runs have met): neither crashes, each board is read and
ingested once, the other attempt is recorded ``skipped``, and the result equals one run."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func
from sqlmodel import Session, col, select

from service.app import create_app
from service.migrations import upgrade
from service.settings import Settings
from store.engine import make_engine
from store.models import Board, Event, Posting, ScrapeRun
from tests.conftest import PgDatabases, load_fixture
from tests.e2e_helpers import LocalServer, Reply, Request, local_server, run_cli, start_cli

GREENHOUSE = "/v1/boards/xai/jobs"
LEVER = "/v0/postings/mistral"
PATHS = (GREENHOUSE, LEVER)
SKIPPED_NOTE = "another run of this board is in progress"
# Generous: the held answer must outlast the start-up of the second process on a busy machine.
ENV = {"TALENTFLOW_HTTP_READ_TIMEOUT": "120", "TALENTFLOW_HTTP_RETRIES": "0"}


class Boards:
    """The two boards' answers; while ``gate`` is closed every answer waits for it."""

    def __init__(self, server: LocalServer) -> None:
        self.gate = threading.Event()
        self.gate.set()
        self.greenhouse: dict[str, Any] = load_fixture("greenhouse", "xai_jobs.json")
        self.lever: list[dict[str, Any]] = load_fixture("lever", "postings.json")
        server.route("GET", GREENHOUSE, self._answer(lambda: self.greenhouse))
        server.route("GET", LEVER, self._answer(lambda: self.lever))

    def _answer(self, body: Any) -> Any:
        def reply(_request: Request) -> Reply:
            self.gate.wait(timeout=120)
            return Reply(body=json.dumps(body()))

        return reply

    def drop_one_posting_each(self) -> None:
        jobs = self.greenhouse["jobs"][1:]
        self.greenhouse = {"jobs": jobs, "meta": {"total": len(jobs)}}
        self.lever = self.lever[1:]


def watchlist(tmp_path: Path, server: LocalServer) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(
        "[defaults]\ninterval_minutes = 60\n\n"
        '[[companies]]\nname = "xAI"\n'
        f'boards = [ {{ ats = "greenhouse", token = "xai", api_base = "{server.base_url}" }} ]\n\n'
        '[[companies]]\nname = "Mistral AI"\n'
        f'boards = [ {{ ats = "lever", token = "mistral", api_base = "{server.base_url}" }} ]\n'
    )
    return path


def board_requests(server: LocalServer) -> int:
    return sum(r.path in PATHS for r in list(server.requests))


def skipped_runs(url: str) -> int:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            where = col(ScrapeRun.outcome) == "skipped"
            return int(session.exec(select(func.count()).where(where)).one())
    finally:
        engine.dispose()


def overlapping_scrapes(url: str, sources: Path, server: LocalServer, boards: Boards) -> None:
    """Start two scrapes together; release the boards' answers once both runs of every board
    have either fetched it or been turned away (or a process has ended)."""
    requests_before, skipped_before = board_requests(server), skipped_runs(url)
    boards.gate.clear()
    processes = [
        start_cli(["scrape"], database_url=url, sources=sources, extra_env=ENV) for _ in range(2)
    ]
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and all(p.poll() is None for p in processes):
            met = board_requests(server) - requests_before + skipped_runs(url) - skipped_before
            if met >= 2 * len(PATHS):
                break
            time.sleep(0.1)
    finally:
        boards.gate.set()
    for process in processes:
        out, err = process.communicate(timeout=180)
        assert process.returncode == 0, out + err
        assert "Traceback" not in err and "IntegrityError" not in out + err, out + err


def single_scrape(url: str, sources: Path) -> None:
    result = run_cli(["scrape"], database_url=url, sources=sources, extra_env=ENV)
    assert result.returncode == 0, result.stdout + result.stderr


def state(url: str) -> tuple[list[tuple[Any, ...]], Counter[tuple[str, str]]]:
    """Every posting's identity and lifecycle fields, and the events written (as a multiset:
    two boards ingested in parallel may interleave)."""
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            rows = session.exec(
                select(Board.key, Posting).join(Board, col(Board.id) == Posting.board_id)
            ).all()
            postings = sorted(
                (key, p.external_id, p.title, p.status, p.missing_runs, p.closed_at is None)
                for key, p in rows
            )
            events = Counter(
                (e.type, e.data["posting"]["external_id"]) for e in session.exec(select(Event))
            )
        return postings, events
    finally:
        engine.dispose()


def runs_by_board(url: str) -> dict[str, list[tuple[str, str | None]]]:
    client = TestClient(create_app(Settings(database_url=url)))
    items = client.get("/api/runs", params={"limit": 100}).json()["items"]
    out: dict[str, list[tuple[str, str | None]]] = {}
    for run in reversed(items):  # oldest first
        out.setdefault(run["board"], []).append((run["outcome"], run["error"]))
    return out


@pytest.fixture
def reference_database_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """A second empty database, for the same scrapes run one at a time."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'reference.db'}"
    databases: PgDatabases = request.getfixturevalue("pg_databases")
    return databases.create()


def test_two_overlapping_scrapes_equal_one(
    tmp_path: Path, empty_database_url: str, reference_database_url: str
) -> None:
    url, reference = empty_database_url, reference_database_url
    for database in (url, reference):
        upgrade(database)  # in this process: only the scrapes need to be the real command
    with local_server() as server:
        boards = Boards(server)
        sources = watchlist(tmp_path, server)
        # A new database: both processes would create the same companies, boards and postings.
        overlapping_scrapes(url, sources, server, boards)
        assert board_requests(server) == len(PATHS)  # each board was read once
        single_scrape(reference, sources)
        # One posting of each board vanishes: two overlapping runs are one observation of that.
        boards.drop_one_posting_each()
        overlapping_scrapes(url, sources, server, boards)
        assert board_requests(server) == 3 * len(PATHS)
        single_scrape(reference, sources)

    runs = runs_by_board(url)
    assert set(runs) == {"greenhouse:xai", "lever:mistral"}
    for board, board_runs in runs.items():
        # Per cycle one ingest and one attempt turned away, in whichever order they ended.
        for cycle in (board_runs[:2], board_runs[2:]):
            assert sorted(outcome for outcome, _ in cycle) == ["ok", "skipped"], (board, runs)
            (note,) = [error for outcome, error in cycle if outcome == "skipped"]
            assert note is not None and SKIPPED_NOTE in note
    postings, events = state(url)
    assert (postings, events) == state(reference)
    # Missing from one observation only: still open, one run towards closing.
    vanished = [p for p in postings if p[4] == 1]
    assert len(vanished) == 2 and all(p[3] == "open" for p in vanished)
    assert events == Counter({("posting.opened", p[1]): 1 for p in postings})
    skipped = TestClient(create_app(Settings(database_url=url)))
    only = skipped.get("/api/runs", params={"outcome": "skipped"}).json()["items"]
    assert len(only) == 2 * len(PATHS) and {r["outcome"] for r in only} == {"skipped"}
