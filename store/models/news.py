"""The news feeds hires are read from, and the feed items already processed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from store.types import UTCDateTime, utcnow


class Feed(SQLModel, table=True):
    __tablename__ = "feed"

    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(max_length=2048, unique=True)
    name: str = Field(max_length=300)
    etag: str | None = Field(default=None, max_length=512)
    last_modified: str | None = Field(default=None, max_length=100)
    last_run_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_ok_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_outcome: str | None = Field(default=None, max_length=16)  # ok | unchanged | failed
    last_error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class FeedItem(SQLModel, table=True):
    """An item already read, so a repeated scrape of the same feed adds nothing."""

    __tablename__ = "feed_item"
    __table_args__ = (UniqueConstraint("feed_id", "item_key", name="uq_feed_item_key"),)

    id: int | None = Field(default=None, primary_key=True)
    feed_id: int = Field(foreign_key="feed.id", index=True)
    item_key: str = Field(max_length=64)  # sha256 of the item's id (or link, or title)
    seen_at: datetime = Field(sa_type=UTCDateTime)
    hires: int = 0
