"""One scheduler and three workers on PostgreSQL over 2,000 simulated Greenhouse boards, for two
intervals: is every board scraped exactly once per interval, and does a worker killed with
SIGKILL mid-board lose or duplicate anything?

Needs PostgreSQL: TALENTFLOW_BENCH_DATABASE_URL names the server (a throwaway database is
created there and dropped). Sizes: BENCH_WORKERS_BOARDS, BENCH_WORKERS_POSTINGS,
BENCH_WORKERS_INTERVAL (seconds; it must exceed one cycle's time, or ticks are coalesced).
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import psycopg
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from bench.cluster import (
    Cluster,
    board_server,
    board_token,
    ledger,
    queue_idle,
    runs_per_tick,
    ticks,
    wait_for,
)
from service.leader import LEASE_NAME, lease_key
from service.queue import libpq_conninfo
from store.engine import make_engine

DEFAULT_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def _throwaway_database(server_url: str) -> tuple[str, object]:
    url = make_url(server_url)
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    name = f"tf_bench_workers_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    return url.set(database=name).render_as_string(hide_password=False), (admin, name)


def _drop(handle: object) -> None:
    admin, name = handle  # type: ignore[misc]
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def main() -> None:
    boards = int(os.environ.get("BENCH_WORKERS_BOARDS", "2000"))
    postings = int(os.environ.get("BENCH_WORKERS_POSTINGS", "20"))
    interval = float(os.environ.get("BENCH_WORKERS_INTERVAL", "300"))
    server_url = os.environ.get("TALENTFLOW_BENCH_DATABASE_URL", DEFAULT_SERVER)
    try:
        url, handle = _throwaway_database(server_url)
    except OperationalError as exc:
        print(f"workers: skipped, no PostgreSQL at {server_url} ({exc.orig})")
        return
    try:
        with tempfile.TemporaryDirectory() as tmp, board_server(boards, postings) as server:
            _run(url, Path(tmp), server, boards, postings, interval)
    finally:
        _drop(handle)


def _run(url: str, tmp: Path, server, boards: int, postings: int, interval: float) -> None:  # type: ignore[no-untyped-def]
    cluster = Cluster(url, server.write_sources(tmp / "sources.toml"), tmp)
    cluster.env.update(
        TALENTFLOW_SCHEDULE_INTERVAL_SECONDS=str(interval),
        TALENTFLOW_QUEUE_HEARTBEAT_SECONDS="2",
        TALENTFLOW_QUEUE_STALLED_SECONDS="10",
        TALENTFLOW_LEADER_RETRY_SECONDS="1",
        TALENTFLOW_LOG_LEVEL="DEBUG",
    )
    upgraded = cluster.cli("db", "upgrade")
    if upgraded.returncode:
        raise SystemExit(upgraded.stderr)
    slow = board_token(boards // 3)
    server.slow[slow] = 120.0
    engine = make_engine(url)
    try:
        with psycopg.connect(libpq_conninfo(url), autocommit=True) as hold:
            hold.execute("SELECT pg_advisory_lock(%s)", (lease_key(LEASE_NAME),))
            workers = [cluster.start(f"worker-{i}", "worker", "--no-schedule") for i in (1, 2, 3)]
            cluster.start("scheduler", "scheduler")
            wait_for(
                lambda: (
                    all("boards at once" in w.log() for w in workers)
                    and "standing for" in cluster.processes[-1].log()
                ),
                180,
                "every process to start",
            )
        started = time.time()
        wait_for(lambda: server.hits_for(slow), interval, "a worker to fetch the slow board")
        victim = cluster.by_agent(server.hits_for(slow)[0].agent)
        victim.kill()
        killed_at = time.time()

        def runs_done(count: int) -> bool:
            runs = ledger(engine).runs
            return len(runs) == boards and all(len(r) >= count for r in runs.values())

        wait_for(lambda: runs_done(1), interval * 1.5, "the first cycle", every=2)
        first_cycle = time.time() - started
        wait_for(lambda: runs_done(2), interval * 1.5, "the second cycle", every=2)
        wait_for(lambda: queue_idle(engine), 120, "the queue to drain", every=1)
        second_cycle_end = time.time()
        book = ledger(engine)
    finally:
        cluster.stop_all()
        engine.dispose()

    queued = ticks(cluster.processes)
    exact = 0
    latencies: list[float] = []
    for key, runs in book.runs.items():
        times = [r[0].timestamp() for r in runs]
        per_tick = runs_per_tick(queued.get(key, []), times)
        if per_tick and per_tick[:-1] == [1] * (len(per_tick) - 1) and per_tick[-1] <= 1:
            exact += 1
        latencies += [r - t for t, r in zip(queued.get(key, []), times, strict=False)]
    requeued = sum(p.log().count("queued again") for p in cluster.processes)
    expected = {f"greenhouse:{board_token(i)}": postings for i in range(boards)}
    lost = sum(max(n - book.postings.get(k, 0), 0) for k, n in expected.items())
    runs = sum(len(r) for r in book.runs.values())
    print(
        f"workers: {boards} boards x {postings} postings, 1 scheduler + 3 workers "
        f"(PostgreSQL), interval {interval:.0f} s"
    )
    print(f"  first cycle drained in {first_cycle:.1f} s ({boards / first_cycle:.1f} boards/s)")
    print(f"  both cycles done {second_cycle_end - started:.1f} s after the start; {runs} runs")
    print(
        f"  exactly one run per tick window: {exact}/{boards} boards; queue latency "
        f"p50 {statistics.median(latencies):.1f} s, "
        f"p95 {statistics.quantiles(latencies, n=20)[-1]:.1f} s"
    )
    print(
        f"  worker SIGKILLed mid-board at +{killed_at - started:.1f} s: {requeued} job(s) queued "
        f"again; postings lost {lost}, duplicated {book.duplicate_postings}; opened events "
        f"{book.opened_events} for {sum(expected.values())} postings; failed jobs "
        f"{book.queue.get('failed', 0)}"
    )


if __name__ == "__main__":
    main()
