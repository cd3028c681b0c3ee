"""How many boards of real sizes one process keeps fresh: hourly cycles with churn.

The scale issue's last figure: 10,000 boards (about 2M postings) scraped every hour by one
process, with CPU to spare. B boards (BENCH_FRESH_BOARDS, 500) get sizes from a seeded
log-normal draw with a median of 60 and a mean near 200 postings (3 to 3,000), the shape of public
board directories: most boards are small, a few are very large. After a first scrape, H hourly
cycles (BENCH_FRESH_HOURS, 3) run over every board. Before each cycle a quarter of the boards
change: about 1 % of their postings are new, 1 % are gone and 1 % are edited (at least one each).
That is several times the churn of real boards in an hour, so the figure errs on the slow side.

Printed per cycle: wall time, CPU of this process (SQLite runs inside it) and, on PostgreSQL,
of the server's processes when they run on this machine; the boards per hour one process could
keep fresh at that pace, and the share of one core that 10,000 boards an hour would take (this
process and the database server together).

SQLite by default; TALENTFLOW_BENCH_DATABASE_URL names a PostgreSQL database instead (its
tables are created by the run). The database holds B boards' postings, not 2M: per-board
statements are keyed by board, so their cost follows the board's size rather than the table's.
"""

from __future__ import annotations

import json
import os
import random
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from bench.ingest_scale import HourlyClock, scrape_all, timed
from bench.synthetic import greenhouse_job
from service.migrations import upgrade
from service.settings import Settings
from store.engine import make_engine

TARGET_BOARDS_PER_HOUR = 10_000
CHANGED_BOARDS = 0.25  # of all boards, each hour
CHURN = 0.01  # of a changed board's postings: new, gone and edited, each


def server_cpu() -> float:
    """CPU seconds used so far by this machine's PostgreSQL processes (0 when none is seen)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)
            if fields[0].endswith("(postgres"):
                parts = fields[1].split()
                total += int(parts[11]) + int(parts[12])  # utime, stime
        except (OSError, IndexError, ValueError):
            continue  # a process that ended while being read
    return total / ticks


def board_sizes(boards: int, seed: int = 11) -> list[int]:
    rng = random.Random(seed)
    # median e^4.1 ≈ 60; sigma 1.55 puts the mean near 200 before clipping.
    return [min(3_000, max(3, round(rng.lognormvariate(4.1, 1.55)))) for _ in range(boards)]


class Boards:
    """Each board's jobs, changed hour by hour and served as Greenhouse ``/jobs`` bodies."""

    def __init__(self, prefix: str, sizes: list[int], seed: int = 5) -> None:
        self.rng = random.Random(seed)
        self.next_id = 0
        self.jobs: dict[str, list[dict[str, Any]]] = {}
        for b, size in enumerate(sizes):
            token = f"{prefix}-{b:05d}"
            self.jobs[token] = [self._job(token) for _ in range(size)]
        self.bodies = {token: self._body(token) for token in self.jobs}

    def _job(self, token: str) -> dict[str, Any]:
        job = greenhouse_job(self.next_id)
        job["title"] = f"{job['title'].strip()} ({token})"
        self.next_id += 1
        return job

    def _body(self, token: str) -> bytes:
        jobs = self.jobs[token]
        return json.dumps({"jobs": jobs, "meta": {"total": len(jobs)}}).encode()

    def churn(self, hour: int) -> tuple[int, int, int]:
        """Change a quarter of the boards; (new, gone, edited) postings."""
        new = gone = edited = 0
        for token in self.rng.sample(sorted(self.jobs), round(len(self.jobs) * CHANGED_BOARDS)):
            jobs = self.jobs[token]
            k = max(1, round(len(jobs) * CHURN))
            for _ in range(min(k, len(jobs) - 1)):
                jobs.pop(self.rng.randrange(len(jobs)))
                gone += 1
            for job in self.rng.sample(jobs, min(k, len(jobs))):
                job["content"] += f"&lt;p&gt;Updated in hour {hour}.&lt;/p&gt;"
                job["updated_at"] = f"2026-11-02T{hour % 24:02d}:00:00-04:00"
                edited += 1
            jobs.extend(self._job(token) for _ in range(k))
            new += k
            self.bodies[token] = self._body(token)
        return new, gone, edited


def main() -> None:
    count = int(os.environ.get("BENCH_FRESH_BOARDS", "500"))
    hours = int(os.environ.get("BENCH_FRESH_HOURS", "3"))
    sizes = board_sizes(count)
    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("TALENTFLOW_BENCH_DATABASE_URL") or f"sqlite:///{tmp}/fresh.db"
        upgrade(url)
        engine = make_engine(url)
        settings = Settings(database_url=url)
        clock = HourlyClock()
        boards = Boards(f"fresh{time.time_ns()}", sizes)
        total = sum(sizes)
        print(
            f"freshness [{engine.dialect.name}]: {count} boards, {total:,} postings "
            f"(sizes {min(sizes)} to {max(sizes)}, median {sorted(sizes)[count // 2]}, "
            f"mean {total / count:.0f})"
        )
        first = scrape_all(engine, settings, boards.bodies, clock)
        print(f"  first scrape: {first:.1f} s ({first / total * 1000:.2f} ms per posting)")
        for hour in range(1, hours + 1):
            new, gone, edited = boards.churn(hour)
            clock.now += timedelta(hours=1)
            server = server_cpu() if engine.dialect.name == "postgresql" else 0.0
            with timed() as spent:
                scrape_all(engine, settings, boards.bodies, clock)
            wall, cpu = spent()
            server = (server_cpu() - server) if engine.dialect.name == "postgresql" else 0.0
            per_hour = count / wall * 3600
            share = (cpu + server) / count * TARGET_BOARDS_PER_HOUR / 3600
            on_server = f" + {server:.1f} s on the server" if server else ""
            print(
                f"  hour {hour} ({new} new, {gone} gone, {edited} edited): {wall:.1f} s wall, "
                f"{cpu:.1f} s CPU{on_server} = {per_hour:,.0f} boards/h at this pace; "
                f"10,000 boards/h would take {share:.0%} of one core   "
                f"target ≥ {TARGET_BOARDS_PER_HOUR:,} boards/h with CPU to spare"
            )
        engine.dispose()


if __name__ == "__main__":
    main()
