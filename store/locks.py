"""One run of a board at a time, across processes and machines.

- PostgreSQL: a session-level advisory lock (``pg_try_advisory_lock``) on a key derived from
  the board key, held on a dedicated connection for the whole run and released at its end. The
  server drops it with the connection, so a killed process never leaves a board locked.
- SQLite (no advisory locks): a lease row in ``board_lease``, taken with one atomic
  ``INSERT … ON CONFLICT DO UPDATE … WHERE expires_at < now``, renewed while the run lasts and
  deleted at its end. A killed process's lease lapses after ``LEASE_TTL``.

``board_lock`` picks the kind for an engine; ``holding`` holds one for an ``async with`` block.
``serialize_transactions`` makes transactions on one name (not a board) take turns.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import secrets
import socket
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import ColumnElement, and_, create_engine, delete, false, func, update
from sqlalchemy.engine import URL, Connection, Engine
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlmodel import Session, col, select

from store.models import BoardLease
from store.types import utcnow
from store.upsert import insert

log = logging.getLogger(__name__)

LEASE_TTL = timedelta(minutes=5)
# Renewed five times per lease: a run stalled for a moment does not lose its board.
LEASE_RENEW_EVERY = LEASE_TTL / 5
BUSY_POLL_SECONDS = 1.0
Clock = Callable[[], datetime]


class BoardLock(Protocol):
    key: str
    # How often the lock must be renewed while held; None when it needs no renewal.
    renew_every: timedelta | None

    def acquire(self) -> bool:
        """Take the lock if nobody holds it; True when taken. Never waits for another holder."""
        ...

    def renew(self) -> bool:
        """Extend a held lock; False when it is no longer held by this holder."""
        ...

    def release(self) -> None:
        """Give the lock up (nothing happens when it is not held)."""
        ...


def advisory_key(board_key: str) -> int:
    """The signed 64-bit advisory lock key of a board, in a namespace of its own."""
    digest = hashlib.blake2b(f"talentflow:board:{board_key}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


# Lock connections are kept apart from the engine's pool (a run holds one for minutes; many runs
# must not exhaust it) in a pool of their own per process and database, so that a run does not
# pay for a new server connection (a PostgreSQL backend each) just to take its lock.
_LOCK_ENGINES: dict[tuple[int, str], Engine] = {}
_IDLE_LOCK_CONNECTIONS = 8


def _lock_engine(url: URL) -> Engine:
    key = (os.getpid(), url.render_as_string(hide_password=False))
    engine = _LOCK_ENGINES.get(key)
    if engine is None:
        engine = _LOCK_ENGINES[key] = create_engine(
            url,
            isolation_level="AUTOCOMMIT",
            pool_size=_IDLE_LOCK_CONNECTIONS,
            max_overflow=-1,  # never a wait for a lock connection: only idle ones are capped
            pool_pre_ping=True,
        )
    return engine


class AdvisoryLock:
    """A PostgreSQL session-level advisory lock on a connection of its own, outside any
    transaction (the run's long fetch never holds one open)."""

    renew_every: timedelta | None = None

    def __init__(self, engine: Engine, key: str) -> None:
        self.url, self.key = engine.url, key
        self._conn: Connection | None = None

    def acquire(self) -> bool:
        if self._conn is not None:
            raise RuntimeError(f"the lock on {self.key!r} is already held")
        conn = _lock_engine(self.url).connect()
        try:
            taken = bool(conn.scalar(select(func.pg_try_advisory_lock(advisory_key(self.key)))))
        except BaseException:
            conn.invalidate()
            conn.close()
            raise
        if not taken:
            conn.close()
            return False
        self._conn = conn
        return True

    def renew(self) -> bool:
        return self._conn is not None  # held as long as its connection lives

    def release(self) -> None:
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            # Every session lock of the connection, so none can linger into its next use.
            conn.scalar(select(func.pg_advisory_unlock_all()))
        except DBAPIError:
            conn.invalidate()  # the connection broke: the server dropped the lock with it
        finally:
            conn.close()  # back to the lock pool (or discarded when invalidated)


class LeaseLock:
    """A lease row with an expiry; works on any database ``store.upsert`` supports."""

    def __init__(
        self,
        engine: Engine,
        key: str,
        *,
        ttl: timedelta = LEASE_TTL,
        clock: Clock = utcnow,
        holder: str | None = None,
    ) -> None:
        self.engine, self.key, self.ttl, self.clock = engine, key, ttl, clock
        self.renew_every: timedelta | None = min(LEASE_RENEW_EVERY, ttl / 5)
        self.holder = holder or f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"

    def acquire(self) -> bool:
        now = self.clock()
        with self.engine.begin() as conn:
            new = insert(conn, BoardLease).values(
                board_key=self.key, holder=self.holder, expires_at=now + self.ttl
            )
            taken = new.on_conflict_do_update(
                index_elements=[col(BoardLease.board_key)],
                set_={"holder": new.excluded.holder, "expires_at": new.excluded.expires_at},
                where=col(BoardLease.expires_at) < now,  # only a lapsed lease changes hands
            ).returning(col(BoardLease.holder))
            return conn.execute(taken).first() is not None

    def _mine(self) -> ColumnElement[bool]:
        return and_(col(BoardLease.board_key) == self.key, col(BoardLease.holder) == self.holder)

    def renew(self) -> bool:
        with self.engine.begin() as conn:
            result = conn.execute(
                update(BoardLease).where(self._mine()).values(expires_at=self.clock() + self.ttl)
            )
            return bool(result.rowcount)

    def release(self) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(BoardLease).where(self._mine()))


