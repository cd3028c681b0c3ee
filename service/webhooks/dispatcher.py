"""Delivering due webhooks from the outbox: claim, send (guarded, signed), record, reschedule.

Crash safety: a delivery is claimed by moving its ``next_attempt_at`` to the end of a lease and
committing *before* the request goes out; the result is committed after. A process killed in
between leaves the delivery pending, due again when the lease ends (or at once with
``retry_now``), so nothing is lost; the receiver may see it twice (deduplicate by ``webhook-id``).
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from service.settings import Settings
from service.webhooks.messages import body_for, signed_headers
from service.webhooks.policy import DISABLE_AFTER_FAILING, Outcome, parse_retry_after, retry_delay
from service.webhooks.ssrf import (
    Resolver,
    Target,
    UnsafeTarget,
    check_target,
    parse_ports,
    system_resolver,
)
from store.engine import session_scope
from store.models import Delivery, DeliveryAttempt, Event, Subscription
from store.subscriptions import disable_subscription
from store.types import utcnow

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
LEASE_MARGIN = timedelta(seconds=60)
PER_SUBSCRIPTION_IN_FLIGHT = 2  # so one slow receiver cannot take every slot
MAX_ERROR_BODY = 300


@dataclass
class PassResult:
    attempted: int = 0
    delivered: int = 0
    retrying: int = 0
    failed: int = 0


@dataclass
class _Job:
    delivery_id: int
    subscription_id: int
    url: str
    secret: str
    msg_id: str
    body: str


@dataclass
class Dispatcher:
    """One instance per pass or per process; ``run_pass`` may be called repeatedly."""

    engine: Engine
    settings: Settings
    transport: httpx.AsyncBaseTransport | None = None
    clock: Clock = utcnow
    resolver: Resolver = system_resolver
    rng: random.Random = field(default_factory=random.Random)

    def __post_init__(self) -> None:
        self.ports = parse_ports(self.settings.webhook_ports)
        self.lease = timedelta(seconds=self.settings.webhook_timeout) + LEASE_MARGIN

    def client(self) -> httpx.AsyncClient:
        # No redirects (they count as failures) and no proxies from the environment: the
        # connection must go to the address that passed the SSRF check.
        return httpx.AsyncClient(
            transport=self.transport,
            follow_redirects=False,
            trust_env=False,
            timeout=self.settings.webhook_timeout,
            headers={"user-agent": self.settings.user_agent},
        )

    async def run_pass(self, *, retry_now: bool = False) -> PassResult:
        """Attempt every due delivery once (every pending one with ``retry_now``)."""
        result = PassResult()
        started = self.clock()
        seen: set[int] = set()
        busy: Counter[int] = Counter()
        in_flight: dict[asyncio.Task[str], _Job] = {}
        limit = self.settings.webhook_concurrency
        async with self.client() as client:
            while True:
                free = limit - len(in_flight)
                jobs = (
                    self._claim(
                        free,
                        retry_now=retry_now,
                        busy=busy,
                        seen=seen,
                        in_flight={j.delivery_id for j in in_flight.values()},
                        pass_started=started,
                    )
                    if free
                    else []
                )
                for job in jobs:
                    seen.add(job.delivery_id)
                    busy[job.subscription_id] += 1
                    in_flight[asyncio.create_task(self._attempt(client, job))] = job
                if not in_flight:
                    return result
                done, _ = await asyncio.wait(in_flight, return_when=asyncio.FIRST_COMPLETED)
                for task in done:
                    busy[in_flight.pop(task).subscription_id] -= 1
                    result.attempted += 1
                    label = task.result()
                    setattr(result, label, getattr(result, label) + 1)

    def _claim(
        self,
        free: int,
        *,
        retry_now: bool = False,
        busy: Counter[int] | None = None,
        seen: set[int] | None = None,
        in_flight: set[int] | None = None,
        pass_started: datetime | None = None,
    ) -> list[_Job]:
        """Lease up to ``free`` deliveries not yet tried in this pass."""
        now = self.clock()
        busy, seen = busy or Counter(), seen or set()
        full = [sub for sub, n in busy.items() if n >= PER_SUBSCRIPTION_IN_FLIGHT]
        tried = select(DeliveryAttempt.id).where(
            col(DeliveryAttempt.delivery_id) == Delivery.id,
            col(DeliveryAttempt.attempted_at) >= (pass_started or now),
        )
        query = (
            select(Delivery.id, Delivery.subscription_id, Delivery.next_attempt_at)
            .join(Subscription, col(Subscription.id) == Delivery.subscription_id)
            .where(
                Delivery.status == "pending",
                col(Subscription.disabled_at).is_(None),
                ~tried.exists(),
            )
        )
        if not retry_now:
            query = query.where(col(Delivery.next_attempt_at) <= now)
        # Both sets are bounded by the concurrency, so the IN lists stay short.
        if in_flight:
            query = query.where(col(Delivery.id).not_in(in_flight))
        if full:
            query = query.where(col(Delivery.subscription_id).not_in(full))
        query = query.order_by(col(Delivery.next_attempt_at), col(Delivery.id))
        jobs: list[_Job] = []
        with session_scope(self.engine) as session:
            taken = Counter(busy)
            for delivery_id, sub_id, due in session.exec(query.limit(free * 4 + 20)).all():
                if len(jobs) >= free or delivery_id is None:
                    break
                if delivery_id in seen or taken[sub_id] >= PER_SUBSCRIPTION_IN_FLIGHT:
                    continue
                # Compare-and-set: only one dispatcher wins a delivery while its lease runs.
                claimed = session.execute(
                    update(Delivery)
                    .where(
                        col(Delivery.id) == delivery_id,
                        col(Delivery.status) == "pending",
                        col(Delivery.next_attempt_at) == due,
                    )
                    .values(next_attempt_at=now + self.lease)
                )
                if claimed.rowcount != 1:  # type: ignore[attr-defined]
                    continue
                taken[sub_id] += 1
                job = self._job(session, delivery_id)
                if job is not None:
                    jobs.append(job)
        return jobs

    @staticmethod
    def _job(session: Session, delivery_id: int) -> _Job | None:
        delivery = session.get(Delivery, delivery_id)
        if delivery is None:
            return None
        sub = session.get(Subscription, delivery.subscription_id)
        event = session.get(Event, delivery.event_id)
        if sub is None or event is None:
            return None
        return _Job(
            delivery_id,
            delivery.subscription_id,
            sub.url,
            sub.secret,
            delivery.msg_id,
            body_for(event, sub.format),
        )

    async def _attempt(self, client: httpx.AsyncClient, job: _Job) -> str:
        started = self.clock()
        try:
            target = await check_target(
                job.url,
                allow_private=self.settings.allow_private_webhooks,
                ports=self.ports,
                resolver=self.resolver,
            )
        except UnsafeTarget as exc:
            outcome = Outcome(None, f"refused: {exc}", None)
        else:
            headers = signed_headers(job.secret, job.msg_id, job.body, started)
            try:
                outcome = await self._post(client, target, headers, job.body)
            except Exception as exc:  # one broken attempt must not end the whole pass
                log.exception("delivery %s failed unexpectedly", job.delivery_id)
                outcome = Outcome(None, f"internal error: {type(exc).__name__}: {exc}"[:300], None)
        try:
            return self._record(job.delivery_id, started, outcome)
        except Exception:  # the lease expires and the delivery is retried; log and go on
            log.exception("could not record the attempt of delivery %s", job.delivery_id)
            return "retrying"

    async def _post(
        self, client: httpx.AsyncClient, target: Target, headers: dict[str, str], body: str
    ) -> Outcome:
        extensions: dict[str, Any] = {}
        if target.scheme == "https":
            extensions["sni_hostname"] = target.host  # TLS checks the name, not the address
        headers = {**headers, "host": target.host_header}
        start = time.perf_counter()
        try:
            async with client.stream(
                "POST",
                target.connect_url,
                content=body.encode(),
                headers=headers,
                extensions=extensions,
            ) as response:
                snippet = b""
                async for chunk in response.aiter_bytes():
                    snippet += chunk
                    if len(snippet) >= MAX_ERROR_BODY:  # never read a huge answer
                        break
        except httpx.TimeoutException:
            return Outcome(
                None,
                f"timed out after {self.settings.webhook_timeout:g} s",
                (time.perf_counter() - start) * 1000,
            )
        except httpx.HTTPError as exc:
            return Outcome(
                None,
                f"{type(exc).__name__}: {exc}"[:MAX_ERROR_BODY],
                (time.perf_counter() - start) * 1000,
            )
        latency = (time.perf_counter() - start) * 1000
        code = response.status_code
        if 200 <= code < 300:
            return Outcome(code, None, latency)
        if 300 <= code < 400:
            where = response.headers.get("location", "?")
            return Outcome(code, f"redirect {code} to {where[:200]} not followed", latency)
        retry_after = (
            parse_retry_after(response.headers.get("retry-after"), self.clock())
            if code in (429, 503)
            else None
        )
        text = snippet[:MAX_ERROR_BODY].decode("utf-8", "replace").strip()
        return Outcome(code, f"HTTP {code}" + (f": {text}" if text else ""), latency, retry_after)

    def _record(self, delivery_id: int, started: datetime, outcome: Outcome) -> str:
        now = self.clock()
        with session_scope(self.engine) as session:
            delivery = session.get(Delivery, delivery_id)
            if delivery is None or delivery.status != "pending":
                return "failed"  # deleted or finished elsewhere meanwhile
            sub = session.get(Subscription, delivery.subscription_id)
            assert sub is not None
            session.add(
                DeliveryAttempt(
                    delivery_id=delivery_id,
                    attempted_at=started,
                    status_code=outcome.status_code,
                    latency_ms=outcome.latency_ms,
                    error=outcome.error,
                )
            )
            delivery.attempts += 1
            delivery.last_status_code = outcome.status_code
            delivery.last_error = outcome.error
            session.add(delivery)
            if outcome.ok:
                delivery.status, delivery.finished_at, delivery.next_attempt_at = (
                    "delivered",
                    now,
                    None,
                )
                sub.failing_since = None
                session.add(sub)
                return "delivered"
            if outcome.gone:
                delivery.status, delivery.finished_at, delivery.next_attempt_at = (
                    "failed",
                    now,
                    None,
                )
                session.flush()
                disable_subscription(session, sub, "the receiver answered 410 Gone", now)
                return "failed"
            return self._after_failure(session, delivery, sub, outcome, now)

    def _after_failure(
        self,
        session: Session,
        delivery: Delivery,
        sub: Subscription,
        outcome: Outcome,
        now: datetime,
    ) -> str:
        sub.failing_since = sub.failing_since or now
        session.add(sub)
        delay = retry_delay(delivery.attempts, self.rng)
        if delay is not None and outcome.retry_after is not None:
            delay = outcome.retry_after
        label = "retrying"
        if delay is None:
            delivery.status, delivery.finished_at, delivery.next_attempt_at = ("failed", now, None)
            label = "failed"
        else:
            delivery.next_attempt_at = now + delay
        session.add(delivery)
        session.flush()
        if now - sub.failing_since >= DISABLE_AFTER_FAILING:
            disable_subscription(
                session,
                sub,
                f"every delivery failed for 5 days (since {sub.failing_since.isoformat()})",
                now,
            )
        return label


async def deliver_due(
    engine: Engine, settings: Settings, *, retry_now: bool = False, **kwargs: Any
) -> PassResult:
    """One delivery pass (``talentflow deliver``, the end of ``scrape``, the ``run`` job)."""
    return await Dispatcher(engine, settings, **kwargs).run_pass(retry_now=retry_now)
