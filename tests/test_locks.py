"""Board locks: SQLite-style leases (on both databases), PostgreSQL advisory locks, and holding
one for a block of async code."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from store import locks
from store.locks import AdvisoryLock, LeaseLock, advisory_key, board_lock, holding
from store.models import BoardLease
from tests.conftest import at

KEY = "greenhouse:xai"
T0 = at("2026-11-24T08:00:00")


def lease(engine: Engine, minutes: float, *, key: str = KEY, holder: str) -> LeaseLock:
    """A lease whose clock reads ``minutes`` after T0."""
    return LeaseLock(engine, key, clock=lambda: T0 + timedelta(minutes=minutes), holder=holder)


def leases(engine: Engine) -> list[tuple[str, str]]:
    with Session(engine) as session:
        return [(row.board_key, row.holder) for row in session.exec(select(BoardLease))]


def test_a_lease_keeps_others_out_until_it_expires(engine: Engine) -> None:
    assert lease(engine, 0, holder="a").acquire()
    assert not lease(engine, 1, holder="b").acquire()
    assert not lease(engine, 4.9, holder="b").acquire()
    assert lease(engine, 0, key="lever:mistral", holder="b").acquire()  # another board is free
    # Past its five minutes (the holder died without releasing): the next holder gets in.
    assert lease(engine, 5.1, holder="b").acquire()
    assert (KEY, "b") in leases(engine)
    # The old holder learns it lost the lease, and its release leaves the new one alone.
    old = lease(engine, 6, holder="a")
    assert not old.renew()
    old.release()
    assert (KEY, "b") in leases(engine)
    assert not lease(engine, 6, holder="c").acquire()


def test_renewing_a_lease_extends_it_and_releasing_frees_it(engine: Engine) -> None:
    first = lease(engine, 0, holder="a")
    assert first.acquire()
    assert lease(engine, 4, holder="a").renew()  # now held until 9 minutes after T0
    assert not lease(engine, 8, holder="b").acquire()
    first.release()
    assert leases(engine) == []
    assert lease(engine, 8, holder="b").acquire()


def test_the_advisory_key_is_stable_signed_64_bit_and_per_board() -> None:
    key = advisory_key(KEY)
    assert key == advisory_key(KEY) and -(2**63) <= key < 2**63
    assert key != advisory_key("lever:mistral")


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_an_advisory_lock_held_by_one_connection_blocks_another(engine: Engine) -> None:
    first, second = AdvisoryLock(engine, KEY), AdvisoryLock(engine, KEY)
    assert first.acquire()
    try:
        assert not second.acquire()
        other = AdvisoryLock(engine, "lever:mistral")
        assert other.acquire()
        other.release()
        assert leases(engine) == []  # nothing written: the lock lives in the server
    finally:
        first.release()
    assert second.acquire()
    second.release()


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_an_advisory_lock_dies_with_a_killed_process(engine: Engine) -> None:
    url = engine.url.render_as_string(hide_password=False)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from store.engine import make_engine\n"
            "from store.locks import AdvisoryLock\n"
            f"lock = AdvisoryLock(make_engine({url!r}), {KEY!r})\n"
            "print(lock.acquire(), flush=True)\n"
            "time.sleep(600)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "True"
        assert not AdvisoryLock(engine, KEY).acquire()
    finally:
        holder.kill()
        holder.wait(timeout=30)
    # The server notices the closed connection and drops the lock with it.
    lock = AdvisoryLock(engine, KEY)
    deadline = time.monotonic() + 30
    while not lock.acquire():
        assert time.monotonic() < deadline, "the killed process's lock was never released"
        time.sleep(0.2)
    lock.release()


def test_holding_releases_on_exit_and_on_exception(engine: Engine) -> None:
    async def scenario() -> None:
        async with holding(board_lock(engine, KEY)) as held:
            assert held
            async with holding(board_lock(engine, KEY)) as again:
                assert not again  # a second run of the board, even in this process
        async with holding(board_lock(engine, KEY)) as held:
            assert held  # released at the end of the first block
        with pytest.raises(RuntimeError, match="scraper bug"):
            async with holding(board_lock(engine, KEY)) as held:
                assert held
                raise RuntimeError("scraper bug")
        async with holding(board_lock(engine, KEY)) as held:
            assert held  # released when the block raised

    asyncio.run(scenario())
    assert leases(engine) == []


def test_waiting_for_a_busy_board_takes_it_once_released(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(locks, "BUSY_POLL_SECONDS", 0.01)

    async def scenario() -> list[str]:
        order: list[str] = []
        first = board_lock(engine, KEY)
        assert first.acquire()

        async def waiter() -> None:
            async with holding(board_lock(engine, KEY), wait=60) as held:
                order.append(f"waiter held={held}")

        task = asyncio.create_task(waiter())
        await asyncio.sleep(0.05)  # the waiter polls a few times meanwhile
        order.append("first released")
        first.release()
        await task
        return order

    assert asyncio.run(scenario()) == ["first released", "waiter held=True"]


class CountingLock:
    """A lock that must be renewed continuously, and refuses renewal after ``limit`` times."""

    key = "fake"
    renew_every = timedelta(0)

    def __init__(self, limit: int) -> None:
        self.limit, self.renewals, self.released = limit, 0, False

    def acquire(self) -> bool:
        return True

    def renew(self) -> bool:
        self.renewals += 1
        return self.renewals < self.limit

    def release(self) -> None:
        self.released = True


def test_holding_renews_until_the_block_ends_or_the_lock_is_lost(
    caplog: pytest.LogCaptureFixture,
) -> None:
    lock = CountingLock(limit=3)

    async def scenario() -> None:
        async with holding(lock) as held:
            assert held
            for _ in range(20):
                await asyncio.sleep(0)

    asyncio.run(scenario())
    assert lock.renewals == 3 and lock.released  # stopped renewing once refused
    assert "lost the lock on board fake" in caplog.text
