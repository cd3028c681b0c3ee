"""Retry schedule, jitter, 410, redirects, Retry-After, 5-day disable, bounded concurrency —
with a controllable clock and ``httpx.MockTransport`` (no sockets)."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable
from datetime import timedelta

import httpx
import pytest
from sqlalchemy.engine import Engine

from service.webhooks.policy import (
    MAX_ATTEMPTS,
    RETRY_SCHEDULE,
    parse_retry_after,
    retry_delay,
)
from tests.conftest import at
from tests.webhook_helpers import (
    Clock,
    attempts,
    deliveries,
    dispatcher,
    emit_posting,
    public_resolver,
    subscribe,
    subscription,
)

START = at("2026-11-24T08:00")
Handler = Callable[[httpx.Request], httpx.Response]


def recording(answer: Handler) -> tuple[list[httpx.Request], httpx.MockTransport]:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return answer(request)

    return seen, httpx.MockTransport(handler)


def run(engine: Engine, clock: Clock, transport: httpx.MockTransport, **kwargs: object) -> None:
    asyncio.run(
        dispatcher(
            engine,
            clock,
            transport=transport,
            resolver=public_resolver,
            allow_private=False,
            **kwargs,
        ).run_pass()
    )


def test_schedule_is_the_documented_one_with_bounded_jitter() -> None:
    assert [d.total_seconds() for d in RETRY_SCHEDULE] == [5, 300, 1800, 7200, 18000, 36000, 36000]
    rng = random.Random(1)
    for attempt, base in enumerate(RETRY_SCHEDULE, start=1):
        delays = {retry_delay(attempt, rng) for _ in range(50)}
        assert all(d is not None and base * 0.9 <= d <= base * 1.1 for d in delays)
        assert len(delays) > 1  # jittered, not fixed
    assert retry_delay(MAX_ATTEMPTS, rng) is None


def test_failing_receiver_follows_the_schedule_then_fails_visibly(engine: Engine) -> None:
    clock = Clock(START)
    seen, transport = recording(lambda _r: httpx.Response(500, text="boom"))
    sub = subscribe(engine, "https://hooks.example.com/x")
    emit_posting(engine, START)
    gaps = []
    for _ in range(MAX_ATTEMPTS):
        before = len(seen)
        run(engine, clock, transport)
        assert len(seen) == before + 1
        (row,) = deliveries(engine)
        if row.next_attempt_at is not None:
            gap = row.next_attempt_at - clock.now
            gaps.append(gap)
            # Not due a moment before the gap ends: nothing is sent early.
            clock.advance(gap - timedelta(seconds=1))
            run(engine, clock, transport)
            assert len(seen) == before + 1
            clock.advance(timedelta(seconds=1))
    for gap, base in zip(gaps, RETRY_SCHEDULE, strict=True):
        assert base * 0.9 <= gap <= base * 1.1
    (row,) = deliveries(engine)
    assert row.status == "failed" and row.attempts == MAX_ATTEMPTS
    assert row.last_status_code == 500 and "boom" in (row.last_error or "")
    assert [a.status_code for a in attempts(engine, row.id or 0)] == [500] * MAX_ATTEMPTS
    clock.advance(timedelta(days=1))
    run(engine, clock, transport)
    assert len(seen) == MAX_ATTEMPTS
    # 8 attempts span ~32.6 h, short of five days: the subscription stays on.
    assert subscription(engine, sub.id or 0).disabled_at is None


def test_connects_to_the_checked_address_with_the_original_host(engine: Engine) -> None:
    clock = Clock(START)
    seen, transport = recording(lambda _r: httpx.Response(200))
    subscribe(engine, "https://hooks.example.com:8443/in?x=1")
    emit_posting(engine, START)
    run(engine, clock, transport)
    (request,) = seen
    assert request.url.host == "93.184.216.34" and request.url.port == 8443
    assert request.url.path == "/in" and request.url.query == b"x=1"
    assert request.headers["host"] == "hooks.example.com:8443"
    assert request.extensions["sni_hostname"] == "hooks.example.com"


def test_410_disables_the_subscription_and_fails_its_pending_deliveries(engine: Engine) -> None:
    clock = Clock(START)
    seen, transport = recording(lambda _r: httpx.Response(410))
    sub = subscribe(engine, "https://hooks.example.com/x", flt={}, events=("posting.opened",))
    emit_posting(engine, START, 1)
    run(engine, clock, transport, webhook_concurrency=1)
    emit_posting(engine, START, 2)  # arrives after the 410: never sent
    clock.advance(timedelta(hours=1))
    run(engine, clock, transport)
    assert len(seen) == 1
    state = subscription(engine, sub.id or 0)
    assert state.disabled_at == START and "410" in (state.disabled_reason or "")
    assert [d.status for d in deliveries(engine)] == ["failed"]  # no delivery for event 2


def test_redirects_are_not_followed_and_count_as_failures(engine: Engine) -> None:
    clock = Clock(START)
    seen, transport = recording(
        lambda _r: httpx.Response(
            302, headers={"location": "http://169.254.169.254/latest/meta-data"}
        )
    )
    subscribe(engine, "https://hooks.example.com/x")
    emit_posting(engine, START)
    run(engine, clock, transport)
    assert len(seen) == 1  # the Location was never requested
    (row,) = deliveries(engine)
    assert row.status == "pending" and row.attempts == 1
    assert "not followed" in (row.last_error or "")


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_is_honoured(engine: Engine, status: int) -> None:
    clock = Clock(START)
    seen, transport = recording(lambda _r: httpx.Response(status, headers={"retry-after": "90"}))
    subscribe(engine, "https://hooks.example.com/x")
    emit_posting(engine, START)
    run(engine, clock, transport)
    (row,) = deliveries(engine)
    assert row.next_attempt_at == START + timedelta(seconds=90)  # not the 5 s of the schedule
    clock.advance(timedelta(seconds=89))
    run(engine, clock, transport)
    assert len(seen) == 1
    clock.advance(timedelta(seconds=1))
    run(engine, clock, transport)
    assert len(seen) == 2


def test_retry_after_http_date_and_bounds() -> None:
    assert parse_retry_after("Tue, 24 Nov 2026 08:02:00 GMT", START) == timedelta(minutes=2)
    assert parse_retry_after("999999", START) == timedelta(hours=10)
    assert parse_retry_after("soon", START) is None
    assert parse_retry_after(None, START) is None


def test_five_days_of_failures_disable_the_subscription(engine: Engine) -> None:
    clock = Clock(START)
    _seen, transport = recording(lambda _r: httpx.Response(500))
    sub = subscribe(engine, "https://hooks.example.com/x")
    for day in range(6):
        emit_posting(engine, clock.now, day)
        run(engine, clock, transport)
        clock.advance(timedelta(days=1))
        if subscription(engine, sub.id or 0).disabled_at is not None:
            break
    state = subscription(engine, sub.id or 0)
    assert state.disabled_at == START + timedelta(days=5)
    assert "5 days" in (state.disabled_reason or "")
    assert all(d.status == "failed" for d in deliveries(engine))


def test_a_success_resets_the_failing_clock(engine: Engine) -> None:
    clock = Clock(START)
    status = {"code": 500}
    _seen, transport = recording(lambda _r: httpx.Response(status["code"]))
    sub = subscribe(engine, "https://hooks.example.com/x")
    for code in (500, 200, 500):  # down on day 0, up on day 3, down again on day 6
        status["code"] = code
        emit_posting(engine, clock.now)
        run(engine, clock, transport)
        clock.advance(timedelta(days=3))
    state = subscription(engine, sub.id or 0)
    assert state.failing_since == START + timedelta(days=6) and state.disabled_at is None


def test_one_slow_receiver_does_not_block_the_others(engine: Engine) -> None:
    finished: list[str] = []

    async def handler(request: httpx.Request) -> httpx.Response:
        if request.headers["host"] == "slow.example.com":
            await asyncio.sleep(0.5)
        finished.append(request.headers["host"])
        return httpx.Response(200)

    subscribe(engine, "https://slow.example.com/x")
    subscribe(engine, "https://fast.example.com/x")
    for n in range(6):
        emit_posting(engine, START, n)
    asyncio.run(
        dispatcher(
            engine,
            Clock(START),
            transport=httpx.MockTransport(handler),
            resolver=public_resolver,
            allow_private=False,
            webhook_concurrency=4,
        ).run_pass()
    )
    assert len(finished) == 12
    # All six fast deliveries finish before the slow receiver has answered even twice.
    assert finished[:6] == ["fast.example.com"] * 6


def test_timeout_is_a_failure_with_a_clear_error(engine: Engine) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    subscribe(engine, "https://hooks.example.com/x")
    emit_posting(engine, START)
    run(engine, Clock(START), httpx.MockTransport(handler))
    (row,) = deliveries(engine)
    assert row.status == "pending" and "timed out after 15 s" in (row.last_error or "")


def test_a_crash_after_claiming_leaves_the_delivery_due_after_its_lease(engine: Engine) -> None:
    clock = Clock(START)
    seen, transport = recording(lambda _r: httpx.Response(200))
    subscribe(engine, "https://hooks.example.com/x")
    emit_posting(engine, START)
    crashed = dispatcher(engine, clock, transport=transport, resolver=public_resolver)
    (job,) = crashed._claim(4)  # claimed, then the process dies
    (row,) = deliveries(engine)
    assert row.status == "pending" and row.next_attempt_at == START + crashed.lease
    run(engine, clock, transport)
    assert seen == []  # a second dispatcher leaves the leased delivery alone
    clock.advance(crashed.lease)
    run(engine, clock, transport)
    assert len(seen) == 1 and seen[0].headers["webhook-id"] == job.msg_id
    assert deliveries(engine)[0].status == "delivered"


def test_retry_after_zero_is_tried_once_per_pass_not_in_a_loop(engine: Engine) -> None:
    clock = Clock(START)
    seen, transport = recording(lambda _r: httpx.Response(503, headers={"retry-after": "0"}))
    subscribe(engine, "https://hooks.example.com/x")
    emit_posting(engine, START)
    run(engine, clock, transport)
    assert len(seen) == 1
    asyncio.run(
        dispatcher(
            engine, clock, transport=transport, resolver=public_resolver, allow_private=False
        ).run_pass(retry_now=True)
    )
    assert len(seen) == 1  # already tried at this instant
    clock.advance(timedelta(seconds=1))
    run(engine, clock, transport)
    assert len(seen) == 2
