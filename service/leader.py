"""The scheduler's leader lease: a PostgreSQL advisory lock held on a dedicated connection.

Whoever holds the lock schedules; everyone else stands by and tries again every few seconds.
The lock belongs to the holder's database session, so when the leader dies (even by SIGKILL)
its connection closes and the server releases the lock at once; when the leader's connection
breaks instead, it notices within one check and stops scheduling before it tries again.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager, suppress

import psycopg

log = logging.getLogger(__name__)

LEASE_NAME = "talentflow:scheduler"
CHECK_TIMEOUT_SECONDS = 5.0


def lease_key(name: str) -> int:
    """A stable signed 64-bit advisory-lock key for a lease name."""
    digest = hashlib.blake2b(name.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


class LeaderLease:
    def __init__(
        self,
        conninfo: str,
        *,
        retry_seconds: float,
        check_seconds: float | None = None,
        name: str = LEASE_NAME,
    ) -> None:
        self.conninfo = conninfo
        self.key = lease_key(name)
        self.retry_seconds = retry_seconds
        self.check_seconds = check_seconds or retry_seconds
        self._conn: psycopg.AsyncConnection | None = None
        self.held = False

    async def _connection(self) -> psycopg.AsyncConnection:
        if self._conn is None or self._conn.closed:
            self._conn = await psycopg.AsyncConnection.connect(
                self.conninfo,
                autocommit=True,
                application_name="talentflow-leader",
                # A peer that vanished is noticed by the server within ~30 s, so a leader on a
                # host that went away releases the lease even without a clean close.
                keepalives=1,
                keepalives_idle=10,
                keepalives_interval=5,
                keepalives_count=3,
            )
        return self._conn

    async def try_acquire(self) -> bool:
        """One attempt; False while another process holds the lease."""
        conn = await self._connection()
        row = await (await conn.execute("SELECT pg_try_advisory_lock(%s)", (self.key,))).fetchone()
        self.held = bool(row and row[0])
        return self.held

    async def acquire(self) -> None:
        """Waits until this process holds the lease, retrying every ``retry_seconds``."""
        while True:
            try:
                if await self.try_acquire():
                    return
            except (psycopg.Error, OSError) as exc:
                log.warning("leader lease: cannot reach the database: %s", exc)
                await self._drop()
            await asyncio.sleep(self.retry_seconds)

    async def wait_lost(self) -> None:
        """Returns once the lease is no longer certainly held (its connection failed)."""
        while True:
            await asyncio.sleep(self.check_seconds)
            try:
                conn = await self._connection()
                await asyncio.wait_for(conn.execute("SELECT 1"), CHECK_TIMEOUT_SECONDS)
            except (psycopg.Error, OSError, TimeoutError) as exc:
                log.warning("leader lease lost: %s", exc)
                self.held = False
                await self._drop()
                return

    async def release(self) -> None:
        """Closing the session releases the lock; a standby takes over on its next try."""
        self.held = False
        await self._drop()

    async def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None and not conn.closed:
            with suppress(psycopg.Error, OSError):
                await conn.close()


async def lead_while_elected(
    lease: LeaderLease, role: Callable[[], AbstractAsyncContextManager[object]]
) -> None:
    """Forever: wait for the lease, run ``role`` while it is held, stop it when it is lost.

    Cancel the task running this to stop; the lease is released on the way out.
    """
    while True:
        await lease.acquire()
        log.info("leader lease taken: this process runs the schedule")
        try:
            async with role():
                await lease.wait_lost()
            log.warning("standing by: the schedule stopped here")
        except Exception:  # a broken role must not end the process's candidacy
            log.exception("the schedule failed; standing by")
        finally:
            await lease.release()
        await asyncio.sleep(lease.retry_seconds)
