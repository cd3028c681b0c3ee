"""`talentflow demo` as a user runs it: on a free port, stopped with Ctrl-C, leaving nothing."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from service.cli import app
from service.demo import history
from tests.e2e_helpers import REPO, TALENTFLOW

START_TIMEOUT = 90  # seconds: the history is built before the server listens


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_health(url: str, process: subprocess.Popen[str]) -> dict[str, object]:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        assert process.poll() is None, "demo exited before serving"
        try:
            response = httpx.get(url, timeout=2)
            if response.status_code == 200:
                return dict(response.json())
        except httpx.TransportError:
            pass
        time.sleep(0.25)
    raise AssertionError(f"no answer from {url} within {START_TIMEOUT}s")


def test_demo_serves_then_stops_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    user_db = tmp_path / "mine.db"
    env = {k: v for k, v in os.environ.items() if not k.startswith("TALENTFLOW_")}
    env.update(TALENTFLOW_DATABASE_URL=f"sqlite:///{user_db}", PYTHONUNBUFFERED="1", COLUMNS="200")
    port = free_port()
    process = subprocess.Popen(
        [*TALENTFLOW, "demo", "--port", str(port), "--weeks", "1"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        health = wait_for_health(f"http://127.0.0.1:{port}/api/health", process)
        assert health["status"] == "ok" and health["demo"] is True
        page = httpx.get(f"http://127.0.0.1:{port}/companies", timeout=10)
        assert 'class="demo-banner"' in page.text and "Northwind AI" in page.text
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, output
    found = re.search(r"sample data in (\S+)", output)
    assert found, output
    directory = Path(found[1])
    assert directory.name.startswith("talentflow-demo-")
    assert not directory.exists()
    assert not user_db.exists()  # the user's database was never opened
    assert "Traceback" not in output
    assert "sample data removed" in output


def test_ctrl_c_while_the_history_is_built_stops_cleanly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C arrives as KeyboardInterrupt in the main thread, here in the middle of the build."""

    def interrupted(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setenv("TALENTFLOW_DATABASE_URL", f"sqlite:///{tmp_path / 'mine.db'}")
    monkeypatch.setattr(history, "build_history", interrupted)
    result = CliRunner().invoke(app, ["demo", "--port", str(free_port())])
    assert result.exit_code == 0, result.output
    found = re.search(r"sample data in (\S+)", result.output)
    assert found and not Path(found[1]).exists(), result.output
    assert "sample data removed" in result.output
    assert not any(t.name == "demo-boards" for t in threading.enumerate())
    assert not (tmp_path / "mine.db").exists()


def test_a_port_in_use_is_refused_before_anything_is_built() -> None:
    with socket.create_server(("127.0.0.1", 0)) as busy:
        port = busy.getsockname()[1]
        result = CliRunner().invoke(app, ["demo", "--port", str(port)])
    assert result.exit_code == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.output
    assert "building" not in result.output
