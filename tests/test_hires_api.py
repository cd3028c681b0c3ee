"""The hires API: listing, flows, manual entry with an API key, and the company talent view."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from service.app import create_app
from service.settings import Settings
from store.keys import create_key
from store.models import Event, Hire


@pytest.fixture
def client(engine: Engine) -> TestClient:
    return TestClient(create_app(Settings(sources="/nonexistent.toml"), engine))  # type: ignore[arg-type]


@pytest.fixture
def key(engine: Engine) -> dict[str, str]:
    with Session(engine) as session:
        _, plaintext = create_key(session, "analyst")
        session.commit()
    return {"X-API-Key": plaintext}


def post(client: TestClient, key: dict[str, str], **body: Any) -> Any:
    return client.post("/api/hires", json=body, headers=key)


def test_post_needs_a_valid_key(client: TestClient) -> None:
    body = {"person": "Ethan He", "to_company": "xAI"}
    assert client.post("/api/hires", json=body).status_code == 401
    assert (
        client.post("/api/hires", json=body, headers={"X-API-Key": "tfk_wrong"}).status_code == 403
    )


def test_post_resolves_aliases_dedupes_and_writes_the_event(
    client: TestClient, key: dict[str, str], engine: Engine
) -> None:
    response = post(
        client,
        key,
        person="Ethan He",
        to_company="X.AI",
        from_company="Nvidia",
        role="world models",
        announced_at="2026-11-02",
        source_url="https://news.example.com/a",
    )
    assert response.status_code == 201, response.text
    hire = response.json()
    assert (hire["to_company"], hire["from_company"], hire["origin"]) == ("xAI", "NVIDIA", "manual")
    assert hire["announced_at"] == "2026-11-02T00:00:00Z"
    again = post(
        client, key, person="Ethan He", to_company="xAI", announced_at="2026-11-10T12:00:00Z"
    )
    assert again.status_code == 200 and again.json()["id"] == hire["id"]
    assert again.json()["reports"] == 2 and again.json()["created"] is False
    with Session(engine) as session:
        assert len(session.exec(select(Hire)).all()) == 1
        (event,) = session.exec(select(Event)).all()
        assert (event.type, event.hire_id) == ("hire.announced", hire["id"])


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"to_company": "xAI"}, "person"),
        ({"person": "Ethan He"}, "to_company"),
        ({"person": "   ", "to_company": "xAI"}, "person"),
        ({"person": "Ethan He", "to_company": "xAI", "announced_at": "yesterday"}, "announced_at"),
        ({"person": "Ethan He", "to_company": "xAI", "source_url": "not a url"}, "source_url"),
        ({"person": "Ethan He", "to_company": "xAI", "from_company": "X.AI"}, "from_company"),
    ],
)
def test_bad_bodies_are_422_naming_the_field(
    client: TestClient, key: dict[str, str], body: dict[str, Any], field: str
) -> None:
    response = client.post("/api/hires", json=body, headers=key)
    assert response.status_code == 422
    assert field in str(response.json()["detail"])


def test_list_and_flows_with_filters(client: TestClient, key: dict[str, str]) -> None:
    for person, to, frm, day in [
        ("Zeeshan Patel", "xAI", "NVIDIA", "2026-10-01"),
        ("Ethan He", "xAI", "Nvidia", "2026-10-02"),
        ("Jane Smith", "OpenAI", "DeepMind", "2026-11-05"),
        ("Chris Olah", "Anthropic", None, "2026-11-06"),
    ]:
        assert (
            post(
                client, key, person=person, to_company=to, from_company=frm, announced_at=day
            ).status_code
            == 201
        )
    items = client.get("/api/hires").json()["items"]
    assert [h["person"] for h in items] == ["Chris Olah", "Jane Smith", "Ethan He", "Zeeshan Patel"]
    nvidia = client.get("/api/hires", params={"company": "NVIDIA"}).json()
    assert {h["person"] for h in nvidia["items"]} == {"Ethan He", "Zeeshan Patel"}
    assert nvidia["next_cursor"] is None
    since = client.get("/api/hires", params={"since": "2026-11-01"}).json()["items"]
    assert [h["person"] for h in since] == ["Chris Olah", "Jane Smith"]
    page = client.get("/api/hires", params={"limit": 3}).json()
    rest = client.get("/api/hires", params={"cursor": page["next_cursor"]}).json()
    assert [h["person"] for h in rest["items"]] == ["Zeeshan Patel"]
    assert client.get("/api/flows").json() == {
        "edges": [
            {"from": "NVIDIA", "to": "xAI", "count": 2},
            {"from": "Google DeepMind", "to": "OpenAI", "count": 1},
        ]
    }
    ranged = client.get("/api/flows", params={"since": "2026-10-02", "until": "2026-10-31"})
    assert ranged.json() == {"edges": [{"from": "NVIDIA", "to": "xAI", "count": 1}]}


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/hires", {"since": "not-a-date"}),
        ("/api/hires", {"cursor": "bogus"}),
        ("/api/hires", {"limit": "0"}),
        ("/api/hires", {"limit": "501"}),
        ("/api/flows", {"since": "2026-11-02", "until": "2026-11-01"}),
        ("/api/flows", {"until": "13/13/2026"}),
    ],
)
def test_bad_parameters_are_422(client: TestClient, path: str, params: dict[str, str]) -> None:
    assert client.get(path, params=params).status_code == 422


def test_company_talent_view(client: TestClient, key: dict[str, str]) -> None:
    post(
        client,
        key,
        person="Zeeshan Patel",
        to_company="xAI",
        from_company="NVIDIA",
        role="world models researcher",
    )
    view = client.get("/api/companies/X.AI/talent").json()
    assert view["company"] == "xAI"
    assert [h["hire"]["person"] for h in view["hires"]] == ["Zeeshan Patel"]
    assert view["hires"][0]["open_roles"] == []  # no postings stored in this test


def test_control_characters_in_a_posted_hire_are_dropped(
    client: TestClient, key: dict[str, str]
) -> None:
    response = post(
        client,
        key,
        person="Ada\x00 Lovelace",
        to_company="xAI",
        evidence="joined\x00 xAI",
        announced_at="2026-11-02",
    )
    assert response.status_code == 201, response.text
    assert response.json()["person"] == "Ada Lovelace"
    assert response.json()["evidence"] == "joined xAI"
