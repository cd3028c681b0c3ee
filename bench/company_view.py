"""One company's view and one board's failure page on a large history: 5,000 postings seen
over six months (a tenth closing each month) and 500 failed runs of a second board.

Uses SQLite by default; set TALENTFLOW_BENCH_DATABASE_URL to measure PostgreSQL.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta

from sqlmodel import Session

from bench.synthetic import greenhouse_board
from scrapers.currency import load_rates
from scrapers.enrich import enrich
from scrapers.models import BoardConfig, BoardSnapshot
from scrapers.sources.greenhouse import parse_jobs
from service.migrations import upgrade
from store.board_health import board_failures
from store.company import company_view
from store.engine import make_engine, session_scope
from store.ingest import get_or_create_board, ingest_snapshot, record_failure

SIZE = 5_000
COMPANY = f"Bench View {time.time_ns()}"  # fresh each run, so a reused database measures alike
BOARD = BoardConfig(company=COMPANY, ats="greenhouse", token=f"view-{time.time_ns()}")
FAILING = BoardConfig(company=COMPANY, ats="lever", token=f"view-{time.time_ns()}")
FAILURES = 500
TARGET_S = 1.0  # the page should answer within a second


def _seed(engine: object, start: datetime) -> None:
    postings = list(parse_jobs(greenhouse_board(SIZE)))
    for month in range(6):
        kept = postings[: SIZE - month * SIZE // 10]
        for run in range(2):  # two ok runs: what vanished closes
            at = start + timedelta(days=30 * month + run)
            with session_scope(engine) as session:  # type: ignore[arg-type]
                snap = enrich(
                    BoardSnapshot(board=BOARD, postings=tuple(kept)),
                    lambda _item: ["inference"],
                    load_rates(),
                )
                ingest_snapshot(
                    session, get_or_create_board(session, BOARD), snap, started_at=at, now=at
                )
    with session_scope(engine) as session:  # type: ignore[arg-type]
        board = get_or_create_board(session, FAILING)
        for n in range(FAILURES):
            at = start + timedelta(hours=n)
            record_failure(
                session,
                board,
                "FetchError: GET x: HTTP 503 after 3 attempts",
                started_at=at,
                now=at,
            )


def _timed(call: object, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        begin = time.perf_counter()
        call()  # type: ignore[operator]
        times.append(time.perf_counter() - begin)
    return statistics.median(times)


def main() -> None:
    url = os.environ.get("TALENTFLOW_BENCH_DATABASE_URL")
    with tempfile.TemporaryDirectory() as tmp:
        url = url or f"sqlite:///{tmp}/bench.db"
        upgrade(url)  # migrates; never drops anything
        engine = make_engine(url)
        start = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)
        _seed(engine, start)
        now = start + timedelta(days=200)
        with Session(engine) as session:
            view = company_view(session, COMPANY, now=now)
            assert view is not None
            took = _timed(lambda: company_view(session, COMPANY, now=now))
            print(
                f"company view: {view['open_roles']:,} open of {SIZE:,} postings, "
                f"{len(view['weekly'])} weeks, in {took * 1000:.0f} ms median "
                f"(target < {TARGET_S * 1000:.0f} ms) [{engine.dialect.name}]"
            )
            board = board_failures(session, FAILING.key, now=now)
            assert board is not None
            took = _timed(lambda: board_failures(session, FAILING.key, now=now))
            print(
                f"board failure page: streak {board['failure_streak']} runs, in "
                f"{took * 1000:.0f} ms median (target < {TARGET_S * 1000:.0f} ms) "
                f"[{engine.dialect.name}]"
            )
        engine.dispose()


if __name__ == "__main__":
    main()
