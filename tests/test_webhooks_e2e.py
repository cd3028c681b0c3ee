"""End to end with the real command line: `keys create`, `scrape` (which delivers), `deliver`
through an outage, and a SIGKILL of the delivering process that loses nothing."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import threading
import time
from collections import Counter
from pathlib import Path

from fastapi.testclient import TestClient
from standardwebhooks import Webhook

from service.app import create_app
from service.settings import Settings
from store.engine import make_engine
from tests.conftest import load_fixture
from tests.e2e_helpers import REPO, TALENTFLOW, LocalServer, Reply, Request, local_server, run_cli
from tests.webhook_helpers import deliveries

WEBHOOK_ENV = {
    "TALENTFLOW_ALLOW_PRIVATE_WEBHOOKS": "true",
    "TALENTFLOW_WEBHOOK_PORTS": "1024-65535",
}


def setup(tmp_path: Path, database_url: str, board: LocalServer) -> tuple[Path, str]:
    """An upgraded database, a key made by the CLI, and a watchlist on the local board."""
    assert run_cli(["db", "upgrade"], database_url=database_url).returncode == 0
    created = run_cli(["keys", "create", "e2e"], database_url=database_url)
    assert created.returncode == 0, created.stderr
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
    return sources, created.stdout.strip().splitlines()[-1]


def subscribe_via_api(
    database_url: str, key: str, url: str, flt: dict[str, object]
) -> dict[str, object]:
    engine = make_engine(database_url)
    try:
        settings = Settings(
            database_url=database_url, allow_private_webhooks=True, webhook_ports="1024-65535"
        )
        response = TestClient(create_app(settings, engine)).post(
            "/api/subscriptions", headers={"X-API-Key": key}, json={"url": url, "filter": flt}
        )
        assert response.status_code == 201, response.text
        body: dict[str, object] = response.json()
        return body
    finally:
        engine.dispose()


def test_matching_new_roles_arrive_once_each_and_others_never(
    tmp_path: Path, empty_database_url: str
) -> None:
    with local_server() as board, local_server() as receiver:
        receiver.route("POST", "/tutors", Reply(200))
        receiver.route("POST", "/meta", Reply(200))
        sources, key = setup(tmp_path, empty_database_url, board)
        sub = subscribe_via_api(
            empty_database_url,
            key,
            receiver.base_url + "/tutors",
            {"companies": ["xAI"], "q": "tutor"},
        )
        subscribe_via_api(
            empty_database_url, key, receiver.base_url + "/meta", {"companies": ["Meta"]}
        )
        # The second scrape finds nothing new: nothing is sent again.
        for expected in ("1 attempted, 1 delivered", "0 attempted"):
            scraped = run_cli(
                ["scrape"], database_url=empty_database_url, sources=sources, extra_env=WEBHOOK_ENV
            )
            assert scraped.returncode == 0, scraped.stderr
            assert expected in scraped.stdout, scraped.stdout
        (request,) = receiver.requests
    assert request.path == "/tutors"
    payload = Webhook(str(sub["secret"])).verify(request.body, request.headers)
    assert payload["type"] == "posting.opened"
    assert payload["data"]["posting"]["title"] == "Video Game Tutor"
    assert payload["data"]["posting"]["company"] == "xAI"


def test_outage_then_recovery_and_sigkill_lose_nothing(
    tmp_path: Path, empty_database_url: str
) -> None:
    mode = {"answer": "down"}
    gate = threading.Event()
    hung = threading.Event()

    def receive(_request: Request) -> Reply:
        if mode["answer"] == "hang":
            hung.set()
            gate.wait(20)  # the sender is killed while it waits for this answer
        return Reply(503, "maintenance") if mode["answer"] == "down" else Reply(200)

    with local_server() as board, local_server() as receiver:
        receiver.route("POST", "/all", receive)
        sources, key = setup(tmp_path, empty_database_url, board)
        subscribe_via_api(empty_database_url, key, receiver.base_url + "/all", {})
        scraped = run_cli(
            ["scrape"], database_url=empty_database_url, sources=sources, extra_env=WEBHOOK_ENV
        )
        assert scraped.returncode == 0 and "4 to retry" in scraped.stdout, scraped.stdout
        for _ in range(2):  # still down
            out = run_cli(
                ["deliver", "--retry-now"], database_url=empty_database_url, extra_env=WEBHOOK_ENV
            )
            assert out.returncode == 0 and "4 to retry" in out.stdout, out.stdout

        mode["answer"] = "hang"
        env = {k: v for k, v in os.environ.items() if not k.startswith("TALENTFLOW_")}
        env.update(WEBHOOK_ENV, TALENTFLOW_DATABASE_URL=empty_database_url)
        process = subprocess.Popen(
            [*TALENTFLOW, "deliver", "--retry-now"],
            cwd=REPO,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            assert hung.wait(60), "the deliver process never reached the receiver"
            time.sleep(0.3)
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=20)
        finally:
            if process.poll() is None:
                process.kill()
        assert process.returncode == -signal.SIGKILL
        mode["answer"] = "up"
        gate.set()

        out = run_cli(
            ["deliver", "--retry-now"], database_url=empty_database_url, extra_env=WEBHOOK_ENV
        )
        assert out.returncode == 0, out.stderr
        engine = make_engine(empty_database_url)
        try:
            rows = deliveries(engine)
        finally:
            engine.dispose()
        seen = Counter(r.headers["webhook-id"] for r in receiver.requests)
    assert len(rows) == 4 and all(r.status == "delivered" for r in rows)
    # Every delivery reached the receiver: 3 refusals, maybe one killed try, then success.
    assert {r.msg_id for r in rows} == set(seen)
    assert all(3 <= seen[r.msg_id] <= 5 for r in rows)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_run_delivers_within_seconds_of_the_scrape(tmp_path: Path, empty_database_url: str) -> None:
    with local_server() as board, local_server() as receiver:
        receiver.route("POST", "/all", Reply(200))
        sources, key = setup(tmp_path, empty_database_url, board)
        subscribe_via_api(empty_database_url, key, receiver.base_url + "/all", {})
        env = {k: v for k, v in os.environ.items() if not k.startswith("TALENTFLOW_")}
        env.update(
            WEBHOOK_ENV,
            TALENTFLOW_DATABASE_URL=empty_database_url,
            TALENTFLOW_SOURCES=str(sources),
            TALENTFLOW_WEBHOOK_POLL_SECONDS="0.5",
        )
        process = subprocess.Popen(
            [*TALENTFLOW, "run", "--port", str(free_port())],
            cwd=REPO,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and len(receiver.requests) < 4:
                time.sleep(0.2)
        finally:
            process.terminate()
            process.wait(timeout=20)
        titles = sorted(json.loads(r.body)["data"]["posting"]["title"] for r in receiver.requests)
    assert len(titles) == 4 and "Video Game Tutor" in titles
