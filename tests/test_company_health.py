"""Board failure streaks and the advice read from their errors: the error kinds on the messages
the scrapers really record (a board served by ``httpx.MockTransport``), the advice per kind,
and the per-board page linked from ``/runs``."""

from __future__ import annotations

import asyncio
import html
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from scrapers.currency import load_rates
from scrapers.http import HttpPolicy, build_client, make_fetcher
from scrapers.models import BoardConfig
from service.app import create_app
from service.scrape import scrape_board
from service.settings import Settings
from store.board_health import advise, board_failures, error_kind
from store.types import utcnow
from tests.company_helpers import CRASH, NOT_FOUND, PARSE, SERVER_ERROR, TIMEOUT, seed_companies

pytestmark = pytest.mark.postgres

BOARD = BoardConfig(company="Acme Robotics", ats="greenhouse", token="acme")
START = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
Handler = Callable[[httpx.Request], httpx.Response]


def scrape(engine: Engine, handler: Handler, at: datetime) -> str | None:
    """One real greenhouse scrape through the project's HTTP policy, answered by ``handler``."""

    async def run() -> str | None:
        policy = HttpPolicy(retries=0, backoff=0, connect_timeout=1, read_timeout=1)
        async with build_client(policy, httpx.MockTransport(handler)) as client:
            summary = await scrape_board(
                engine,
                BOARD,
                make_fetcher(policy, client),
                rates=load_rates(),
                clock=lambda: at,
                classify=lambda _item: [],
            )
        return summary.error

    return asyncio.run(run())


def ok_board(_request: httpx.Request) -> httpx.Response:
    return httpx.Response(
        200,
        json={
            "jobs": [
                {
                    "id": 1,
                    "title": "Robotics Engineer",
                    "absolute_url": "https://example.com/1",
                    "location": {"name": "Palo Alto, CA"},
                    "updated_at": "2026-11-01T00:00:00Z",
                    "content": "",
                    "departments": [],
                    "offices": [],
                }
            ],
            "meta": {"total": 1},
        },
    )


def status(code: int) -> Handler:
    return lambda _request: httpx.Response(code, json={"error": "nope"})


def timeout(request: httpx.Request) -> httpx.Response:
    raise httpx.ReadTimeout("read timed out", request=request)


def bad_json(_request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, content=b"<html>maintenance</html>")


def wrong_shape(_request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={"postings": []})


@pytest.mark.parametrize(
    ("handler", "kind"),
    [
        (status(404), "not_found"),
        (status(503), "unavailable"),
        (status(502), "unavailable"),
        (timeout, "unavailable"),
        (status(403), "refused"),
        (bad_json, "format"),
        (wrong_shape, "format"),
    ],
)
def test_recorded_errors_get_their_kind(engine: Engine, handler: Handler, kind: str) -> None:
    error = scrape(engine, handler, START)
    assert error and error_kind(error) == kind, error


def test_streak_counts_failures_since_the_last_success(engine: Engine) -> None:
    scrape(engine, ok_board, START)
    for day in (1, 2, 3):
        scrape(engine, status(404), START + timedelta(days=day))
    with Session(engine) as session:
        board = board_failures(session, BOARD.key, now=START + timedelta(days=4))
    assert board is not None
    assert (board["state"], board["failure_streak"]) == ("failing", 3)
    assert board["failing_since"] == "2026-11-03T08:00:00Z"
    assert board["failing_days"] == 3
    assert board["error_kinds"] == {"not_found": 3}
    assert board["advice"]["kind"] == "not_found"
    assert board["advice"]["command"] == 'talentflow sources discover "Acme Robotics"'
    assert [r["outcome"] for r in board["runs"]] == ["failed"] * 3 + ["ok"]
    # A success ends the streak.
    scrape(engine, ok_board, START + timedelta(days=5))
    with Session(engine) as session:
        healthy = board_failures(session, BOARD.key)
    assert healthy is not None
    assert (healthy["state"], healthy["failure_streak"], healthy["advice"]) == ("ok", 0, None)


def test_unknown_board_has_no_page_data(engine: Engine) -> None:
    with Session(engine) as session:
        assert board_failures(session, "greenhouse:nobody") is None


# -- advice per kind of error ------------------------------------------------------------------


def test_not_found_suggests_discovering_the_board_again() -> None:
    advice = advise([NOT_FOUND, NOT_FOUND], "Google DeepMind", 2)
    assert advice is not None and advice.kind == "not_found"
    assert advice.command == 'talentflow sources discover "Google DeepMind"'
    assert "token changed" in advice.action and "2 runs in a row" in advice.summary


def test_repeated_server_errors_say_wait() -> None:
    advice = advise([TIMEOUT, SERVER_ERROR, SERVER_ERROR], "AT&T Labs", 3, days=1)
    assert advice is not None and advice.kind == "unavailable"
    assert "wait" in advice.action and advice.command is None


def test_one_server_error_is_a_passing_outage() -> None:
    advice = advise([SERVER_ERROR], "AT&T Labs", 1, days=0)
    assert advice is not None and "passing outage" in advice.action


