"""Helpers for webhook tests: subscriptions, events, a controllable clock, a canary listener."""

from __future__ import annotations

import random
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from service.settings import Settings
from service.webhooks.dispatcher import Dispatcher
from service.webhooks.messages import new_secret
from store.engine import session_scope
from store.events import emit
from store.models import Delivery, DeliveryAttempt, Subscription


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


def subscribe(
    engine: Engine,
    url: str,
    *,
    events: tuple[str, ...] = ("posting.opened",),
    flt: dict[str, Any] | None = None,
    fmt: str = "standard",
    at: datetime | None = None,
) -> Subscription:
    with session_scope(engine) as session:
        sub = Subscription(
            url=url,
            events=list(events),
            filter=flt or {},
            format=fmt,
            secret=new_secret(),
            **({"created_at": at} if at else {}),
        )
        session.add(sub)
        session.flush()
        session.refresh(sub)
        return sub


def posting_data(n: int, **changes: Any) -> dict[str, Any]:
    posting: dict[str, Any] = {
        "id": n,
        "company": "xAI",
        "ats": "greenhouse",
        "external_id": str(4000 + n),
        "title": f"Research Engineer {n}",
        "team": "Omni",
        "department": "Research",
        "locations": ["Palo Alto, CA, United States"],
        "workplace": "onsite",
        "employment_type": "full_time",
        "pay": {
            "min": 180000,
            "max": 240000,
            "currency": "USD",
            "period": "year",
            "annual_min": 180000,
            "annual_max": 240000,
            "annual_min_usd": 180000,
            "annual_max_usd": 240000,
            "source": "structured",
        },
        "topics": ["multimodal"],
        "url": f"https://job-boards.greenhouse.io/xai/jobs/{4000 + n}",
        "posted_at": None,
        "first_seen_at": "2026-11-24T08:00:00Z",
        "last_seen_at": "2026-11-24T08:00:00Z",
        "closed_at": None,
        "status": "open",
    }
    posting.update(changes)
    return posting


def emit_posting(
    engine: Engine, at: datetime, n: int = 1, type_: str = "posting.opened", **changes: Any
) -> int:
    with session_scope(engine) as session:
        event = emit(session, type_, {"posting": posting_data(n, **changes)}, at=at)
        assert event.id is not None
        return event.id


def deliveries(engine: Engine, subscription_id: int | None = None) -> list[Delivery]:
    with Session(engine) as session:
        query = select(Delivery).order_by(col(Delivery.id))
        if subscription_id is not None:
            query = query.where(Delivery.subscription_id == subscription_id)
        return list(session.exec(query).all())


def attempts(engine: Engine, delivery_id: int) -> list[DeliveryAttempt]:
    with Session(engine) as session:
        return list(
            session.exec(
                select(DeliveryAttempt)
                .where(DeliveryAttempt.delivery_id == delivery_id)
                .order_by(col(DeliveryAttempt.id))
            ).all()
        )


def subscription(engine: Engine, subscription_id: int) -> Subscription:
    with Session(engine) as session:
        sub = session.get(Subscription, subscription_id)
        assert sub is not None
        return sub


async def public_resolver(_host: str, _port: int) -> list[str]:
    """Every name resolves to a public documentation-free address (no DNS in tests)."""
    return ["93.184.216.34"]


def dispatcher(
    engine: Engine, clock: Clock | None = None, *, allow_private: bool = True, **kwargs: Any
) -> Dispatcher:
    # Local receivers listen on ephemeral ports, so tests open every port unless told otherwise.
    options = {"webhook_ports": "1-65535"}
    options.update({k: kwargs.pop(k) for k in list(kwargs) if k.startswith("webhook_")})
    settings = Settings(allow_private_webhooks=allow_private, **options)
    if clock is not None:
        kwargs["clock"] = clock
    kwargs.setdefault("rng", random.Random(7))
    return Dispatcher(engine, settings, **kwargs)


@dataclass
class Canary:
    """A TCP listener that only counts connections: any connection at all is a failure."""

    port: int
    connections: int = 0


@contextmanager
def canary_listener() -> Iterator[Canary]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    sock.settimeout(0.1)
    canary = Canary(port=int(sock.getsockname()[1]))
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except OSError:
                continue
            canary.connections += 1
            conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield canary
    finally:
        stop.set()
        thread.join(timeout=2)
        sock.close()