def board_lock(engine: Engine, key: str) -> BoardLock:
    """The lock that keeps one run of board ``key`` at a time on this engine's database."""
    if engine.dialect.name == "postgresql":
        return AdvisoryLock(engine, key)
    return LeaseLock(engine, key)


async def _keep_renewed(lock: BoardLock, every: timedelta) -> None:
    while True:
        await asyncio.sleep(every.total_seconds())
        try:
            renewed = lock.renew()
        except SQLAlchemyError:
            log.warning(
                "could not renew the lock on board %s; trying again", lock.key, exc_info=True
            )
            continue
        if not renewed:
            log.warning("lost the lock on board %s: another run may start", lock.key)
            return


@asynccontextmanager
async def holding(lock: BoardLock, *, wait: float = 0.0) -> AsyncIterator[bool]:
    """Hold ``lock`` for the block: yields True while held (renewed in the background when it
    must be), or False when another run holds it still after ``wait`` seconds. Released when
    the block ends, however it ends."""
    deadline = time.monotonic() + wait
    while not lock.acquire():
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            yield False
            return
        await asyncio.sleep(min(BUSY_POLL_SECONDS, remaining))
    renewer = (
        asyncio.create_task(_keep_renewed(lock, lock.renew_every))
        if lock.renew_every is not None
        else None
    )
    try:
        yield True
    finally:
        if renewer is not None:
            renewer.cancel()
        try:
            lock.release()
        except SQLAlchemyError:  # never hide how the block ended; a lease lapses by itself
            log.warning("could not release the lock on board %s", lock.key, exc_info=True)
        if renewer is not None:
            with suppress(asyncio.CancelledError):
                await renewer


def serialize_transactions(session: Session, name: str) -> None:
    """Until the caller's transaction ends, other transactions calling this with ``name`` wait
    (for a check-then-insert with no unique key to enforce it). PostgreSQL: a transaction-level
    advisory lock. SQLite has one writer at a time: a write transaction is begun now (a write
    that changes nothing), so the check that follows runs after every earlier writer's commit.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.exec(select(func.pg_advisory_xact_lock(advisory_key(name))))
    else:
        session.exec(update(BoardLease).where(false()).values(holder=""))
