"""How fast a large Greenhouse board parses (pure parse step, no I/O)."""

from __future__ import annotations

import time
import tracemalloc

from bench.synthetic import greenhouse_board
from scrapers.greenhouse import parse_jobs

SIZE = 2_000


def main() -> None:
    board = greenhouse_board(SIZE)
    tracemalloc.start()
    start = time.perf_counter()
    postings = parse_jobs(board)
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(postings) == SIZE
    print(f"parse greenhouse: {SIZE} jobs in {elapsed:.2f} s "
          f"({SIZE / elapsed:,.0f} jobs/s), peak {peak / 2**20:.1f} MiB")


if __name__ == "__main__":
    main()
