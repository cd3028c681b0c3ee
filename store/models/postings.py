"""Companies, boards, scrape runs, postings, their history, and the events outbox."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from store.types import JSONType, UTCDateTime, utcnow


class Company(SQLModel, table=True):
    __tablename__ = "company"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Board(SQLModel, table=True):
    """One board of one company. Lifecycle counters live here so ingest stays stateless."""

    __tablename__ = "board"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=600, unique=True, index=True)
    company_id: int = Field(foreign_key="company.id", index=True)
    ats: str = Field(max_length=32)
    token: str | None = Field(default=None, max_length=200)
    url: str | None = Field(default=None, max_length=2048)
    api_base: str | None = Field(default=None, max_length=2048)
    etag: str | None = Field(default=None, max_length=512)
    content_hash: str | None = Field(default=None, max_length=64)
    ever_nonempty: bool = Field(default=False)
    # Consecutive runs that would have removed most open postings, and when the first was.
    drop_streak: int = Field(default=0)
    drop_since: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_run_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_ok_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # When the last run that counted towards closing postings finished: a run whose fetch
    # started before then overlapped it, and is not a second observation.
    last_counted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ScrapeRun(SQLModel, table=True):
    __tablename__ = "scrape_run"
    __table_args__ = (Index("ix_scrape_run_board_started", "board_id", "started_at"),)

    id: int | None = Field(default=None, primary_key=True)
    board_id: int = Field(foreign_key="board.id")
    started_at: datetime = Field(sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    outcome: str = Field(max_length=16)  # ok | unchanged | partial | failed | skipped
    suspicious: bool = Field(default=False)
    seen: int = 0
    new: int = 0
    changed: int = 0
    closed: int = 0
    reopened: int = 0
    missing: int = 0
    # Open postings of the board whose detail is still to be read after this run.
    details_pending: int = 0
    error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class Posting(SQLModel, table=True):
    __tablename__ = "posting"
    __table_args__ = (
        UniqueConstraint("board_id", "external_id", name="uq_posting_board_external"),
        Index("ix_posting_status_company", "status", "company_id"),
        # Lists page newest first (``ORDER BY id DESC``) under their filters without sorting.
        Index("ix_posting_status_id", "status", "id"),
        Index("ix_posting_company_status_id", "company_id", "status", "id"),
        # One company's postings in id order whatever their status (pages, export batches).
        Index("ix_posting_company_id", "company_id", "id"),
        # One board's open postings (ingest, per board, reads only its own).
        Index("ix_posting_board_status", "board_id", "status"),
        # One company's day of openings and closings (the rollups' unit of maintenance).
        Index("ix_posting_company_first_seen", "company_id", "first_seen_at"),
        Index("ix_posting_company_closed", "company_id", "closed_at"),
        Index("ix_posting_first_seen", "first_seen_at"),
        Index("ix_posting_closed_at", "closed_at"),
        Index("ix_posting_company_repost_key", "company_id", "repost_key"),
    )

    id: int | None = Field(default=None, primary_key=True)
    board_id: int = Field(foreign_key="board.id", index=True)
    company_id: int = Field(foreign_key="company.id")
    external_id: str = Field(max_length=300)
    title: str = Field(max_length=500)
    team: str | None = Field(default=None, max_length=300)
    department: str | None = Field(default=None, max_length=300)
    locations: list[str] = Field(default_factory=list, sa_column=Column(JSONType, nullable=False))
    workplace: str | None = Field(default=None, max_length=16)
    employment_type: str | None = Field(default=None, max_length=16)
    pay_min: float | None = None
    pay_max: float | None = None
    pay_currency: str | None = Field(default=None, max_length=3)
    pay_period: str | None = Field(default=None, max_length=8)
    pay_annual_min: float | None = None
    pay_annual_max: float | None = None
    pay_annual_min_usd: float | None = Field(default=None, index=True)
    pay_annual_max_usd: float | None = None
    pay_source: str | None = Field(default=None, max_length=16)
    topics: list[str] = Field(default_factory=list, sa_column=Column(JSONType, nullable=False))
    # Slugs from the taxonomy (scrapers/data/taxonomy.toml); null until classified.
    function: str | None = Field(default=None, max_length=32, index=True)
    seniority: str | None = Field(default=None, max_length=32, index=True)
    url: str | None = Field(default=None, max_length=2048)
    description: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    content_hash: str = Field(max_length=64)
    posted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    updated_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    first_seen_at: datetime = Field(sa_type=UTCDateTime)
    last_seen_at: datetime = Field(sa_type=UTCDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    status: str = Field(default="open", max_length=8)  # open | closed
    # Consecutive complete runs this open posting was missing from (closed at 2).
    missing_runs: int = Field(default=0)
    # Normalised title + locations (store/reposts.py) and the earlier posting this one republished.
    repost_key: str | None = Field(default=None, max_length=32)
    repost_of: int | None = Field(default=None, index=True)
    # The listing entry's signature when last stored: an unchanged entry needs no detail request.
    listing_hash: str | None = Field(default=None, max_length=64)
    # The hash of the raw entry it was last parsed from (``NormalizedPosting.raw_hash``).
    raw_hash: str | None = Field(default=None, max_length=64)
    # The detail request failed (not 404/410): stored from the listing, read again from
    # `detail_retry_at` on, after `detail_attempts` failures (exponential backoff, capped).
    detail_pending: bool = Field(default=False)
    detail_attempts: int = Field(default=0)
    detail_retry_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Stored from its listing alone: its detail has never been read. Reading it is the first
    # publication of its details, not a change (store/ingest.py).
    listing_only: bool = Field(default=False)


class PostingChange(SQLModel, table=True):
    __tablename__ = "posting_change"

    id: int | None = Field(default=None, primary_key=True)
    posting_id: int = Field(foreign_key="posting.id", index=True)
    at: datetime = Field(sa_type=UTCDateTime)
    field: str = Field(max_length=32)
    old: Any = Field(default=None, sa_column=Column(JSONType, nullable=True))
    new: Any = Field(default=None, sa_column=Column(JSONType, nullable=True))


class Event(SQLModel, table=True):
    """The outbox: written in the same transaction as the change that caused it."""

    __tablename__ = "event"

    id: int | None = Field(default=None, primary_key=True)
    type: str = Field(max_length=32, index=True)
    created_at: datetime = Field(sa_type=UTCDateTime, index=True)
    posting_id: int | None = Field(default=None, foreign_key="posting.id", index=True)
    hire_id: int | None = Field(default=None, index=True)
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONType, nullable=False))
