"""Hostile input on the JSON API: oversized numbers, cursors and URLs, non-finite numbers,
dates that are not ISO dates. Each is a 4xx with a JSON body, never a 500."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine
from sqlmodel import Session

from scrapers.enrich.topics import taxonomy_at
from service.api.guards import CONTROL_CHARACTERS, MAX_BODY_BYTES, MAX_URL_BYTES
from service.api.params import NOT_BLANK, parse_when
from service.app import create_app
from service.settings import Settings
from store.filters import CursorError, cursor_pattern, decode_cursor, encode_cursor
from store.keys import create_key
from tests.company_helpers import seed_companies
from tests.contract_helpers import NOW

THIRTY_DIGITS = "1" * 30


def strict_json(text: str) -> Any:
    """JSON as the standard defines it: no NaN or Infinity (Python's parser takes them)."""

    def refuse(token: str) -> None:
        raise ValueError(f"{token} is not JSON")

    return json.loads(text, parse_constant=refuse)


def b64(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


@pytest.fixture
def api(engine: Engine) -> Iterator[tuple[TestClient, dict[str, str]]]:
    seed_companies(engine, NOW)
    with Session(engine) as session:
        _, plaintext = create_key(session, "hostile")
        session.commit()
    app = create_app(Settings(allow_private_webhooks=True), engine)

    async def public(host: str, port: int) -> list[str]:
        return ["93.184.216.34"]

    app.state.webhook_resolver = public
    with TestClient(app) as client:
        yield client, {"X-API-Key": plaintext}


def assert_422_list(response: Any, where: str) -> list[dict[str, Any]]:
    assert response.status_code == 422, response.text
    detail = strict_json(response.text)["detail"]
    assert isinstance(detail, list) and detail, detail
    assert all({"loc", "msg", "type"} <= set(issue) for issue in detail), detail
    assert any(where in issue["loc"] for issue in detail), detail
    return detail


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("path", "cursor"),
    [
        ("/api/postings", b64("id:" + THIRTY_DIGITS)),
        ("/api/runs", b64("id:" + THIRTY_DIGITS)),
        ("/api/hires", b64("id:" + THIRTY_DIGITS)),
        ("/api/search?q=robot", b64("rank::" + THIRTY_DIGITS)),
        ("/api/search?q=robot", b64("rank:" + THIRTY_DIGITS)),  # the older spelling
        ("/api/postings", THIRTY_DIGITS),
    ],
)
def test_a_thirty_digit_cursor_is_422_with_json(
    api: tuple[TestClient, dict[str, str]], path: str, cursor: str
) -> None:
    client, _ = api
    separator = "&" if "?" in path else "?"
    detail = assert_422_list(client.get(f"{path}{separator}cursor={cursor}"), "cursor")
    assert "next_cursor" in detail[0]["msg"]


@pytest.mark.postgres
@pytest.mark.parametrize(
    "path",
    [
        f"/api/postings/{THIRTY_DIGITS}",
        f"/api/subscriptions/{THIRTY_DIGITS}",
        f"/api/subscriptions/{THIRTY_DIGITS}/deliveries",
        f"/api/postings/{2**31}",  # one past the largest 32-bit id
    ],
)
def test_a_thirty_digit_id_is_422_with_json(
    api: tuple[TestClient, dict[str, str]], path: str
) -> None:
    client, key = api
    assert_422_list(client.get(path, headers=key), "path")


@pytest.mark.postgres
def test_an_id_cursor_beyond_any_row_is_the_first_page(
    api: tuple[TestClient, dict[str, str]],
) -> None:
    client, _ = api
    first = client.get("/api/postings?status=all").json()["items"]
    beyond = client.get(f"/api/postings?status=all&cursor={encode_cursor(2**40)}")
    assert beyond.status_code == 200, beyond.text
    assert beyond.json()["items"] == first != []


@pytest.mark.postgres
@pytest.mark.parametrize("number", ["1e400", "-1e400", "NaN", "Infinity"])
def test_a_non_finite_pay_is_422_with_valid_json(
    api: tuple[TestClient, dict[str, str]], number: str
) -> None:
    client, key = api
    body = '{"url": "https://hooks.example.com/x", "filter": {"min_annual_pay": NUMBER}}'.replace(
        "NUMBER", number
    )
    response = client.post(
        "/api/subscriptions",
        content=body,
        headers={**key, "Content-Type": "application/json"},
    )
    detail = assert_422_list(response, "min_annual_pay")
    assert detail[0]["input"] in ("inf", "-inf", "nan")  # echoed as text, not as a bare token


def test_a_non_finite_pay_in_the_query_is_422(api: tuple[TestClient, dict[str, str]]) -> None:
    client, _ = api
    for number in ("1e400", "inf", "nan"):
        assert_422_list(client.get(f"/api/postings?min_annual_pay={number}"), "min_annual_pay")


def test_a_10_kb_url_is_414(api: tuple[TestClient, dict[str, str]]) -> None:
    client, _ = api
    response = client.get("/api/postings?q=" + "a" * (10 * 1024))
    assert response.status_code == 414
    assert str(MAX_URL_BYTES) in strict_json(response.text)["detail"]
    # Just inside the limit is answered normally (the q is too long for its own limit: 422).
    path = "/api/postings?q="
    inside = client.get(path + "a" * (MAX_URL_BYTES - len(path)))
    assert inside.status_code == 422


def test_a_body_over_the_limit_is_413(api: tuple[TestClient, dict[str, str]]) -> None:
    client, key = api
    before = client.get("/api/hires").json()["items"]
    body = json.dumps(
        {"person": "Ada Lovelace", "to_company": "xAI", "evidence": "x" * MAX_BODY_BYTES}
    )
    response = client.post(
        "/api/hires", content=body, headers={**key, "Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert "at most" in strict_json(response.text)["detail"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it is read
        yield body.encode()

    streamed = client.post(
        "/api/hires", content=chunks(), headers={**key, "Content-Type": "application/json"}
    )
    assert streamed.status_code == 413
    assert client.get("/api/hires").json()["items"] == before


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("path", "param"),
    [
        ("/api/postings?since=0", "since"),
        ("/api/postings?since=1700000000", "since"),
        ("/api/postings?since=2026-13-01", "since"),
        ("/api/postings?since=2026-02-30", "since"),
        ("/api/postings?since=20261101", "since"),
        ("/api/postings?since=1989-12-31", "since"),
        ("/api/hires?until=0", "until"),
        ("/api/flows?since=1700000000", "since"),
        ("/api/trends?since=0", "since"),
        ("/api/companies/Acme%20Robotics?until=0", "until"),
        ("/api/companies/Acme%20Robotics/talent?since=0", "since"),
    ],
)
def test_dates_that_are_not_iso_dates_are_422(
    api: tuple[TestClient, dict[str, str]], path: str, param: str
) -> None:
    client, _ = api
    assert_422_list(client.get(path), param)


def test_a_replay_since_is_an_iso_date_time(api: tuple[TestClient, dict[str, str]]) -> None:
    client, key = api
    sub = client.post(
        "/api/subscriptions", headers=key, json={"url": "https://hooks.example.com/x"}
    ).json()
    replay = f"/api/subscriptions/{sub['id']}/replay"
    assert_422_list(client.post(f"{replay}?since=0", headers=key), "since")
    assert_422_list(client.post(f"{replay}?since=1700000000", headers=key), "since")
    for since in (
        "2026-11-01",
        "2026-11-01T00:00:00",
        "2026-11-01T00:00:00Z",
        "2026-11-01T02:00:00%2B02:00",
    ):
        assert client.post(f"{replay}?since={since}", headers=key).status_code == 202, since


def test_iso_date_times_keep_their_instant() -> None:
    midnight = datetime(2026, 11, 1, tzinfo=UTC)
    assert parse_when("2026-11-01T02:00:00+02:00") == midnight
    assert parse_when("2026-11-01") == parse_when("2026-11-01T00:00:00") == midnight
    assert parse_when("2026-11-01").tzinfo is not None
    with pytest.raises(ValueError, match="ISO date"):
        parse_when(1700000000)


def test_a_date_time_given_for_a_date_is_its_utc_day(
    api: tuple[TestClient, dict[str, str]],
) -> None:
    client, _ = api
    by_day = client.get("/api/postings?status=all&since=2026-10-25").json()
    by_instant = client.get("/api/postings?status=all&since=2026-10-25T03:00:00%2B02:00").json()
    everything = client.get("/api/postings?status=all").json()
    assert by_instant == by_day
    assert 0 < len(by_day["items"]) < len(everything["items"])


@pytest.mark.postgres
def test_every_422_detail_is_a_list(api: tuple[TestClient, dict[str, str]]) -> None:
    client, key = api
    assert_422_list(client.get("/api/postings?limit=0"), "limit")
    assert_422_list(client.get("/api/search"), "q")
    assert_422_list(client.get("/api/postings?function=nonsense"), "function")
    assert_422_list(client.get("/api/hires?since=2026-11-02&until=2026-11-01"), "until")
    assert_422_list(client.get("/api/companies/x%00"), "path")
    assert_422_list(client.post("/api/hires", headers=key, content="{"), "body")
    assert_422_list(
        client.post("/api/hires", headers=key, json={"person": "\x00 ", "to_company": "xAI"}),
        "person",
    )
    detail = assert_422_list(client.post("/api/sources/discover", headers=key, json={}), "body")
    assert "query" in detail[0]["msg"]  # the exception in ctx is text, not {}
    assert all(isinstance(v, str) for v in detail[0].get("ctx", {}).values())


def test_405_names_every_method_of_the_path(api: tuple[TestClient, dict[str, str]]) -> None:
    client, _ = api
    response = client.patch("/api/subscriptions")
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, POST"
    assert client.put("/api/subscriptions/1").headers["Allow"] == "GET, DELETE"


def test_every_route_declares_its_errors(api: tuple[TestClient, dict[str, str]]) -> None:
    client, _ = api
    spec = client.get("/openapi.json").json()
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            declared = operation["responses"]
            codes = {code for code in declared if code[0] == "4"}
            assert {"414", "422"} <= codes, (method, path)
            if operation.get("security"):
                assert {"401", "403", "429"} <= codes, (method, path)
            if "requestBody" in operation:
                assert {"400", "413"} <= codes, (method, path)
            if "{" in path and not path.endswith("/talent"):  # talent of nobody: no hires
                assert "404" in codes, (method, path)
            for code in codes:
                content = declared[code].get("content", {}).get("application/json", {})
                assert content.get("schema"), (method, path, code)
    validation = spec["components"]["schemas"]["ValidationErrorOut"]
    assert validation["properties"]["detail"]["type"] == "array"


def test_the_document_lists_the_taxonomy_slugs(api: tuple[TestClient, dict[str, str]]) -> None:
    client, _ = api
    spec = client.get("/openapi.json").json()
    (param,) = [
        p for p in spec["paths"]["/api/postings"]["get"]["parameters"] if p["name"] == "function"
    ]
    array = next(s for s in param["schema"]["anyOf"] if s.get("type") == "array")
    assert array["items"]["enum"] == taxonomy_at().function_slugs
    assert "x-talentflow-taxonomy" not in json.dumps(spec)


def test_the_documented_cursor_pattern_is_exactly_what_decodes() -> None:
    for kind in ("id", "rank"):
        pattern = re.compile(cursor_pattern(kind))
        for digits in range(1, 19):
            for value in (10 ** (digits - 1), 10**digits - 1):
                cursor = encode_cursor(value, kind)
                assert pattern.fullmatch(cursor) and decode_cursor(cursor, kind) in (value, None)
        with pytest.raises(ValueError):
            encode_cursor(10**18, kind)
        assert not pattern.fullmatch(b64(f"{kind}:" + "1" * 19))


@settings(max_examples=300, derandomize=True, database=None)
@given(st.from_regex(cursor_pattern("id"), fullmatch=True))
def test_every_cursor_the_pattern_admits_decodes(cursor: str) -> None:
    value = decode_cursor(cursor)
    assert value is None or 0 <= value < 2**31


@settings(max_examples=300, derandomize=True, database=None)
@given(st.text(alphabet="aWQ6MDNOTjkAEIz-_=!", max_size=40))
def test_any_other_string_is_refused_not_misread(cursor: str) -> None:
    if cursor and not re.fullmatch(cursor_pattern("id"), cursor):
        with pytest.raises(CursorError):
            decode_cursor(cursor)


def test_the_not_blank_pattern_agrees_with_str_split() -> None:
    control = re.compile(f"[{CONTROL_CHARACTERS}]")
    for code in range(0x3100):
        text = chr(code) * 2
        expected = bool(text.split()) and not control.search(text)
        assert bool(re.fullmatch(NOT_BLANK, text)) == expected, hex(code)
