"""One scheduler and three workers as real processes on PostgreSQL, against a local board
server: every board scraped once per interval, a worker killed mid-board loses and duplicates
nothing, and a killed leader's schedule is taken over by a standby."""

from __future__ import annotations

import itertools
import time
from pathlib import Path

import psycopg

from bench.cluster import (
    Cluster,
    Process,
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
from tests.conftest import PgDatabases

BOARDS = 60
POSTINGS = 5
INTERVAL = 20.0  # seconds
SLOW = board_token(0)  # its first answer is held back, so a worker can be killed mid-board


def cluster_env() -> dict[str, str]:
    return {
        "TALENTFLOW_SCHEDULE_INTERVAL_SECONDS": str(INTERVAL),
        "TALENTFLOW_QUEUE_HEARTBEAT_SECONDS": "1",
        "TALENTFLOW_QUEUE_STALLED_SECONDS": "4",
        "TALENTFLOW_LEADER_RETRY_SECONDS": "1.0",
        "TALENTFLOW_LOG_LEVEL": "DEBUG",
    }


def leader_of(processes: list[Process]) -> list[Process]:
    """The processes that took the lease, in the order they took it (by log time)."""
    taken = {}
    for process in processes:
        lines = [ln for ln in process.log().splitlines() if "leader lease taken" in ln]
        if lines:
            taken[lines[0].split(" ", 1)[0]] = process
    return [taken[stamp] for stamp in sorted(taken)]


def test_scheduler_and_three_workers(pg_databases: PgDatabases, tmp_path: Path) -> None:
    url = pg_databases.create()
    with board_server(BOARDS, POSTINGS) as server:
        cluster = Cluster(url, server.write_sources(tmp_path / "sources.toml"), tmp_path)
        cluster.env.update(cluster_env())
        upgraded = cluster.cli("db", "upgrade")
        assert upgraded.returncode == 0, upgraded.stderr
        assert "task queue installed" in upgraded.stdout
        server.slow[SLOW] = 30.0
        engine = make_engine(url)
        try:
            # Everyone boots while the test holds the lease, so the schedule starts with every
            # process up; the scheduler retries faster than the workers, so it usually leads.
            with psycopg.connect(libpq_conninfo(url), autocommit=True) as hold:
                hold.execute("SELECT pg_advisory_lock(%s)", (lease_key(LEASE_NAME),))
                workers = [
                    cluster.start(f"worker-{i}", "worker", "--concurrency", "4") for i in (1, 2, 3)
                ]
                cluster.env["TALENTFLOW_LEADER_RETRY_SECONDS"] = "0.2"
                cluster.start("scheduler", "scheduler")
                wait_for(
                    lambda: (
                        all(
                            "standing for the scheduler lease" in p.log() for p in cluster.processes
                        )
                        and all("boards at once" in w.log() for w in workers)
                    ),
                    90,
                    "every process to start",
                )
            wait_for(lambda: leader_of(cluster.processes), 10, "a leader")
            leader = leader_of(cluster.processes)[0]

            # The worker that took the slow board dies (SIGKILL) while it waits for the answer.
            wait_for(lambda: server.hits_for(SLOW), 60, "a worker to fetch the slow board")
            first_hit = server.hits_for(SLOW)[0]
            victim = cluster.by_agent(first_hit.agent)
            victim.kill()

            # The leader dies a quarter into the second interval; a standby takes over.
            time.sleep(max(first_hit.at + 1.25 * INTERVAL - time.time(), 0))
            if leader.popen.poll() is None:
                leader.kill()
            killed_leader_at = time.time()
            wait_for(
                lambda: len(leader_of(cluster.processes)) == 2, 15, "a standby to take the lease"
            )

            def two_runs_each() -> bool:
                runs = ledger(engine).runs
                return len(runs) == BOARDS and all(len(r) >= 2 for r in runs.values())

            wait_for(two_runs_each, 60, "two runs of every board", every=0.5)
            wait_for(lambda: queue_idle(engine), 20, "the queue to drain")
            book = ledger(engine)
        finally:
            cluster.stop_all()
            engine.dispose()

    logs = "\n".join(f"--- {p.name}\n{p.log()[-4000:]}" for p in cluster.processes)
    queued = ticks(cluster.processes)
    assert set(queued) == set(book.runs), logs
    for key, runs in book.runs.items():
        # One run per interval: each tick's window (to the next tick) holds exactly one run,
        # and the ticks stay an interval apart across the change of leader.
        gaps = [b - a for a, b in itertools.pairwise(queued[key])]
        assert all(INTERVAL - 1.5 <= g <= INTERVAL + 8 for g in gaps), (key, gaps, logs)
        per_tick = runs_per_tick(queued[key], [r[0].timestamp() for r in runs])
        assert per_tick[:-1] == [1] * (len(per_tick) - 1) and per_tick[-1] <= 1, (key, per_tick)
        assert len(queued[key]) >= 2, (key, queued[key])
        assert [r[2] for r in runs] == [POSTINGS] + [0] * (len(runs) - 1), (key, runs)
        assert {r[1] for r in runs} <= {"ok", "unchanged"}, (key, runs)
    # Nothing lost, nothing twice: every posting once, one opened event each.
    assert book.postings == {f"greenhouse:{board_token(i)}": POSTINGS for i in range(BOARDS)}
    assert book.duplicate_postings == 0
    assert book.opened_events == BOARDS * POSTINGS
    assert book.queue.get("failed", 0) == 0, book.queue
    # The slow board's job outlived its worker: run once, by another worker, in its interval.
    slow_hits = server.hits_for(SLOW)
    assert len(slow_hits) >= 3 and slow_hits[1].agent != first_hit.agent, slow_hits
    slow_runs = book.runs[f"greenhouse:{SLOW}"]
    assert slow_runs[0][0].timestamp() < first_hit.at + INTERVAL
    assert any("queued again" in p.log() for p in cluster.processes)
    # Boards whose second tick fell after the leader died were queued by the new leader.
    after_kill = [k for k, r in book.runs.items() if r[1][0].timestamp() > killed_leader_at + 1]
    assert after_kill, "no board ran after the leader died"
