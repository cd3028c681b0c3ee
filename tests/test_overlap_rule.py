"""Two consecutive ok runs close a posting only when they are two distinct observations, and a
skipped run (another run held the board) counts for nothing."""

from __future__ import annotations

import asyncio
from datetime import datetime

import httpx
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from scrapers.models import BoardConfig, BoardSnapshot
from service.scrape import scrape_board
from service.settings import Settings
from store.board_health import board_failures, failure_streaks
from store.engine import session_scope
from store.ingest import OVERLAPPED, SKIPPED_BUSY, get_or_create_board, record_skipped
from store.locks import board_lock
from store.models import Board, ScrapeRun
from tests.conftest import at, load_fixture
from tests.enrich_helpers import store_snapshot
from tests.lifecycle_helpers import BOARD, events, fail, ingest, posting, postings, snapshot


def observe(engine: Engine, snap: BoardSnapshot, started: str, finished: str) -> ScrapeRun:
    """An ok run whose fetch started at ``started`` and whose ingest ran at ``finished``."""
    with session_scope(engine) as session:
        board = get_or_create_board(session, snap.board)
        return store_snapshot(session, board, snap, started_at=at(started), now=at(finished))


def board_row(engine: Engine) -> Board:
    with Session(engine) as session:
        board = session.exec(select(Board).where(Board.key == BOARD.key)).one()
        session.expunge(board)
        return board


def test_two_overlapping_observations_missing_a_posting_count_once(engine: Engine) -> None:
    ingest(engine, snapshot(posting(1), posting(2)), at("2026-11-24T08:00"))
    # Two runs fetched at once; posting 2 is missing from both.
    first = observe(engine, snapshot(posting(1)), "2026-11-24T09:00", "2026-11-24T09:10")
    second = observe(engine, snapshot(posting(1)), "2026-11-24T09:05", "2026-11-24T09:12")
    assert (first.outcome, first.missing, first.error) == ("ok", 1, None)
    assert second.outcome == "ok" and OVERLAPPED in (second.error or "")
    assert postings(engine)["1002"].missing_runs == 1
    assert postings(engine)["1002"].status == "open"
    assert board_row(engine).last_counted_at == at("2026-11-24T09:10")
    # The next run fetched after the counted one finished is the second observation.
    third = observe(engine, snapshot(posting(1)), "2026-11-24T10:00", "2026-11-24T10:01")
    assert third.closed == 1 and postings(engine)["1002"].status == "closed"
    assert events(engine).count(("posting.closed", "1002")) == 1


def test_an_overlapping_run_leaves_the_board_to_be_read_in_full(engine: Engine) -> None:
    ingest(engine, snapshot(posting(1)), at("2026-11-24T08:00"))
    counted = observe(
        engine, snapshot(posting(1), posting(2)), "2026-11-24T09:00", "2026-11-24T09:10"
    )
    assert (counted.outcome, counted.new) == ("ok", 1)
    # Posting 2 vanished while the counted run was still going; the overlapping run sees that.
    observe(engine, snapshot(posting(1)), "2026-11-24T09:05", "2026-11-24T09:12")
    assert postings(engine)["1002"].missing_runs == 0
    # The same content next time is not "unchanged": it is the first counted observation of it.
    later = observe(engine, snapshot(posting(1)), "2026-11-24T10:00", "2026-11-24T10:01")
    assert (later.outcome, later.missing) == ("ok", 1)
    assert postings(engine)["1002"].missing_runs == 1


def test_an_overlapping_run_still_records_what_it_saw(engine: Engine) -> None:
    ingest(engine, snapshot(posting(1)), at("2026-11-24T08:00"))
    observe(engine, snapshot(posting(1)), "2026-11-24T09:00", "2026-11-24T09:10")
    run = observe(engine, snapshot(posting(1), posting(3)), "2026-11-24T09:05", "2026-11-24T09:12")
    assert (run.outcome, run.new) == ("ok", 1) and "1003" in postings(engine)


def test_a_skipped_run_touches_nothing_and_counts_for_nothing(engine: Engine) -> None:
    ingest(engine, snapshot(posting(1), posting(2)), at("2026-11-24T08:00"))
    ingest(engine, snapshot(posting(1)), at("2026-11-24T09:00"))  # posting 2 missing once
    before = board_row(engine)
    with session_scope(engine) as session:
        board = get_or_create_board(session, BOARD)
        run = record_skipped(
            session, board, started_at=at("2026-11-24T09:30"), now=at("2026-11-24T09:30")
        )
    assert (run.outcome, run.error, run.seen) == ("skipped", SKIPPED_BUSY, 0)
    after = board_row(engine)
    assert (after.last_run_at, after.last_ok_at, after.last_counted_at) == (
        before.last_run_at,
        before.last_ok_at,
        before.last_counted_at,
    )
    assert postings(engine)["1002"].missing_runs == 1 and postings(engine)["1002"].status == "open"
    # The next ok run is the second consecutive one: the skip did not reset or add anything.
    ingest(engine, snapshot(posting(1)), at("2026-11-24T10:00"))
    assert postings(engine)["1002"].status == "closed"


def test_a_skipped_run_neither_breaks_nor_extends_a_failure_streak(engine: Engine) -> None:
    ingest(engine, snapshot(posting(1)), at("2026-11-24T08:00"))
    fail(engine, at("2026-11-24T09:00"))

    def skip(when: datetime) -> None:
        with session_scope(engine) as session:
            record_skipped(session, get_or_create_board(session, BOARD), started_at=when, now=when)

    skip(at("2026-11-24T09:30"))
    fail(engine, at("2026-11-24T10:00"))
    skip(at("2026-11-24T10:30"))
    with Session(engine) as session:
        board_id = board_row(engine).id or 0
        health = failure_streaks(session, [board_id])[board_id]
        failures = board_failures(session, BOARD.key)
    assert (health["streak"], health["last_outcome"]) == (2, "failed")
    assert health["since"] == "2026-11-24T09:00:00Z"
    assert failures is not None and failures["state"] == "failing"
    kinds = [(r["outcome"], r["error_kind"]) for r in failures["runs"]]
    assert kinds[:2] == [("skipped", None), ("failed", "unavailable")]


def test_a_scrape_of_a_board_another_run_holds_is_recorded_skipped(engine: Engine) -> None:
    """In one process: the board's lock is held (as by another run); the scrape reads nothing."""
    config = BoardConfig(company="xAI", ats="greenhouse", token="xai", api_base="http://gh.test")
    requests: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return httpx.Response(200, json=load_fixture("greenhouse", "xai_jobs.json"))

    async def scrape() -> str:
        from scrapers.http import open_fetcher
        from service.scrape import rates_for, taxonomy_for

        settings = Settings(http_backoff=0)
        async with open_fetcher(settings.http_policy, httpx.MockTransport(handler)) as fetcher:
            summary = await scrape_board(
                engine,
                config,
                fetcher,
                rates=rates_for(settings),
                classify=taxonomy_for(settings),
            )
        return summary.outcome

    other = board_lock(engine, config.key)
    assert other.acquire()
    try:
        assert asyncio.run(scrape()) == "skipped"
    finally:
        other.release()
    assert requests == []
    with Session(engine) as session:
        runs = session.exec(select(ScrapeRun)).all()
        assert [(r.outcome, r.error) for r in runs] == [("skipped", SKIPPED_BUSY)]
        board = session.exec(select(Board).where(Board.key == config.key)).one()
        assert board.last_run_at is None and board.last_ok_at is None
    assert asyncio.run(scrape()) == "ok" and len(requests) == 1
