"""``/api/subscriptions``: keys required, validation with clear 422s, the secret shown once,
delete, the delivery log and replay."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from service.app import create_app
from service.settings import Settings
from store.engine import session_scope
from store.keys import create_key
from tests.conftest import at
from tests.e2e_helpers import Reply, local_server
from tests.webhook_helpers import deliveries, dispatcher, emit_posting

HOOK = "http://127.0.0.1:8080/hook"


@pytest.fixture
def client(engine: Engine) -> TestClient:
    # Default ports: 80, 443 and 8000-9999.
    return TestClient(create_app(Settings(allow_private_webhooks=True), engine))


@pytest.fixture
def key(engine: Engine) -> dict[str, str]:
    with session_scope(engine) as session:
        _, plaintext = create_key(session, "api")
    return {"X-API-Key": plaintext}


def create(client: TestClient, key: dict[str, str], **body: Any) -> dict[str, Any]:
    response = client.post("/api/subscriptions", headers=key, json={"url": HOOK, **body})
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


def test_every_route_needs_a_key(client: TestClient) -> None:
    for method, path in [
        ("POST", "/api/subscriptions"),
        ("GET", "/api/subscriptions"),
        ("DELETE", "/api/subscriptions/1"),
        ("GET", "/api/subscriptions/1/deliveries"),
        ("POST", "/api/subscriptions/1/replay?since=2026-11-01T00:00:00"),
    ]:
        assert client.request(method, path, json={"url": HOOK}).status_code == 401
        bad = client.request(method, path, json={"url": HOOK}, headers={"X-API-Key": "tfk_x"})
        assert bad.status_code == 403 and "detail" in bad.json()


def test_create_returns_the_secret_once(client: TestClient, key: dict[str, str]) -> None:
    body = {
        "events": ["posting.opened", "hire.announced"],
        "format": "slack",
        "filter": {
            "companies": ["xAI"],
            "topics": ["games"],
            "q": "tutor",
            "min_annual_pay": 100000,
            "workplace": "remote",
        },
    }
    created = create(client, key, **body)
    assert created["secret"].startswith("whsec_") and created["id"] > 0
    assert created["filter"] == body["filter"] and created["status"] == "active"
    assert created["events"] == body["events"] and created["format"] == "slack"
    listed = client.get("/api/subscriptions", headers=key).json()["items"]
    assert [s["id"] for s in listed] == [created["id"]]
    assert "secret" not in listed[0]
    shown = client.get(f"/api/subscriptions/{created['id']}", headers=key).json()
    assert "secret" not in shown and shown["url"] == HOOK


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ({"url": "http://hooks.example.com/" + "a" * 2048}, "url"),
        ({"url": HOOK, "events": ["posting.deleted"]}, "events"),
        ({"url": HOOK, "events": []}, "events"),
        ({"url": HOOK, "filter": {"salary": 5}}, "filter"),
        ({"url": HOOK, "filter": {"workplace": "moon"}}, "filter"),
        ({"url": HOOK, "filter": {"min_annual_pay": -1}}, "filter"),
        ({"url": HOOK, "filter": {"companies": "xAI"}}, "filter"),
        ({"url": HOOK, "format": "xml"}, "format"),
        ({"url": HOOK, "colour": "red"}, "colour"),
        ({}, "url"),
    ],
)
def test_bad_bodies_are_422_naming_the_field(
    client: TestClient, key: dict[str, str], body: dict[str, Any], where: str
) -> None:
    response = client.post("/api/subscriptions", headers=key, json=body)
    assert response.status_code == 422
    assert where in str(response.json()["detail"])


@pytest.mark.parametrize(
    "url",
    [
        "ftp://hooks.example.com/x",
        "http://127.0.0.1:22/x",
        "not a url",
        "http://user:pw@127.0.0.1:8080/",
    ],
)
def test_unusable_urls_are_422(client: TestClient, key: dict[str, str], url: str) -> None:
    response = client.post("/api/subscriptions", headers=key, json={"url": url})
    assert response.status_code == 422 and "url refused" in response.json()["detail"]


def test_delete_removes_it_and_its_log(
    client: TestClient, key: dict[str, str], engine: Engine
) -> None:
    created = create(client, key)
    emit_posting(engine, at("2026-11-24T08:00"))
    assert len(deliveries(engine)) == 1
    assert client.delete(f"/api/subscriptions/{created['id']}", headers=key).status_code == 204
    assert deliveries(engine) == []
    assert client.delete(f"/api/subscriptions/{created['id']}", headers=key).status_code == 404
    assert (
        client.get(f"/api/subscriptions/{created['id']}/deliveries", headers=key).status_code == 404
    )
    assert client.delete("/api/subscriptions/abc", headers=key).status_code == 422


def test_delivery_log_shows_every_attempt_and_replay_resends(
    engine: Engine, key: dict[str, str]
) -> None:
    answers = iter([503, 200, 200, 200])
    with local_server() as receiver:
        receiver.route("POST", "/hook", lambda _r: Reply(next(answers), "down"))
        settings = Settings(allow_private_webhooks=True, webhook_ports="1-65535")
        client = TestClient(create_app(settings, engine))
        created = client.post(
            "/api/subscriptions", headers=key, json={"url": receiver.base_url + "/hook"}
        ).json()
        emit_posting(engine, at("2026-11-24T08:00"), 1)
        emit_posting(engine, at("2026-11-24T09:00"), 2)
        asyncio.run(dispatcher(engine, webhook_concurrency=1).run_pass())
        asyncio.run(dispatcher(engine).run_pass(retry_now=True))
        log = client.get(f"/api/subscriptions/{created['id']}/deliveries", headers=key).json()
        assert [d["status"] for d in log["items"]] == ["delivered", "delivered"]
        first = log["items"][-1]  # newest first
        assert [a["status_code"] for a in first["attempts"]] == [503, 200]
        assert first["attempts"][0]["error"] == "HTTP 503: down"
        assert first["attempts"][0]["latency_ms"] >= 0 and first["attempts"][0]["at"]
        assert first["webhook_id"].startswith("msg_")

        page = client.get(
            f"/api/subscriptions/{created['id']}/deliveries?limit=1", headers=key
        ).json()
        assert len(page["items"]) == 1 and page["next_cursor"]
        rest = client.get(
            f"/api/subscriptions/{created['id']}/deliveries?limit=1&cursor={page['next_cursor']}",
            headers=key,
        ).json()
        assert rest["items"][0]["id"] == first["id"] and rest["next_cursor"] is None
        assert (
            client.get(
                f"/api/subscriptions/{created['id']}/deliveries?cursor=zzz", headers=key
            ).status_code
            == 422
        )

        replayed = client.post(
            f"/api/subscriptions/{created['id']}/replay",
            params={"since": "2026-11-24T08:30:00Z"},
            headers=key,
        )
        assert replayed.status_code == 202 and replayed.json() == {"replayed": 1}
        assert (
            client.post(
                f"/api/subscriptions/{created['id']}/replay",
                params={"since": "yesterday"},
                headers=key,
            ).status_code
            == 422
        )
        asyncio.run(dispatcher(engine).run_pass())
        ids = [r.headers["webhook-id"] for r in receiver.requests]
    assert len(ids) == 4 and len(set(ids)) == 3  # one retry, then a replay with a new id
