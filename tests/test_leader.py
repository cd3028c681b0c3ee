"""The leader lease on PostgreSQL: one holder at a time, handed over when the holder goes,
and given up by a holder whose connection is cut."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import psycopg

from service.leader import LeaderLease, lead_while_elected, lease_key
from service.queue import libpq_conninfo
from tests.conftest import PgDatabases


def test_lease_keys_are_stable_and_distinct() -> None:
    assert lease_key("talentflow:scheduler") == lease_key("talentflow:scheduler")
    assert lease_key("talentflow:scheduler") != lease_key("talentflow:queue-schema")
    assert -(2**63) <= lease_key("x") < 2**63


def test_one_holder_then_the_standby(pg_databases: PgDatabases) -> None:
    conninfo = libpq_conninfo(pg_databases.create())

    async def scenario() -> None:
        first = LeaderLease(conninfo, retry_seconds=0.1)
        second = LeaderLease(conninfo, retry_seconds=0.1)
        assert await first.try_acquire()
        assert not await second.try_acquire()
        waiting = asyncio.create_task(second.acquire())
        await asyncio.sleep(0.3)
        assert not waiting.done()  # still held by the first
        await first.release()
        await asyncio.wait_for(waiting, 5)
        assert second.held and not await first.try_acquire()
        await second.release()
        await first.release()

    asyncio.run(scenario())


def test_a_cut_connection_stops_the_role_and_the_standby_leads(pg_databases: PgDatabases) -> None:
    conninfo = libpq_conninfo(pg_databases.create())
    events: list[str] = []

    def role(name: str):  # type: ignore[no-untyped-def]
        @asynccontextmanager
        async def running() -> AsyncIterator[None]:
            events.append(f"{name} leads")
            try:
                yield
            finally:
                events.append(f"{name} stops")

        return running

    async def scenario() -> None:
        a = LeaderLease(conninfo, retry_seconds=0.2, check_seconds=0.1)
        b = LeaderLease(conninfo, retry_seconds=0.2, check_seconds=0.1)
        task_a = asyncio.create_task(lead_while_elected(a, role("a")))
        await asyncio.sleep(0.5)
        task_b = asyncio.create_task(lead_while_elected(b, role("b")))
        await asyncio.sleep(0.5)
        assert events == ["a leads"]
        # The server ends a's session (as on a failover or a network cut): a notices and stops,
        # and b, which was standing by, takes over.
        async with await psycopg.AsyncConnection.connect(conninfo, autocommit=True) as admin:
            await admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE application_name = 'talentflow-leader' AND pid IN "
                "(SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted "
                "AND database = (SELECT oid FROM pg_database WHERE datname = current_database()))"
            )
        for _ in range(50):
            if "b leads" in events:
                break
            await asyncio.sleep(0.1)
        assert events[:3] == ["a leads", "a stops", "b leads"]
        for task in (task_a, task_b):
            task.cancel()
        await asyncio.gather(task_a, task_b, return_exceptions=True)

    asyncio.run(scenario())
