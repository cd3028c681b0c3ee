"""Webhook subscriptions, their deliveries (one per event and subscription) and every attempt."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel

from store.types import JSONType, UTCDateTime, utcnow


class Subscription(SQLModel, table=True):
    __tablename__ = "subscription"

    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(max_length=2048)
    events: list[str] = Field(default_factory=list, sa_column=Column(JSONType, nullable=False))
    filter: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONType, nullable=False))
    format: str = Field(default="standard", max_length=16)  # standard | slack
    # The signing secret must be kept in clear: HMAC needs it at every send.
    secret: str = Field(max_length=100)
    api_key_id: int | None = Field(default=None, foreign_key="api_key.id", index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    disabled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    disabled_reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    # Start of the current unbroken run of failed attempts (None after any success).
    failing_since: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Delivery(SQLModel, table=True):
    """One event for one subscription; ``msg_id`` is the ``webhook-id`` of every attempt."""

    __tablename__ = "delivery"
    __table_args__ = (Index("ix_delivery_status_next", "status", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    subscription_id: int = Field(foreign_key="subscription.id", index=True)
    event_id: int = Field(foreign_key="event.id", index=True)
    msg_id: str = Field(max_length=64, unique=True)
    status: str = Field(default="pending", max_length=16)  # pending | delivered | failed
    attempts: int = 0
    # When the next attempt is due; while an attempt is in flight it holds the lease's end.
    next_attempt_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_status_code: int | None = None
    last_error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class DeliveryAttempt(SQLModel, table=True):
    __tablename__ = "delivery_attempt"

    id: int | None = Field(default=None, primary_key=True)
    delivery_id: int = Field(foreign_key="delivery.id", index=True)
    attempted_at: datetime = Field(sa_type=UTCDateTime)
    status_code: int | None = None
    latency_ms: float | None = None
    error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
