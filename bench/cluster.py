"""A local cluster for the multi-process test and benchmark: a simulated board internet on
127.0.0.1 (N Greenhouse boards), and real ``talentflow scheduler`` / ``worker`` processes
against one PostgreSQL database, each named by its User-Agent so the server can tell who asks.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import IO

from sqlalchemy import text
from sqlalchemy.engine import Engine

from bench.synthetic import greenhouse_job

REPO = Path(__file__).resolve().parent.parent
TALENTFLOW = [sys.executable, "-c", "from service.cli import app; app()"]
PREFIX = "/v1/boards/"


def board_token(index: int) -> str:
    return f"b{index:05d}"


def board_body(index: int, postings: int) -> bytes:
    jobs = []
    for n in range(postings):
        job = greenhouse_job(n)
        job["content"] = "&lt;p&gt;Train and serve frontier models.&lt;/p&gt;"
        job["title"] = f"Member of Technical Staff {n}"
        job["absolute_url"] = f"https://job-boards.greenhouse.io/{board_token(index)}/jobs/{n}"
        jobs.append(job)
    return json.dumps({"jobs": jobs, "meta": {"total": postings}}).encode()


@dataclass
class Hit:
    token: str
    agent: str
    at: float  # time.time() when the request arrived


class BoardServer:
    """Serves ``boards`` Greenhouse boards; ``slow[token] = seconds`` delays that board's next
    answer once (the request is recorded on arrival, before the delay)."""

    def __init__(self, boards: int, postings: int) -> None:
        self.bodies = {board_token(i): board_body(i, postings) for i in range(boards)}
        self.hits: list[Hit] = []
        self.slow: dict[str, float] = {}
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_args: object) -> None:
                pass

            def do_GET(self) -> None:
                path = self.path.split("?", 1)[0]
                token = path[len(PREFIX) :].removesuffix("/jobs")
                with server.lock:
                    server.hits.append(Hit(token, self.headers.get("User-Agent", ""), time.time()))
                    delay = server.slow.pop(token, 0.0)
                body = server.bodies.get(token) if path.startswith(PREFIX) else None
                if delay:
                    time.sleep(delay)
                try:
                    self.send_response(200 if body else 404)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body or b"{}")))
                    self.end_headers()
                    self.wfile.write(body or b"{}")
                except OSError:  # the client was killed while we waited
                    pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def hits_for(self, token: str) -> list[Hit]:
        with self.lock:
            return [h for h in self.hits if h.token == token]

    def write_sources(self, path: Path) -> Path:
        lines = []
        for token in self.bodies:
            lines += [
                "[[companies]]",
                f'name = "Company {token}"',
                f'boards = [ {{ ats = "greenhouse", token = "{token}", '
                f'api_base = "{self.base_url}" }} ]',
                "",
            ]
        path.write_text("\n".join(lines))
        return path


@contextmanager
def board_server(boards: int, postings: int) -> Iterator[BoardServer]:
    server = BoardServer(boards, postings)
    server.thread.start()
    try:
        yield server
    finally:
        server.httpd.shutdown()
        server.httpd.server_close()


@dataclass
class Process:
    name: str
    popen: subprocess.Popen[bytes]
    log_path: Path
    log_file: IO[bytes] = field(repr=False)

    def log(self) -> str:
        if not self.log_file.closed:
            self.log_file.flush()
        return self.log_path.read_text(errors="replace")

    def kill(self) -> None:
        self.popen.send_signal(signal.SIGKILL)
        self.popen.wait(timeout=10)


@dataclass
class Cluster:
    """Starts and stops talentflow processes sharing one database and watchlist."""

    database_url: str
    sources: Path
    workdir: Path
    env: dict[str, str] = field(default_factory=dict)
    processes: list[Process] = field(default_factory=list)

    def base_env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("TALENTFLOW_")}
        env.update(
            TALENTFLOW_DATABASE_URL=self.database_url,
            TALENTFLOW_SOURCES=str(self.sources),
            TALENTFLOW_HTTP_BACKOFF="0",
            TALENTFLOW_HTTP_RETRIES="0",
            PYTHONUNBUFFERED="1",
        )
        env.update(self.env)
        return env

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*TALENTFLOW, *args],
            cwd=REPO,
            env=self.base_env(),
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    def start(self, name: str, *args: str) -> Process:
        log_path = self.workdir / f"{name}.log"
        log_file = log_path.open("wb")
        env = self.base_env()
        env["TALENTFLOW_USER_AGENT"] = f"talentflow-{name}"
        popen = subprocess.Popen(
            [*TALENTFLOW, *args], cwd=REPO, env=env, stdout=log_file, stderr=subprocess.STDOUT
        )
        process = Process(name, popen, log_path, log_file)
        self.processes.append(process)
        return process

    def by_agent(self, agent: str) -> Process:
        return next(p for p in self.processes if f"talentflow-{p.name}" == agent)

    def stop_all(self, timeout: float = 30) -> None:
        for process in self.processes:
            if process.popen.poll() is None:
                process.popen.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for process in self.processes:
            try:
                process.popen.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                process.popen.kill()
                process.popen.wait()
            process.log_file.close()


def wait_for(predicate: object, timeout: float, what: str, every: float = 0.2) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return
        time.sleep(every)
    raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}")


@dataclass(frozen=True)
class Ledger:
    """What the database says happened, per board."""

    runs: dict[str, list[tuple[datetime, str, int]]]  # key -> [(started_at, outcome, new)]
    postings: dict[str, int]
    duplicate_postings: int
    opened_events: int
    queue: dict[str, int]


def ledger(engine: Engine) -> Ledger:
    with engine.connect() as conn:
        runs: dict[str, list[tuple[datetime, str, int]]] = {}
        for key, started, outcome, new in conn.execute(
            text(
                "SELECT b.key, r.started_at, r.outcome, r.new FROM scrape_run r "
                "JOIN board b ON b.id = r.board_id ORDER BY r.started_at"
            )
        ):
            at = started if started.tzinfo else started.replace(tzinfo=UTC)
            runs.setdefault(key, []).append((at, outcome, new))
        postings = dict(
            conn.execute(
                text(
                    "SELECT b.key, count(*) FROM posting p JOIN board b ON b.id = p.board_id "
                    "GROUP BY b.key"
                )
            ).all()
        )
        duplicates = conn.execute(
            text(
                "SELECT count(*) FROM (SELECT board_id, external_id FROM posting "
                "GROUP BY board_id, external_id HAVING count(*) > 1) d"
            )
        ).scalar_one()
        opened = conn.execute(
            text("SELECT count(*) FROM event WHERE type = 'posting.opened'")
        ).scalar_one()
        queue = dict(
            conn.execute(
                text("SELECT status::text, count(*) FROM procrastinate_jobs GROUP BY status")
            ).all()
        )
    return Ledger(runs, postings, duplicates, opened, queue)


def queue_idle(engine: Engine) -> bool:
    with engine.connect() as conn:
        busy = conn.execute(
            text("SELECT count(*) FROM procrastinate_jobs WHERE status IN ('todo', 'doing')")
        ).scalar_one()
    return busy == 0


TICK = re.compile(r"^(\S+)Z DEBUG\s+service\.queue: (\S+): queued \(job \d+\)$", re.M)


def ticks(processes: list[Process]) -> dict[str, list[float]]:
    """Per board key, when a leader queued it (unix seconds), from every process's log."""
    found: dict[str, list[float]] = {}
    for process in processes:
        for stamp, key in TICK.findall(process.log()):
            at = datetime.fromisoformat(stamp).replace(tzinfo=UTC).timestamp()
            found.setdefault(key, []).append(at)
    return {key: sorted(times) for key, times in found.items()}


def runs_per_tick(tick_times: list[float], run_times: list[float]) -> list[int]:
    """How many runs started in each tick's window (from it to the next tick); the last
    window is open-ended. A run may start a moment before its tick's line is written."""
    slack = 0.5
    bounds = [t - slack for t in tick_times] + [float("inf")]
    return [sum(lo <= r < hi for r in run_times) for lo, hi in itertools.pairwise(bounds)]
