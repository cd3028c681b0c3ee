"""Ingest throughput and memory: a new board, an unchanged re-run, and a run with changes.
Each run is enriched first (shipped rates and taxonomy), as a scrape does; both are timed.

Uses SQLite by default; set TALENTFLOW_BENCH_DATABASE_URL to measure PostgreSQL.
"""

from __future__ import annotations

import os
import resource
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bench.synthetic import greenhouse_board
from scrapers.currency import load_rates
from scrapers.enrich import enrich
from scrapers.enrich.topics import taxonomy_at
from scrapers.models import BoardConfig, BoardSnapshot
from scrapers.sources.greenhouse import parse_jobs
from service.migrations import upgrade
from store.engine import make_engine, session_scope
from store.ingest import get_or_create_board, ingest_snapshot, stored_details

SIZE = 2_000
# A fresh board each run, so repeated runs against one database measure the same work.
BOARD = BoardConfig(company="Bench", ats="greenhouse", token=f"bench-{time.time_ns()}")


def _run(engine: object, snapshot: BoardSnapshot, now: datetime) -> tuple[float, float, float, str]:
    # Timed without tracemalloc (it slows Python code several times); memory is the process's
    # peak resident size so far.
    taxonomy, rates = taxonomy_at(), load_rates()
    start = time.perf_counter()
    with session_scope(engine) as session:  # type: ignore[arg-type]
        board = get_or_create_board(session, BOARD)
        enriched = enrich(snapshot, taxonomy, rates, stored_details(session, board, snapshot))
        enriched_at = time.perf_counter()
        run = ingest_snapshot(session, board, enriched, started_at=now, now=now)
        outcome = run.outcome
    elapsed = time.perf_counter() - start
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return elapsed, enriched_at - start, peak_kib / 1024, outcome


def main() -> None:
    url = os.environ.get("TALENTFLOW_BENCH_DATABASE_URL")
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(url or f"sqlite:///{tmp}/bench.db")
        upgrade(url or f"sqlite:///{tmp}/bench.db")  # migrates; never drops anything
        postings = tuple(parse_jobs(greenhouse_board(SIZE)))
        now = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
        first = BoardSnapshot(board=BOARD, postings=postings)
        changed = BoardSnapshot(
            board=BOARD,
            postings=tuple(
                replace(p, title=p.title + " (Senior)") if i % 10 == 0 else p
                for i, p in enumerate(postings)
            ),
        )
        for label, snap, at in (
            ("new board", first, now),
            ("unchanged", first, now + timedelta(hours=1)),
            ("10% changed", changed, now + timedelta(hours=2)),
        ):
            elapsed, enriching, peak, outcome = _run(engine, snap, at)
            print(
                f"ingest {label:>11}: {SIZE} postings in {elapsed:.2f} s "
                f"({SIZE / elapsed:,.0f}/s; enrich {enriching:.2f} s), process peak RSS "
                f"{peak:.0f} MiB, outcome {outcome} [{engine.dialect.name}]"
            )
        engine.dispose()


if __name__ == "__main__":
    main()
