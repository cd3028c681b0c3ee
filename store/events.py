"""Writing to the events outbox (always inside the caller's transaction)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session

from store.models import Event, Subscription
from store.subscriptions import fan_out
from store.vocab import EventType

EVENT_TYPES: tuple[str, ...] = tuple(EventType)


def emit(
    session: Session,
    type_: str,
    data: dict[str, Any],
    *,
    at: datetime,
    posting_id: int | None = None,
    hire_id: int | None = None,
    subscriptions: Sequence[Subscription] | None = None,
) -> Event:
    """Add an event to the outbox in the caller's transaction; never commits.

    ``subscriptions``: the active subscriptions when the caller emits many events at once
    (ingest loads them once per run); read from the session otherwise.
    """
    if type_ not in EVENT_TYPES:
        raise ValueError(f"unknown event type {type_!r}")
    event = Event(type=type_, created_at=at, data=data, posting_id=posting_id, hire_id=hire_id)
    session.add(event)
    # Deliveries are written in this same transaction, so a committed event is never lost.
    fan_out(session, event, subscriptions)
    return event


def emit_many(
    session: Session,
    type_: str,
    items: Sequence[tuple[dict[str, Any], int | None]],
    *,
    at: datetime,
    subscriptions: Sequence[Subscription],
) -> None:
    """Events of one type, each ``(data, posting_id)``, in order. With no subscription to fan
    out to, they are one multi-row INSERT rather than an ORM object each."""
    if type_ not in EVENT_TYPES:
        raise ValueError(f"unknown event type {type_!r}")
    if subscriptions:
        for data, posting_id in items:
            emit(session, type_, data, at=at, posting_id=posting_id, subscriptions=subscriptions)
        return
    if items:
        rows = [
            {"type": type_, "created_at": at, "data": data, "posting_id": posting_id}
            for data, posting_id in items
        ]
        session.execute(insert(Event), rows)
