"""End to end: a Greenhouse-shaped server on 127.0.0.1, the real `talentflow scrape`, the API."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from service.app import create_app
from service.settings import Settings
from tests.conftest import load_fixture
from tests.e2e_helpers import LocalServer, Reply, local_server, run_cli
from tests.scraper_helpers import CONTRACT_KEYS, PAY_KEYS


def watchlist(tmp_path: Path, server: LocalServer) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(
        "[defaults]\ninterval_minutes = 60\n\n"
        '[[companies]]\nname = "xAI"\n'
        f'boards = [ {{ ats = "greenhouse", token = "xai", api_base = "{server.base_url}" }} ]\n'
    )
    return path


def api(url: str) -> TestClient:
    return TestClient(create_app(Settings(database_url=url)))


def scrape(url: str, sources: Path) -> str:
    result = run_cli(["scrape"], database_url=url, sources=sources)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_scrape_then_read_back_through_the_api(tmp_path: Path, empty_database_url: str) -> None:
    url = empty_database_url
    upgraded = run_cli(["db", "upgrade"], database_url=url)
    assert upgraded.returncode == 0, upgraded.stderr
    with local_server() as server:
        server.route(
            "GET",
            "/v1/boards/xai/jobs",
            Reply(body=json.dumps(load_fixture("greenhouse", "xai_jobs.json"))),
        )
        output = scrape(url, watchlist(tmp_path, server))
        query = server.requests[0].query
        assert query["content"] == ["true"] and query["pay_transparency"] == ["true"]
        assert server.requests[0].headers["user-agent"].startswith("talentflow/")
    assert "ok" in output

    client = api(url)
    body = client.get("/api/postings", params={"limit": 10}).json()
    assert body["next_cursor"] is None and len(body["items"]) == 4
    by_id = {p["external_id"]: p for p in body["items"]}
    omni = by_id["4567890"]
    assert set(omni) >= CONTRACT_KEYS
    assert set(omni["pay"]) == PAY_KEYS
    expected: dict[str, Any] = {
        "company": "xAI",
        "ats": "greenhouse",
        "external_id": "4567890",
        "title": "Member of Technical Staff, Omni",
        "team": "Omni",
        "department": "Research",
        "locations": ["Palo Alto, CA"],
        "workplace": "onsite",
        "employment_type": "full_time",
        "pay": {
            "min": 180000,
            "max": 440000,
            "currency": "USD",
            "period": "year",
            "annual_min": 180000,
            "annual_max": 440000,
            "annual_min_usd": 180000,
            "annual_max_usd": 440000,
            "source": "structured",
        },
        "url": "https://job-boards.greenhouse.io/xai/jobs/4567890",
        "posted_at": "2026-10-01T12:00:00Z",
        "closed_at": None,
        "status": "open",
    }
    assert {k: omni[k] for k in expected} == expected
    assert omni["first_seen_at"].endswith("Z") and omni["last_seen_at"].endswith("Z")
    tutor = by_id["4567891"]
    assert tutor["pay"]["period"] == "hour" and tutor["pay"]["annual_min"] == 45 * 2080
    assert tutor["workplace"] == "remote" and tutor["employment_type"] == "part_time"

    detail = client.get(f"/api/postings/{omni['id']}").json()
    assert detail["history"] == [] and "Omni team" in detail["description"]
    runs = client.get("/api/runs").json()["items"]
    assert runs[0]["outcome"] == "ok" and runs[0]["counts"]["new"] == 4
    companies = client.get("/api/companies").json()["items"]
    assert companies == [{"name": "xAI", "open_roles": 4, "boards": companies[0]["boards"]}]


def test_failures_are_recorded_and_close_nothing(tmp_path: Path, empty_database_url: str) -> None:
    url = empty_database_url
    assert run_cli(["db", "upgrade"], database_url=url).returncode == 0
    jobs = load_fixture("greenhouse", "xai_jobs.json")
    with local_server() as server:
        sources = watchlist(tmp_path, server)
        server.route("GET", "/v1/boards/xai/jobs", Reply(body=json.dumps(jobs)))
        scrape(url, sources)
        # Every kind of bad answer, twice each: more than enough to close anything if trusted.
        bad = [
            Reply(503, "unavailable"),
            Reply(200, '{"jobs": [{"id": 1'),
            Reply(200, "<html>login</html>", content_type="text/html"),
            Reply(404, '{"status":404,"error":"Job not found"}'),
            Reply(200, json.dumps({"jobs": [], "meta": {"total": 0}})),
        ]
        for reply in bad * 2:
            server.route("GET", "/v1/boards/xai/jobs", reply)
            scrape(url, sources)
    client = api(url)
    assert len(client.get("/api/postings").json()["items"]) == 4
    assert client.get("/api/postings", params={"status": "closed"}).json()["items"] == []
    outcomes = [r["outcome"] for r in client.get("/api/runs", params={"limit": 20}).json()["items"]]
    assert outcomes.count("failed") == 8 and outcomes.count("ok") == 3
    failed = client.get("/api/runs", params={"outcome": "failed"}).json()["items"]
    assert any("503" in (r["error"] or "") for r in failed)
    assert any("404" in (r["error"] or "") for r in failed)


def test_vanished_posting_closes_after_two_runs_end_to_end(
    tmp_path: Path, empty_database_url: str
) -> None:
    url = empty_database_url
    assert run_cli(["db", "upgrade"], database_url=url).returncode == 0
    jobs = load_fixture("greenhouse", "xai_jobs.json")
    fewer = {"jobs": jobs["jobs"][1:], "meta": {"total": 3}}
    with local_server() as server:
        sources = watchlist(tmp_path, server)
        server.route("GET", "/v1/boards/xai/jobs", Reply(body=json.dumps(jobs)))
        scrape(url, sources)
        server.route("GET", "/v1/boards/xai/jobs", Reply(body=json.dumps(fewer)))
        scrape(url, sources)
        assert api(url).get("/api/postings", params={"status": "closed"}).json()["items"] == []
        scrape(url, sources)
    closed = api(url).get("/api/postings", params={"status": "closed"}).json()["items"]
    assert [p["external_id"] for p in closed] == ["4567890"]
    history = api(url).get(f"/api/postings/{closed[0]['id']}").json()["history"]
    assert [(h["field"], h["old"], h["new"]) for h in history] == [("status", "open", "closed")]


def test_bad_config_is_refused_with_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "sources.toml"
    path.write_text('[[companies]]\nname = "x"\nboards = [ { ats = "nope", token = "x" } ]\n')
    result = run_cli(["scrape"], database_url=f"sqlite:///{tmp_path / 'db.sqlite'}", sources=path)
    assert result.returncode != 0
    assert f"{path}:3:" in " ".join(result.stderr.split()) or f"{path}:3:" in result.stderr


def test_unreachable_database_is_a_nonzero_exit(tmp_path: Path) -> None:
    path = tmp_path / "sources.toml"
    path.write_text('[[companies]]\nname = "x"\nboards = [ { ats = "greenhouse", token = "x" } ]\n')
    result = run_cli(
        ["scrape"], database_url="postgresql+psycopg://nobody@127.0.0.1:1/none", sources=path
    )
    assert result.returncode == 1
    assert "cannot reach the database" in result.stderr
