"""A small seeded database and one real call of every JSON route, for the contract tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from service.app import create_app
from service.settings import Settings
from store.keys import create_key
from tests.company_helpers import seed_companies
from tests.conftest import at
from tests.discover_helpers import FakeWeb
from tests.test_discover_api import fake_resolver

NOW = at("2026-11-20T08:00")


@dataclass
class Call:
    method: str
    path: str
    template: str  # the route's path as OpenAPI names it
    status: int
    body: Any


@contextmanager
def seeded_client(engine: Engine) -> Iterator[tuple[TestClient, dict[str, str]]]:
    seed_companies(engine, NOW)
    with Session(engine) as session:
        _, plaintext = create_key(session, "contract")
        session.commit()
    app = create_app(Settings(allow_private_webhooks=True, http_retries=0), engine)
    app.state.discover_transport = FakeWeb().greenhouse("figureai").transport
    app.state.discover_resolver = fake_resolver
    with TestClient(app) as client:
        yield client, {"X-API-Key": plaintext}


def every_route(client: TestClient, key: dict[str, str]) -> list[Call]:
    """One answered request per JSON route (200/201/202), made in an order that gives each
    route something to show."""
    calls: list[Call] = []

    def call(method: str, path: str, template: str, **kw: Any) -> Any:
        response = client.request(method, path, headers=key, **kw)
        assert response.status_code < 300, (path, response.status_code, response.text)
        body = response.json() if response.content else None
        calls.append(Call(method, path, template, response.status_code, body))
        return body

    call("GET", "/api/health", "/api/health")
    call("GET", "/api/rates", "/api/rates")
    call("GET", "/api/companies", "/api/companies")
    call("GET", "/api/companies/Acme%20Robotics", "/api/companies/{name}")
    call("GET", "/api/companies/Acme%20Robotics/talent", "/api/companies/{name}/talent")
    page = call("GET", "/api/postings?status=all&limit=2", "/api/postings")
    call("GET", f"/api/postings?status=all&limit=2&cursor={page['next_cursor']}", "/api/postings")
    first = page["items"][0]["id"]
    call("GET", f"/api/postings/{first}", "/api/postings/{posting_id}")
    call("GET", "/api/search?q=robotics&status=all", "/api/search")
    call("GET", "/api/trends?group=company&interval=month", "/api/trends")
    call("GET", "/api/pay?group=company", "/api/pay")
    call("GET", "/api/runs?limit=5", "/api/runs")
    call("GET", "/api/runs/boards/greenhouse:attlabs", "/api/runs/boards/{key}")
    call("GET", "/api/hires", "/api/hires")
    call("GET", "/api/flows", "/api/flows")
    call(
        "POST",
        "/api/hires",
        "/api/hires",
        json={
            "person": "Cy Example",
            "to_company": "Google DeepMind",
            "from_company": "Acme Robotics",
            "role": "Research scientist",
            "announced_at": "2026-11-18",
            "source_url": "https://news.example.com/cy",
        },
    )
    sub = call(
        "POST",
        "/api/subscriptions",
        "/api/subscriptions",
        json={
            "url": "http://127.0.0.1:8080/hook",
            "events": ["posting.opened", "hire.announced"],
            "filter": {"companies": ["Acme Robotics"]},
        },
    )
    call("GET", "/api/subscriptions", "/api/subscriptions")
    call("GET", f"/api/subscriptions/{sub['id']}", "/api/subscriptions/{subscription_id}")
    call(
        "POST",
        f"/api/subscriptions/{sub['id']}/replay?since=2026-01-01T00:00:00",
        "/api/subscriptions/{subscription_id}/replay",
    )
    call(
        "GET",
        f"/api/subscriptions/{sub['id']}/deliveries",
        "/api/subscriptions/{subscription_id}/deliveries",
    )
    call("POST", "/api/sources/discover", "/api/sources/discover", json={"query": "Figure AI"})
    call("DELETE", f"/api/subscriptions/{sub['id']}", "/api/subscriptions/{subscription_id}")
    return calls