def test_server_errors_for_days_are_worth_a_look() -> None:
    advice = advise([SERVER_ERROR] * 20, "AT&T Labs", 20, days=5)
    assert advice is not None and advice.kind == "unavailable"
    assert "5 days" in advice.summary and advice.command == "talentflow sources check"


def test_format_changes_say_report_it() -> None:
    advice = advise([PARSE, PARSE], "Ünited Robotics", 2)
    assert advice is not None and advice.kind == "format"
    assert "format changed" in advice.action and "report it" in advice.action


def test_a_crash_is_a_bug_to_report() -> None:
    advice = advise([CRASH], "100% Human", 1)
    assert advice is not None and advice.kind == "internal" and "bug" in advice.action


def test_the_most_frequent_kind_decides_and_recency_breaks_ties() -> None:
    most = advise([SERVER_ERROR, NOT_FOUND, NOT_FOUND], "X", 3)
    assert most is not None and most.kind == "not_found"
    tie = advise([SERVER_ERROR, NOT_FOUND], "X", 2)  # newest first
    assert tie is not None and tie.kind == "unavailable"


def test_no_streak_no_advice() -> None:
    assert advise([], "X", 0) is None


def test_company_names_are_quoted_for_the_shell() -> None:
    advice = advise([NOT_FOUND], 'Say "Hi" AI', 1)
    assert advice is not None and advice.command == 'talentflow sources discover "Say \\"Hi\\" AI"'


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        ("BoardNotFound: user whoishiring not found", "not_found"),
        ("FetchError: GET https://x.example/jobs: HTTP 410", "not_found"),
        ("FetchError: GET https://x.example/jobs: HTTP 429 after 3 attempts", "unavailable"),
        (
            "FetchError: GET https://x.example/: ConnectError: [Errno 111] Connection refused",
            "unavailable",
        ),
        (
            "FetchError: robots.txt disallows https://x.example/careers for this User-Agent",
            "refused",
        ),
        ("ParseError: personio feed is not well-formed XML (mismatched tag)", "format"),
        ("no scraper for ats 'taleo' in this version", "internal"),
        ("incomplete", "other"),
        (None, "other"),
    ],
)
def test_error_kinds_of_other_messages(error: str | None, kind: str) -> None:
    assert error_kind(error) == kind


# -- the page ----------------------------------------------------------------------------------


@pytest.fixture
def client(engine: Engine) -> Iterator[TestClient]:
    seed_companies(engine, utcnow())
    with TestClient(create_app(Settings(), engine)) as test_client:
        yield test_client


def page(client: TestClient, url: str, status_code: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status_code, response.text[:500]
    return html.unescape(response.text)


@pytest.mark.parametrize(
    ("key", "streak", "words"),
    [
        ("lever:acme", 3, 'talentflow sources discover "Acme Robotics"'),
        ("greenhouse:attlabs", 4, "talentflow sources check"),  # 503s for 9 days
        ("ashby:United%20Robotics", 2, "format changed"),
        ("workable:human", 1, "bug in talentflow"),
    ],
)
def test_board_page_says_what_to_do(client: TestClient, key: str, streak: int, words: str) -> None:
    text = page(client, f"/runs/boards/{key}")
    assert words in text
    found = re.search(r'id="streak">(\d+) run', text)
    assert found and int(found.group(1)) == streak
    assert len(re.findall(r'<tr class="run-failed">', text)) == streak
    assert 'id="spec-board-runs"' in text
    assert f'href="/api/runs/boards/{key}"' in text


def test_board_page_of_a_healthy_board(client: TestClient) -> None:
    text = page(client, "/runs/boards/greenhouse:deepmind")
    assert "nothing to do" in text and 'id="streak"' not in text


def test_board_page_unknown_is_a_404(client: TestClient) -> None:
    page(client, "/runs/boards/greenhouse:nobody", 404)


def test_runs_page_links_every_board_to_its_page(client: TestClient) -> None:
    text = page(client, "/runs")
    for key in (
        "lever:acme",
        "greenhouse:attlabs",
        "ashby:United%20Robotics",
        "workable:human",
        "greenhouse:deepmind",
    ):
        assert f'href="/runs/boards/{key}"' in text, key


def test_board_json_is_the_same_streak(client: TestClient) -> None:
    response = client.get("/api/runs/boards/greenhouse:attlabs")
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["state"], body["failure_streak"], body["failing_days"]) == ("failing", 4, 9)
    assert body["error_kinds"] == {"unavailable": 4}
    assert body["advice"]["kind"] == "unavailable"
    assert [r["outcome"] for r in body["runs"]] == ["failed"] * 4 + ["ok"]
    assert [r["error_kind"] for r in body["runs"]] == ["unavailable"] * 4 + [None]
    assert client.get("/api/runs/boards/ashby:United%20Robotics").json()["failure_streak"] == 2
    missing = client.get("/api/runs/boards/greenhouse:nobody")
    assert missing.status_code == 404 and "greenhouse:nobody" in missing.json()["detail"]
    assert client.get("/api/runs").status_code == 200  # the list is still there
