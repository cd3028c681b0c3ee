"""`talentflow run` says what it did: one log line per board run, with the run's figures.

On SQLite the schedule scrapes in the process; on PostgreSQL the same command queues the board
and its embedded worker runs the job, and the line reads the same."""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
from pathlib import Path

from sqlalchemy import text

from store.engine import make_engine
from tests.conftest import load_fixture
from tests.e2e_helpers import REPO, TALENTFLOW, Reply, local_server, run_cli
from tests.test_scheduler_and_cli import free_port

LINE = re.compile(
    r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z INFO +service\.\S+: greenhouse:xai: "
    r"(?P<outcome>\w+), (?P<seen>\d+) seen, (?P<new>\d+) new, (?P<changed>\d+) changed, "
    r"(?P<closed>\d+) closed in (?P<seconds>\d+\.\d) s$",
    re.M,
)


def test_run_logs_one_line_per_board_run(empty_database_url: str, tmp_path: Path) -> None:
    url = empty_database_url
    upgraded = run_cli(["db", "upgrade"], database_url=url)
    assert upgraded.returncode == 0, upgraded.stderr
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
        env = {k: v for k, v in os.environ.items() if not k.startswith("TALENTFLOW_")}
        env.update(
            TALENTFLOW_DATABASE_URL=url,
            TALENTFLOW_SOURCES=str(sources),
            TALENTFLOW_SCHEDULE_INTERVAL_SECONDS="3",
        )
        log_path = tmp_path / "run.log"
        with log_path.open("w") as log:
            process = subprocess.Popen(
                [*TALENTFLOW, "run", "--port", str(free_port())],
                cwd=REPO,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                text=True,
            )
            try:
                deadline = time.monotonic() + 90
                while time.monotonic() < deadline and len(LINE.findall(log_path.read_text())) < 2:
                    time.sleep(0.3)
            finally:
                process.terminate()
                process.wait(timeout=30)
    output = log_path.read_text()
    lines = list(LINE.finditer(output))
    assert len(lines) >= 2, output
    first, second = lines[0], lines[1]
    engine = make_engine(url)
    with engine.connect() as conn:
        runs = conn.execute(
            text("SELECT outcome, seen, new, changed, closed FROM scrape_run ORDER BY id")
        ).all()
    engine.dispose()
    # Each line tells its run as the database recorded it.
    for match, run in zip((first, second), runs[:2], strict=True):
        told = (match["outcome"], *(int(match[k]) for k in ("seen", "new", "changed", "closed")))
        assert told == tuple(run), (told, run)
    assert first["outcome"] == "ok" and first["new"] == "4"
    assert second["new"] == "0"
    # Libraries stay quiet at INFO: no per-request lines from the HTTP client.
    assert "HTTP Request:" not in output
