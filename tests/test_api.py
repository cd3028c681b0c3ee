"""The JSON API over data built through ingest: filters, pagination, errors."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from scrapers.models import BoardConfig, Pay
from service.app import create_app
from service.settings import Settings
from tests.conftest import at
from tests.lifecycle_helpers import fail, ingest, posting, snapshot

T0 = at("2026-11-01T08:00")
OTHER = BoardConfig(company="Anthropic", ats="greenhouse", token="anthropic")


@pytest.fixture
def client(engine: Engine) -> Iterator[TestClient]:
    ingest(
        engine,
        snapshot(
            posting(
                1,
                title="Video Game Tutor",
                workplace="remote",
                pay=Pay(min=45, max=100, currency="USD", period="hour"),
            ),
            posting(2, title="Member of Technical Staff, Omni"),
            posting(3, title="Office Manager", pay=None, workplace="hybrid"),
        ),
        T0,
    )
    ingest(
        engine,
        snapshot(
            posting(
                7,
                title="Research Engineer, Interpretability",
                pay=Pay(min=100000, max=120000, currency="GBP", period="year"),
            ),
            board=OTHER,
        ),
        T0 + timedelta(days=2),
    )
    # 1003 vanishes from two ok runs and closes.
    ingest(
        engine,
        snapshot(
            posting(
                1,
                title="Video Game Tutor",
                workplace="remote",
                pay=Pay(min=45, max=100, currency="USD", period="hour"),
            ),
            posting(2, title="Member of Technical Staff, Omni"),
        ),
        T0 + timedelta(days=3),
    )
    ingest(
        engine,
        snapshot(
            posting(
                1,
                title="Video Game Tutor",
                workplace="remote",
                pay=Pay(min=45, max=100, currency="USD", period="hour"),
            ),
            posting(2, title="Member of Technical Staff, Omni"),
        ),
        T0 + timedelta(days=4),
    )
    fail(engine, T0 + timedelta(days=5), "FetchError: HTTP 503", board=OTHER)
    with TestClient(create_app(Settings(), engine)) as test_client:
        yield test_client


def titles(response_json: dict[str, object]) -> list[str]:
    return sorted(p["title"] for p in response_json["items"])  # type: ignore[index, union-attr]


def test_health(client: TestClient) -> None:
    body = client.get("/api/health").json()
    assert body["status"] == "ok" and body["database"] in {"sqlite", "postgresql"}


def test_companies_count_open_roles(client: TestClient) -> None:
    items = {c["name"]: c for c in client.get("/api/companies").json()["items"]}
    assert items["xAI"]["open_roles"] == 2 and items["Anthropic"]["open_roles"] == 1
    assert items["xAI"]["boards"][0]["token"] == "xai"


def test_status_filters(client: TestClient) -> None:
    assert len(client.get("/api/postings").json()["items"]) == 3
    assert titles(client.get("/api/postings", params={"status": "closed"}).json()) == [
        "Office Manager"
    ]
    assert len(client.get("/api/postings", params={"status": "all"}).json()["items"]) == 4


def test_company_q_workplace_pay_since_filters(client: TestClient) -> None:
    get = client.get
    assert titles(get("/api/postings", params={"company": "anthropic"}).json()) == [
        "Research Engineer, Interpretability"
    ]
    both = get("/api/postings", params=[("company", "xAI"), ("company", "Anthropic")]).json()
    assert len(both["items"]) == 3
    assert titles(get("/api/postings", params={"q": "TUTOR"}).json()) == ["Video Game Tutor"]
    assert titles(get("/api/postings", params={"workplace": "remote"}).json()) == [
        "Video Game Tutor"
    ]
    # GBP 120,000 a year is about USD 158k; the tutor's hourly band tops out at 208k a year.
    assert titles(get("/api/postings", params={"min_annual_pay": 200000}).json()) == [
        "Member of Technical Staff, Omni",
        "Video Game Tutor",
    ]
    assert titles(get("/api/postings", params={"min_annual_pay": 150000}).json()) == [
        "Member of Technical Staff, Omni",
        "Research Engineer, Interpretability",
        "Video Game Tutor",
    ]
    assert titles(get("/api/postings", params={"since": "2026-11-02"}).json()) == [
        "Research Engineer, Interpretability"
    ]


def test_cursor_pagination_walks_everything_once(client: TestClient) -> None:
    seen: list[int] = []
    params: dict[str, object] = {"status": "all", "limit": 1}
    while True:
        body = client.get("/api/postings", params=params).json()
        seen.extend(p["id"] for p in body["items"])
        if body["next_cursor"] is None:
            break
        params["cursor"] = body["next_cursor"]
    assert len(seen) == 4 and len(set(seen)) == 4


def test_posting_detail_with_history(client: TestClient) -> None:
    closed = client.get("/api/postings", params={"status": "closed"}).json()["items"][0]
    detail = client.get(f"/api/postings/{closed['id']}").json()
    assert detail["status"] == "closed" and detail["closed_at"] == "2026-11-05T08:00:00Z"
    assert [(h["field"], h["new"]) for h in detail["history"]] == [("status", "closed")]
    assert client.get("/api/postings/999999").status_code == 404


def test_runs_show_failures(client: TestClient) -> None:
    runs = client.get("/api/runs").json()["items"]
    assert runs[0]["outcome"] == "failed" and "503" in runs[0]["error"]
    assert runs[0]["board"] == "greenhouse:anthropic"
    only_ok = client.get("/api/runs", params={"outcome": "ok"}).json()["items"]
    assert {r["outcome"] for r in only_ok} == {"ok"}


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/postings", {"limit": 0}),
        ("/api/postings", {"limit": 501}),
        ("/api/postings", {"limit": "many"}),
        ("/api/postings", {"status": "deleted"}),
        ("/api/postings", {"workplace": "moon"}),
        ("/api/postings", {"since": "last tuesday"}),
        ("/api/postings", {"min_annual_pay": -5}),
        ("/api/postings", {"min_annual_pay": "lots"}),
        ("/api/postings", {"cursor": "not-a-cursor"}),
        ("/api/postings", {"cursor": "aWQ6eA"}),
        ("/api/postings/abc", {}),
        ("/api/postings/0", {}),
        ("/api/postings/99999999999999999999999", {}),
        ("/api/runs", {"outcome": "great"}),
        ("/api/runs", {"cursor": "%%%"}),
    ],
)
def test_bad_parameters_are_422_with_json_detail(
    client: TestClient, path: str, params: dict[str, object]
) -> None:
    response = client.get(path, params=params)
    assert response.status_code == 422, response.text
    assert "detail" in response.json()


def test_openapi_docs_are_served(client: TestClient) -> None:
    assert client.get("/docs").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    assert {
        "/api/health",
        "/api/postings",
        "/api/postings/{posting_id}",
        "/api/runs",
        "/api/companies",
    } <= set(paths)


@pytest.mark.parametrize(
    "path",
    [
        "/api/postings?company=%00",
        "/api/runs?board=x%00",
        "/api/postings?q=%01abc",
        "/feeds/new-roles.atom?company=%01",
        "/api/companies/x%00/talent",
    ],
)
def test_control_characters_are_422_not_a_database_error(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"] == "control characters are not allowed"


def test_row_ids_beyond_any_row_are_422(client: TestClient) -> None:
    assert client.get(f"/api/postings/{2**70}").status_code == 422


def test_control_characters_in_board_text_are_not_stored(engine: Engine) -> None:
    ingest(
        engine,
        snapshot(
            posting(
                1,
                title="Research\x00 Engineer\x07",
                description="line one\x00\nline two",
                locations=("Paris\x1f",),
            )
        ),
        T0,
    )
    with TestClient(create_app(Settings(), engine)) as test_client:
        item = test_client.get("/api/postings").json()["items"][0]
        detail = test_client.get(f"/api/postings/{item['id']}").json()
    assert item["title"] == "Research Engineer" and item["locations"] == ["Paris"]
    assert detail["description"] == "line one\nline two"


@pytest.mark.parametrize(
    "path",
    [
        "/api/hires?cursor=abc&cursor=",
        "/api/postings?limit=5&limit=10",
        "/api/runs?cursor=&cursor=",
        "/api/search?q=ml&q=ai",
        "/api/trends?interval=week&interval=month",
    ],
)
def test_a_one_value_parameter_given_twice_is_422(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 422, response.text
    name = path.split("?")[1].split("=")[0]
    assert response.json()["detail"][0]["loc"] == ["query", name]
