"""`talentflow serve --processes N`: N server processes share one port, and one that dies is
replaced while the others go on answering."""

from __future__ import annotations

import gc
import os
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from service.app import server_process_app
from tests.dashboard_helpers import free_port
from tests.e2e_helpers import REPO, TALENTFLOW, cli_env, run_cli

START_TIMEOUT = 60.0


def server_children(pid: int) -> set[int]:
    """The processes the supervisor started (its direct children that run Python)."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    found = set()
    for child in children:
        try:
            cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
        except OSError:
            continue
        if b"multiprocessing" in cmdline and b"resource_tracker" not in cmdline:
            found.add(int(child))
    return found


def wait_until(check: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"not reached within {timeout} s")


def healthy(base: str) -> bool:
    try:
        return httpx.get(f"{base}/api/health", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def test_serve_runs_several_processes_on_one_port(empty_database_url: str) -> None:
    upgraded = run_cli(["db", "upgrade"], database_url=empty_database_url)
    assert upgraded.returncode == 0, upgraded.stderr
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [*TALENTFLOW, "serve", "--processes", "2", "--port", str(port)],
        cwd=REPO,
        env=cli_env(empty_database_url, extra_env={"TALENTFLOW_LOG_LEVEL": "WARNING"}),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_until(lambda: process.poll() is None and healthy(base), START_TIMEOUT)
        wait_until(lambda: len(server_children(process.pid)) == 2, START_TIMEOUT)
        first = server_children(process.pid)
        with httpx.Client(base_url=base, timeout=5) as client:
            assert client.get("/api/postings?limit=5").json()["items"] == []
            assert client.get("/api/postings?limit=5&limit=6").status_code == 422

        # A process that dies is replaced; the port keeps answering meanwhile (a new
        # connection each time: a kept-alive one may have belonged to the killed process).
        os.kill(min(first), signal.SIGKILL)
        wait_until(lambda: healthy(base), 5)
        wait_until(
            lambda: (
                len(server_children(process.pid)) == 2 and server_children(process.pid) != first
            ),
            START_TIMEOUT,
        )
        assert healthy(base)
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    assert process.returncode == 0, output
    assert not any(pid_alive(pid) for pid in first)


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/status")
    return status.exists() and "zombie" not in status.read_text()


def test_a_server_process_freezes_what_it_built_at_startup(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The objects of startup are kept out of the collector's full passes: once, after the
    application is built (the test process itself is not frozen)."""
    monkeypatch.setenv("TALENTFLOW_DATABASE_URL", f"sqlite:///{tmp_path / 'frozen.db'}")
    monkeypatch.setattr("service.logs.configure_logging", lambda level: None)
    calls: list[int] = []
    monkeypatch.setattr(gc, "freeze", lambda: calls.append(len(gc.get_objects())))
    app = server_process_app()
    assert len(calls) == 1 and app.routes  # once, with the application already built
