"""The detail state of a posting: which details a run asks for, the retry schedule, how a
completed detail is stored (and what it emits), and answers that are not a source's shape."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from itertools import pairwise
from typing import Any

import httpx
import pytest
from sqlalchemy.engine import Engine

from scrapers.errors import ParseError
from scrapers.http import HttpPolicy, open_fetcher
from scrapers.models import BoardConfig, NormalizedPosting, Pay
from scrapers.sources.base import BoardState
from scrapers.sources.greenhouse import GreenhouseScraper
from scrapers.sources.smartrecruiters import SmartRecruitersScraper
from scrapers.sources.workday import WorkdayScraper
from service.scrape import _board_state
from store.engine import session_scope
from store.ingest import (
    DETAIL_RETRY_FIRST,
    DETAIL_RETRY_MAX,
    detail_retry_delay,
    get_or_create_board,
)
from store.models import ScrapeRun
from tests.conftest import at, load_fixture
from tests.details_helpers import FakeBoard, event_types, scrape, stored
from tests.enrich_helpers import store_snapshot
from tests.lifecycle_helpers import BOARD, changes, posting, snapshot
from tests.scraper_helpers import fetch

T0 = at("2026-11-23T08:00")
HOUR = timedelta(hours=1)
GH = BoardConfig(company="xAI", ats="greenhouse", token="xai", api_base="http://gh.test")
JOBS = "/v1/boards/xai/jobs"


def test_needs_detail_for_new_changed_or_refreshed_postings_only() -> None:
    state = BoardState(
        known_ids=frozenset({"a", "b", "c", "old"}),
        listing_hashes={"a": "h1", "b": "h1", "c": "h1"},
        refresh_ids=frozenset({"c"}),
    )
    assert state.needs_detail("new", "h1")  # never stored
    assert not state.needs_detail("a", "h1")  # listing entry unchanged
    assert state.needs_detail("b", "h2")  # listing entry changed
    assert state.needs_detail("c", "h1")  # pending and due, or closing
    # Stored before signatures were kept: the current one is adopted, no burst of details.
    assert not state.needs_detail("old", "h9")
    assert not BoardState(list_only=True, refresh_ids=frozenset({"c"})).needs_detail("c")


def test_retry_delay_doubles_from_half_an_hour_up_to_a_day() -> None:
    delays = [detail_retry_delay(n) for n in range(1, 8)]
    assert delays[0] == DETAIL_RETRY_FIRST == timedelta(minutes=30)
    assert all(b == 2 * a for a, b in pairwise(delays[:6]))
    assert delays[-1] == DETAIL_RETRY_MAX == timedelta(hours=24)
    assert detail_retry_delay(10_000) == DETAIL_RETRY_MAX  # no overflow after many failures


def gh_board(*, etag: str | None = None) -> FakeBoard:
    body = load_fixture("greenhouse", "jobs_without_pay.json")
    headers = {"ETag": etag} if etag else {}

    def listing(request: httpx.Request) -> httpx.Response:
        if etag and request.headers.get("If-None-Match") == etag:
            return httpx.Response(304, headers=headers)
        return httpx.Response(200, json=body, headers=headers)

    ids = [str(job["id"]) for job in body["jobs"]]
    return FakeBoard(
        listing=listing,
        details={f"{JOBS}/{i}": load_fixture("greenhouse", f"job_{i}.json") for i in ids},
    )


def test_a_failing_detail_backs_off_and_is_not_asked_before_its_time(engine: Engine) -> None:
    fake = gh_board(etag='"v1"')
    path = f"{JOBS}/4567891"
    fake.faults = {path: 500}
    times = [T0, T0 + timedelta(minutes=10), T0 + HOUR, T0 + 2 * HOUR, T0 + 4 * HOUR]
    asked, attempts, retry_at = [], [], []
    for now in times:
        summary = scrape(engine, GH, fake, now)
        assert summary.outcome in ("ok", "unchanged") and summary.details_pending == 1
        asked.append(path in fake.detail_paths())
        tutor = stored(engine, GH)["4567891"]
        attempts.append(tutor.detail_attempts)
        retry_at.append(tutor.detail_retry_at)
    # Not due 10 minutes after the first failure (and then the list's 304 is accepted).
    assert asked == [True, False, True, True, True]
    assert attempts == [1, 1, 2, 3, 4]
    assert retry_at[0] == T0 + timedelta(minutes=30)
    assert retry_at[2] == T0 + HOUR + timedelta(hours=1)
    assert retry_at[3] == T0 + 2 * HOUR + timedelta(hours=2)
    # A detail is due: the list is fetched without If-None-Match, so the retry can happen.
    assert _board_state(engine, GH, T0 + 9 * HOUR).etag is None
    assert _board_state(engine, GH, T0 + 5 * HOUR).etag == '"v1"'
    fake.faults = {}
    done = scrape(engine, GH, fake, T0 + 9 * HOUR)
    assert done.details_pending == 0 and fake.detail_paths() == {path}
    tutor = stored(engine, GH)["4567891"]
    assert (tutor.detail_pending, tutor.detail_attempts, tutor.detail_retry_at) == (False, 0, None)
    assert event_types(engine, GH) == {"posting.opened": 4}


def test_a_new_posting_whose_detail_is_gone_is_not_stored(engine: Engine) -> None:
    fake = gh_board()
    fake.faults = {f"{JOBS}/4567892": 404, f"{JOBS}/4567893": 410}
    summary = scrape(engine, GH, fake, T0)
    assert (summary.outcome, summary.new, summary.details_pending) == ("ok", 2, 0)
    assert set(stored(engine, GH)) == {"4567890", "4567891"}
    assert summary.error and "2 details answered 404/410" in summary.error


def test_greenhouse_details_run_concurrently_within_the_per_host_limit() -> None:
    body = load_fixture("greenhouse", "jobs_without_pay_later.json")
    policy = HttpPolicy(backoff=0, per_host=3)
    flight = {"now": 0, "most": 0}

    async def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == JOBS:
            return httpx.Response(200, json=body)
        flight["now"] += 1
        flight["most"] = max(flight["most"], flight["now"])
        for _ in range(5):  # let the other requests start, if they may
            await asyncio.sleep(0)
        flight["now"] -= 1
        return httpx.Response(200, json={"id": 1, "pay_input_ranges": []})

    async def go() -> Any:
        async with open_fetcher(policy, httpx.MockTransport(handler)) as fetcher:
            return await GreenhouseScraper().fetch(GH, fetcher, BoardState())

    snap = asyncio.run(go())
    assert snap.complete and len(snap.postings) == 6
    assert flight["most"] == policy.per_host


# -- completing a pending detail ------------------------------------------------------------
def ingest(engine: Engine, *items: NormalizedPosting, now: datetime) -> ScrapeRun:
    def classify(p: NormalizedPosting) -> list[str]:
        return ["described"] if p.description else []

    with session_scope(engine) as session:
        board = get_or_create_board(session, BOARD)
        return store_snapshot(
            session, board, snapshot(*items), started_at=now, now=now, classify=classify
        )


PAY_A = Pay(min=180000, max=220000, currency="USD", period="year")
PAY_B = Pay(min=200000, max=260000, currency="USD", period="year")


def listed(n: int, **changes: object) -> NormalizedPosting:
    """Posting ``n`` as a listing without details gives it, its detail having failed."""
    base: dict[str, object] = {
        "team": None,
        "pay": None,
        "description": "",
        "hydrated": False,
        "detail_pending": True,
    }
    base.update(changes)
    return posting(n, **base)


def test_first_details_of_a_listing_only_posting_are_no_change(engine: Engine) -> None:
    first = ingest(engine, listed(1), now=T0)
    assert (first.new, first.details_pending) == (1, 1)
    stub = stored(engine, BOARD)["1001"]
    assert (stub.pay_min, stub.team, stub.topics, stub.listing_only) == (None, None, [], True)
    run = ingest(engine, posting(1, pay=PAY_B), now=T0 + HOUR)
    whole = stored(engine, BOARD)["1001"]
    assert (whole.pay_min, whole.team, whole.description) == (200000, "Omni", "Role 1")
    assert whole.topics == ["described"]  # classified again, on the whole posting
    assert (whole.listing_only, whole.detail_pending, run.details_pending) == (False, False, 0)
    # The pay was unknown, not changed: no pay_changed, and no history rows at all.
    assert event_types(engine, BOARD) == {"posting.opened": 1}
    assert changes(engine, "1001") == [] and run.changed == 0
    # From now on it is an ordinary posting: a new pay is a change.
    ingest(engine, posting(1, pay=PAY_A), now=T0 + 2 * HOUR)
    assert event_types(engine, BOARD) == {"posting.opened": 1, "posting.pay_changed": 1}


def test_a_stored_posting_whose_detail_fails_keeps_its_details(engine: Engine) -> None:
    ingest(engine, posting(1, pay=PAY_A), now=T0)
    run = ingest(engine, listed(1, title="Renamed"), now=T0 + HOUR)
    kept = stored(engine, BOARD)["1001"]
    assert (kept.title, kept.team, kept.pay_min, kept.description) == (
        "Renamed",
        "Omni",
        180000,
        "Role 1",
    )
    assert (kept.detail_pending, kept.listing_only, run.details_pending) == (True, False, 1)
    # Its detail read at last, with a new pay: that is a change like any other.
    ingest(engine, posting(1, title="Renamed", pay=PAY_B), now=T0 + 2 * HOUR)
    assert event_types(engine, BOARD) == {"posting.opened": 1, "posting.pay_changed": 1}
    assert [c[0] for c in changes(engine, "1001")] == ["title", "pay"]
    assert not stored(engine, BOARD)["1001"].detail_pending


# -- answers that are not the source's shape ------------------------------------------------
WD = BoardConfig(
    company="NVIDIA",
    ats="workday",
    url="https://nvidia.wd5.myworkdayjobs.com/NVIDIAExternalCareerSite",
    api_base="http://wd.test",
)
SR = BoardConfig(
    company="Ubisoft", ats="smartrecruiters", token="Ubisoft2", api_base="http://sr.test"
)
WD_ROW = load_fixture("workday", "jobs_page0.json")["jobPostings"][0]


@pytest.mark.parametrize(
    ("scraper", "board", "body"),
    [
        (GreenhouseScraper(), GH, {"jobs": []}),  # no meta.total
        (GreenhouseScraper(), GH, {"jobs": [], "meta": {"total": 3}}),
        (GreenhouseScraper(), GH, {"meta": {"total": 0}}),
        (WorkdayScraper(), WD, {"jobPostings": [WD_ROW], "facets": []}),  # no total on page 0
        (WorkdayScraper(), WD, {"total": 5, "jobPostings": [], "facets": []}),
        (WorkdayScraper(), WD, {"total": 5, "facets": []}),
        (SmartRecruitersScraper(), SR, {"offset": 0, "limit": 100, "totalFound": 4, "content": []}),
        (SmartRecruitersScraper(), SR, {"offset": 0, "limit": 100, "content": []}),
    ],
    ids=[
        "gh-no-total",
        "gh-total-but-none",
        "gh-no-jobs",
        "wd-no-total",
        "wd-total-but-none",
        "wd-no-postings",
        "sr-total-but-none",
        "sr-no-total",
    ],
)
def test_answers_not_in_the_source_shape_are_parse_errors(
    scraper: Any, board: BoardConfig, body: dict[str, Any]
) -> None:
    with pytest.raises(ParseError, match="unexpected response shape"):
        fetch(scraper, board, lambda _r: httpx.Response(200, json=body))


def test_an_empty_board_is_still_an_empty_board() -> None:
    gh = fetch(
        GreenhouseScraper(),
        GH,
        lambda _r: httpx.Response(200, json={"jobs": [], "meta": {"total": 0}}),
    )
    wd = fetch(
        WorkdayScraper(),
        WD,
        lambda _r: httpx.Response(200, json={"total": 0, "jobPostings": [], "facets": []}),
    )
    assert gh.complete and wd.complete and gh.postings == wd.postings == ()


def test_a_shape_error_fails_the_run_and_keeps_the_postings(engine: Engine) -> None:
    fake = gh_board()
    assert scrape(engine, GH, fake, T0).outcome == "ok"
    fake.listing = lambda _r: httpx.Response(200, json={"jobs": [], "meta": {"total": 4}})
    for hours in (1, 2, 3):
        run = scrape(engine, GH, fake, T0 + hours * HOUR)
        assert run.outcome == "failed" and "unexpected response shape" in (run.error or "")
    assert {p.status for p in stored(engine, GH).values()} == {"open"}
    assert event_types(engine, GH) == {"posting.opened": 4}
