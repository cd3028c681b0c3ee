"""How fast a large Greenhouse board parses (pure parse step, no I/O)."""

from __future__ import annotations

import time
import tracemalloc

from bench.synthetic import greenhouse_board
from scrapers.sources.greenhouse import parse_jobs

SIZE = 2_000


def main() -> None:
    board = greenhouse_board(SIZE)
    start = time.perf_counter()
    postings = parse_jobs(board)
    elapsed = time.perf_counter() - start
    assert len(postings) == SIZE
    # Memory separately: tracemalloc slows the code it watches several times over.
    tracemalloc.start()
    parse_jobs(board)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"parse greenhouse: {SIZE} jobs in {elapsed:.2f} s "
        f"({SIZE / elapsed:,.0f} jobs/s), peak {peak / 2**20:.1f} MiB allocated while parsing"
    )


if __name__ == "__main__":
    main()
