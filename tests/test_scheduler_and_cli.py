"""`talentflow run` scheduling, `sources check`, and the running service."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from apscheduler.job import Job
from apscheduler.triggers.interval import IntervalTrigger

from scrapers.models import BoardConfig
from service.scheduler import build_scheduler
from service.settings import Settings
from service.sources import Sources
from store.engine import make_engine
from tests.conftest import load_fixture
from tests.e2e_helpers import REPO, TALENTFLOW, Reply, local_server, run_cli


def test_one_job_per_board_with_explicit_policy(tmp_path: Path) -> None:
    boards = [BoardConfig(company=f"C{i}", ats="greenhouse", token=f"t{i}") for i in range(4)]
    sources = Sources(path=tmp_path / "s.toml", interval_minutes=30, boards=boards)
    now = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
    scheduler = build_scheduler(make_engine("sqlite://"), Settings(), sources, now=now)

    async def started_jobs() -> list[Job]:
        scheduler.start(paused=True)  # job defaults are applied when the scheduler starts
        try:
            return list(scheduler.get_jobs())
        finally:
            scheduler.shutdown(wait=False)

    jobs = {job.id: job for job in asyncio.run(started_jobs())}
    assert set(jobs) == {f"board:greenhouse:t{i}" for i in range(4)}
    for job in jobs.values():
        assert job.coalesce is True and job.max_instances == 1
        assert job.misfire_grace_time == 300
        assert isinstance(job.trigger, IntervalTrigger)
        assert job.trigger.interval == timedelta(minutes=30)
        assert job.trigger.jitter == 180
    first_runs = sorted(job.next_run_time for job in jobs.values())
    assert first_runs[0] == now and len(set(first_runs)) == 4  # spread, not all at once
    assert first_runs[-1] - now < timedelta(minutes=1)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_run_serves_api_and_scrapes_on_schedule(tmp_path: Path) -> None:
    database_url = f"sqlite:///{tmp_path / 'run.db'}"
    assert run_cli(["db", "upgrade"], database_url=database_url).returncode == 0
    with local_server() as board:
        board.route(
            "GET",
            "/v1/boards/xai/jobs",
            Reply(body=json.dumps(load_fixture("greenhouse", "xai_jobs.json"))),
        )
        sources = tmp_path / "sources.toml"
        sources.write_text(
            '[[companies]]\nname = "xAI"\nboards = [ { ats = "greenhouse", '
            f'token = "xai", api_base = "{board.base_url}" }} ]\n'
        )
        port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("TALENTFLOW_")}
        env.update(TALENTFLOW_DATABASE_URL=database_url, TALENTFLOW_SOURCES=str(sources))
        process = subprocess.Popen(
            [*TALENTFLOW, "run", "--port", str(port)],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            deadline = time.monotonic() + 60
            count = 0
            while time.monotonic() < deadline and count < 4:
                time.sleep(0.5)
                try:
                    response = httpx.get(f"http://127.0.0.1:{port}/api/postings", timeout=2)
                except httpx.TransportError:
                    continue
                count = len(response.json()["items"])
            assert count == 4, "the scheduler did not scrape the board within a minute"
            health = httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2).json()
            assert health["status"] == "ok"
        finally:
            process.terminate()
            output = process.communicate(timeout=20)[0]
        # uvicorn re-raises SIGTERM after a graceful shutdown on recent versions.
        assert process.returncode in (0, -15), output
        assert "Application shutdown complete" in output


def test_sources_check_reports_each_board(tmp_path: Path) -> None:
    with local_server() as server:
        server.route(
            "GET",
            "/v1/boards/xai/jobs",
            Reply(body=json.dumps(load_fixture("greenhouse", "xai_jobs.json"))),
        )
        server.route(
            "GET",
            "/v1/boards/quiet/jobs",
            Reply(body=json.dumps(load_fixture("greenhouse", "empty_board.json"))),
        )
        sources = tmp_path / "sources.toml"
        sources.write_text(
            "".join(
                f'[[companies]]\nname = "{name}"\nboards = [ {{ ats = "greenhouse", '
                f'token = "{token}", api_base = "{server.base_url}" }} ]\n'
                for name, token in (("xAI", "xai"), ("Quiet", "quiet"), ("Gone", "gone"))
            )
        )
        result = run_cli(["sources", "check"], database_url="sqlite://", sources=sources)
    assert result.returncode == 0, result.stderr
    lines = {
        line.split("│")[1].strip(): line
        for line in result.stdout.splitlines()
        if line.count("│") > 3 and "company" not in line
    }
    assert "reachable" in lines["xAI"] and " 4 " in lines["xAI"]
    assert "empty" in lines["Quiet"]
    assert "not found" in lines["Gone"]


def test_probe_tells_a_board_that_emptied_from_an_unknown_one() -> None:
    import httpx

    from service.probe import probe_boards

    boards = [
        BoardConfig(company=name, ats="greenhouse", token=name, api_base="http://gh.test")
        for name in ("was-busy", "never-seen")
    ]

    def handler(_request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"jobs": [], "meta": {"total": 0}})

    results = asyncio.run(
        probe_boards(
            Settings(),
            boards,
            transport=httpx.MockTransport(handler),
            seen_nonempty=frozenset({"greenhouse:was-busy"}),
        )
    )
    detail = {r.board.token: (r.status, r.detail) for r in results}
    assert detail["was-busy"] == ("empty", "listed postings before; now empty")
    assert detail["never-seen"] == ("empty", "empty or unknown board")
