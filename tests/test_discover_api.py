"""POST /api/sources/discover and the dashboard form: key needed, SSRF guard, 422s."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from service.app import create_app
from service.settings import Settings
from store.keys import create_key
from tests.discover_helpers import FakeWeb, northwind

PUBLIC = "93.184.216.34"
# Names the fake DNS resolves to non-public addresses.
PRIVATE_NAMES = {
    "intranet.corp": "10.0.0.5",
    "metadata.internal": "169.254.169.254",
    "localhost": "127.0.0.1",
}


async def fake_resolver(host: str, port: int) -> list[str]:
    return [PRIVATE_NAMES.get(host.rstrip("."), PUBLIC)]


def make_client(engine: Engine, web: FakeWeb, **settings: Any) -> TestClient:
    app = create_app(
        Settings(
            sources="/nonexistent.toml",
            http_retries=0,  # type: ignore[arg-type]
            **settings,
        ),
        engine,
    )
    app.state.discover_transport = web.transport
    app.state.discover_resolver = fake_resolver
    return TestClient(app)


@pytest.fixture
def web() -> FakeWeb:
    return northwind(FakeWeb().greenhouse("figureai")).redirect(
        "jobs.example.org", "/", "http://10.0.0.7/admin"
    )


@pytest.fixture
def client(engine: Engine, web: FakeWeb) -> Iterator[TestClient]:
    with make_client(engine, web) as client:
        yield client


@pytest.fixture
def key(engine: Engine) -> dict[str, str]:
    with Session(engine) as session:
        _, plaintext = create_key(session, "scout")
        session.commit()
    return {"X-API-Key": plaintext}


def test_a_key_is_needed(client: TestClient, web: FakeWeb) -> None:
    body = {"query": "Figure AI"}
    assert client.post("/api/sources/discover", json=body).status_code == 401
    assert (
        client.post(
            "/api/sources/discover", json=body, headers={"X-API-Key": "tfk_wrong"}
        ).status_code
        == 403
    )
    assert web.requests == []


def test_discover_by_name(client: TestClient, key: dict[str, str], web: FakeWeb) -> None:
    response = client.post("/api/sources/discover", json={"query": "Figure AI"}, headers=key)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["found"] is True and body["company"] == "Figure AI"
    (best,) = body["candidates"]
    assert {k: best[k] for k in ("rank", "ats", "token", "postings", "confidence", "via")} == {
        "rank": 1,
        "ats": "greenhouse",
        "token": "figureai",
        "postings": 4,
        "confidence": 0.6,
        "via": "name",
    }
    assert (
        best["add_command"]
        == body["add_command"]
        == "talentflow sources discover 'Figure AI' --add"
    )
    # Requests went out pinned to the checked address, named by the Host header.
    assert {r.url.host for r in web.requests} == {PUBLIC}


def test_discover_by_url(client: TestClient, key: dict[str, str]) -> None:
    response = client.post(
        "/api/sources/discover",
        headers=key,
        json={"url": "https://careers.northwind-dynamics.com/"},
    )
    body = response.json()
    assert response.status_code == 200, body
    assert [(c["ats"], c["token"]) for c in body["candidates"]] == [("greenhouse", "nwdynamics")]
    assert body["pages"] == ["https://careers.northwind-dynamics.com/"]


def test_not_found_is_a_clear_answer(client: TestClient, key: dict[str, str]) -> None:
    body = client.post("/api/sources/discover", json={"query": "Quiet Widgets"}, headers=key).json()
    assert (body["found"], body["candidates"], body["add_command"]) == (False, [], None)
    assert body["tried"] == 21


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/careers",
        "http://localhost./",
        "https://intranet.corp/jobs",
        "http://metadata.internal/latest/",
        "http://[::1]/",
        "http://2130706433/",
        "https://careers.northwind-dynamics.com:22/",
        "ftp://example.com/",
        "file:///etc/passwd",
    ],
)
def test_private_or_odd_urls_are_refused(
    client: TestClient, key: dict[str, str], web: FakeWeb, url: str
) -> None:
    response = client.post("/api/sources/discover", json={"url": url}, headers=key)
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["loc"] == ["body", "url"]
    assert web.requests == []


def test_a_url_in_query_is_checked_too(
    client: TestClient, key: dict[str, str], web: FakeWeb
) -> None:
    response = client.post("/api/sources/discover", json={"query": "http://10.1.2.3/"}, headers=key)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "query"]
    assert web.requests == []


def test_a_redirect_to_a_private_address_is_not_followed(
    client: TestClient, key: dict[str, str], web: FakeWeb
) -> None:
    body = client.post(
        "/api/sources/discover", json={"url": "https://jobs.example.org/"}, headers=key
    ).json()
    assert body["pages"] == [] and any("non-public address" in n for n in body["notes"])
    assert all(r.url.host != "10.0.0.7" for r in web.requests)


def test_private_addresses_allowed_by_setting(engine: Engine, key: dict[str, str]) -> None:
    html = '<a href="https://jobs.lever.co/localco">Jobs</a>'
    web = FakeWeb().text("127.0.0.1", "/careers", html).lever("localco")
    with make_client(engine, web, allow_private_discovery=True) as client:
        body = client.post(
            "/api/sources/discover", headers=key, json={"url": "http://127.0.0.1:8123/careers"}
        ).json()
    assert [(c["ats"], c["token"]) for c in body["candidates"]] == [("lever", "localco")]


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"query": ""},
        {"query": "   "},
        {"query": "x" * 201},
        {"url": "u" * 3000},
        {"query": 5},
        {"query": "Figure AI", "token": "x"},
        {"query": ["a"]},
    ],
)
def test_bad_bodies_are_422(client: TestClient, key: dict[str, str], body: Any) -> None:
    assert client.post("/api/sources/discover", json=body, headers=key).status_code == 422


# -- the dashboard form ---------------------------------------------------------------------------


def test_form_page_and_nav_link(client: TestClient, web: FakeWeb) -> None:
    page = client.get("/sources/discover")
    assert page.status_code == 200
    assert 'id="discover-form"' in page.text and '/sources/discover" aria-current' in page.text
    assert "discover-results" not in page.text and web.requests == []
    assert '/sources/discover" >Discover' in client.get("/runs").text


def test_form_shows_candidates_and_the_add_line(client: TestClient) -> None:
    page = client.get("/sources/discover", params={"q": "Figure AI"})
    assert page.status_code == 200
    assert "<code>figureai</code>" in page.text
    assert "talentflow sources discover &#39;Figure AI&#39; --add" in page.text
    none = client.get("/sources/discover", params={"q": "Quiet Widgets"})
    assert 'id="discover-none"' in none.text and "21 boards tried" in none.text


def test_form_refuses_private_urls_and_long_input(client: TestClient, web: FakeWeb) -> None:
    page = client.get("/sources/discover", params={"url": "http://127.0.0.1/"})
    assert page.status_code == 422 and "cannot be read from here" in page.text
    assert client.get("/sources/discover", params={"q": "x" * 300}).status_code == 422
    assert web.requests == []


def test_form_is_rate_limited(client: TestClient) -> None:
    codes = [
        client.get("/sources/discover", params={"q": "Figure AI"}).status_code for _ in range(11)
    ]
    assert codes == [200] * 10 + [429]


def test_guard_answers_refusals_without_raising() -> None:
    """The guard's 403 is what a probe sees; it is never retried as a transport error."""
    import asyncio

    from service.discover.guard import REFUSED_HEADER, GuardedTransport

    calls: list[httpx.Request] = []
    inner = httpx.MockTransport(lambda r: calls.append(r) or httpx.Response(200))

    async def go() -> httpx.Response:
        async with httpx.AsyncClient(
            transport=GuardedTransport(inner, resolver=fake_resolver)
        ) as c:
            return await c.get("https://intranet.corp/")

    response = asyncio.run(go())
    assert response.status_code == 403 and REFUSED_HEADER in response.headers
    assert calls == []

    async def public() -> httpx.Response:
        async with httpx.AsyncClient(
            transport=GuardedTransport(inner, resolver=fake_resolver)
        ) as c:
            return await c.get(
                "https://jobs.example.org/careers?x=1", headers={"User-Agent": "talentflow-test"}
            )

    assert asyncio.run(public()).status_code == 200
    (sent,) = calls
    assert str(sent.url) == f"https://{PUBLIC}/careers?x=1"
    assert sent.headers["host"] == "jobs.example.org"
    assert sent.headers["user-agent"] == "talentflow-test"
    assert sent.extensions["sni_hostname"] == "jobs.example.org"
