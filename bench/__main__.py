"""Run every benchmark and print its figures; ``python -m bench NAME...`` runs only those."""

from __future__ import annotations

import sys

from bench import (
    classify,
    company_view,
    freshness,
    hires,
    ingest_board,
    ingest_scale,
    parse_greenhouse,
    readside,
    workers,
)

BENCHMARKS = {
    "parse_greenhouse": parse_greenhouse.main,
    "ingest_board": ingest_board.main,
    "ingest_scale": ingest_scale.main,
    "freshness": freshness.main,  # hourly cycles over boards of real sizes
    "classify": classify.main,
    "company_view": company_view.main,
    "hires": hires.main,
    "workers": workers.main,  # PostgreSQL: TALENTFLOW_BENCH_DATABASE_URL or the local server
    # 1M postings (generated once, cached); PostgreSQL as well with TALENTFLOW_BENCH_PG_URL
    "readside": readside.main,
}


def main(names: list[str]) -> None:
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        raise SystemExit(
            f"unknown benchmark(s) {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}"
        )
    for name in names or list(BENCHMARKS):
        BENCHMARKS[name]()


if __name__ == "__main__":
    main(sys.argv[1:])
