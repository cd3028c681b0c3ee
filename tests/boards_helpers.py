"""Helpers shared by the Workable, Recruitee, Personio, JSON-LD and Hacker News tests."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import httpx
from fastapi.testclient import TestClient

from scrapers.models import NormalizedPosting
from scrapers.sources import hackernews, personio, recruitee, workable
from service.app import create_app
from service.settings import Settings
from tests.e2e_helpers import LocalServer, run_cli
from tests.scraper_helpers import CONTRACT_KEYS, PAY_KEYS, Handler


def routes(
    table: Mapping[str, httpx.Response | Callable[[httpx.Request], httpx.Response]],
    seen: list[httpx.Request] | None = None,
) -> Handler:
    """A MockTransport handler answering by URL path (404 for anything else)."""

    def handler(request: httpx.Request) -> httpx.Response:
        if seen is not None:
            seen.append(request)
        answer = table.get(request.url.path)
        if answer is None:
            return httpx.Response(404, text="not found")
        return answer(request) if callable(answer) else answer

    return handler


def scrape_through_cli(
    tmp_path: Path, database_url: str, server: LocalServer, company: str, board: str
) -> list[dict[str, Any]]:
    """`db upgrade`, then `scrape` with a one-board watchlist; the open postings via the API."""
    sources = tmp_path / "sources.toml"
    sources.write_text(f'[[companies]]\nname = "{company}"\nboards = [ {board} ]\n')
    upgraded = run_cli(["db", "upgrade"], database_url=database_url)
    assert upgraded.returncode == 0, upgraded.stdout + upgraded.stderr
    scraped = run_cli(["scrape"], database_url=database_url, sources=sources)
    assert scraped.returncode == 0, scraped.stdout + scraped.stderr
    client = TestClient(create_app(Settings(database_url=database_url)))
    body = client.get("/api/postings", params={"limit": 100}).json()
    assert body["next_cursor"] is None
    runs = client.get("/api/runs").json()["items"]
    assert runs and runs[0]["outcome"] == "ok", runs
    for posting in body["items"]:
        assert set(posting) >= CONTRACT_KEYS
        assert posting["pay"] is None or set(posting["pay"]) >= PAY_KEYS
    return list(body["items"])


def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


# Parsers of one shared sample file per kind, for tests/test_conformance.py. The Hacker News
# samples are single items: comments and job ads parse, a story yields no posting.
SAMPLE_PARSERS: dict[str, Callable[[Path], list[NormalizedPosting]]] = {
    "workable": lambda path: workable.parse_account(_json(path)),
    "recruitee": lambda path: recruitee.parse_offers(_json(path)),
    "personio": lambda path: personio.parse_feed(path.read_bytes()),
    "hackernews": lambda path: hackernews.parse_item(_json(path)),
}
