"""Helpers shared by the Lever, Ashby, Workday and SmartRecruiters tests."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
from fastapi.testclient import TestClient

from scrapers.models import NormalizedPosting
from scrapers.sources import ashby, lever, smartrecruiters, workday
from service.app import create_app
from service.settings import Settings
from tests.e2e_helpers import LocalServer, run_cli
from tests.scraper_helpers import CONTRACT_KEYS, PAY_KEYS


def json_response(body: Any, status: int = 200) -> httpx.Response:
    return httpx.Response(
        status, text=json.dumps(body), headers={"Content-Type": "application/json"}
    )


def write_sources(tmp_path: Path, company: str, board: str) -> Path:
    """A one-board ``sources.toml``; ``board`` is the inline table's body."""
    path = tmp_path / "sources.toml"
    path.write_text(
        "[defaults]\ninterval_minutes = 60\n\n"
        f'[[companies]]\nname = "{company}"\nboards = [ {{ {board} }} ]\n'
    )
    return path


def scrape_through_cli(url: str, sources: Path, *, upgrade: bool = True) -> None:
    """``talentflow db upgrade`` then ``talentflow scrape``, both through the real command."""
    if upgrade:
        upgraded = run_cli(["db", "upgrade"], database_url=url)
        assert upgraded.returncode == 0, upgraded.stdout + upgraded.stderr
    scraped = run_cli(["scrape"], database_url=url, sources=sources)
    assert scraped.returncode == 0, scraped.stdout + scraped.stderr


def read_postings(url: str) -> dict[str, dict[str, Any]]:
    """Every open posting from the API, by external id, each checked for the contract's keys."""
    client = TestClient(create_app(Settings(database_url=url)))
    body = client.get("/api/postings", params={"limit": 100}).json()
    items = {item["external_id"]: item for item in body["items"]}
    for item in items.values():
        assert set(item) >= CONTRACT_KEYS
        assert item["pay"] is None or set(item["pay"]) == PAY_KEYS
    return items


def runs(url: str) -> list[dict[str, Any]]:
    client = TestClient(create_app(Settings(database_url=url)))
    return list(client.get("/api/runs").json()["items"])


def subset(item: dict[str, Any], expected: dict[str, Any]) -> dict[str, Any]:
    """The fields of ``item`` named in ``expected``, for one whole-dict comparison."""
    return {key: item.get(key) for key in expected}


def server_requests(server: LocalServer, method: str, path: str) -> int:
    return sum(1 for r in server.requests if r.method == method and r.path == path)


def _sample_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def parse_lever_sample(path: Path) -> list[NormalizedPosting]:
    return lever.parse_postings(_sample_json(path))


def parse_ashby_sample(path: Path) -> list[NormalizedPosting]:
    return ashby.parse_board(_sample_json(path))


# The samples do not name the career site of list pages; any site gives the same fields.
SAMPLE_SITE = workday.Site(
    origin="https://tenant.wd1.myworkdayjobs.com", tenant="tenant", site="External"
)


def parse_workday_sample(path: Path) -> list[NormalizedPosting]:
    """A detail body (``jobPostingInfo``) or a ``/jobs`` list page."""
    data = _sample_json(path)
    if isinstance(data, dict) and "jobPostingInfo" in data:
        info = data["jobPostingInfo"]
        site = workday.parse_board_url(info["externalUrl"])
        row = {
            "title": info.get("title"),
            "externalPath": urlsplit(info["externalUrl"]).path.removeprefix(f"/{site.site}"),
        }
        return [workday.parse_detail(data, row, site)]
    _, rows, _ = workday.parse_page(data)
    return [workday.list_posting(row, SAMPLE_SITE) for row in rows]


def parse_smartrecruiters_sample(path: Path) -> list[NormalizedPosting]:
    _, items = smartrecruiters.parse_page(_sample_json(path))
    return [smartrecruiters.parse_posting(item) for item in items]


SAMPLE_PARSERS: dict[str, Callable[[Path], list[NormalizedPosting]]] = {
    "lever": parse_lever_sample,
    "ashby": parse_ashby_sample,
    "workday": parse_workday_sample,
    "smartrecruiters": parse_smartrecruiters_sample,
}
