"""Rollups: small tables of counts kept in step with the postings by ingest (``store.rollups``),
so that trends and pay statistics read thousands of rows instead of scanning a million.

Both are keyed by a label dimension (``dim``: company, topic, team, function, seniority,
workplace, country) and its ``key`` (``""`` for the company dimension, whose key is the
company), per company, and with ``company_id = 0`` for the sum over every company. ``repost``
tells reposts of a recently closed role apart, so ``exclude_reposts`` can be answered too.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Index, PrimaryKeyConstraint, text
from sqlmodel import Field, SQLModel


class PostingRollup(SQLModel, table=True):
    """Postings first seen (``opened``) and closed per calendar bucket: day, ISO week and
    month (``grain`` d, w, m; ``period`` is the bucket's first day, UTC)."""

    __tablename__ = "posting_rollup"
    __table_args__ = (
        # Per-label reads over every company (company_id 0) or a few companies.
        Index("ix_posting_rollup_company", "grain", "dim", "company_id", "key", "period"),
        # Maintenance reads one company's day.
        Index("ix_posting_rollup_cell", "company_id", "period"),
        # PostgreSQL: a trend by company reads the company rows from this index alone (the
        # heap holds them in no order); SQLite's table is its primary key already.
        Index(
            "ix_posting_rollup_company_series",
            "grain",
            "key",
            "company_id",
            "period",
            postgresql_include=["opened", "closed", "repost"],
            postgresql_where=text("dim = 'company'"),
        ).ddl_if(dialect="postgresql"),
        # Any other label's series per company (a trend by company within a topic) is read
        # from the key alone: on PostgreSQL the key carries the counts (each row was a heap
        # fetch); SQLite's table is its key already.
        PrimaryKeyConstraint(
            "grain",
            "dim",
            "key",
            "company_id",
            "period",
            "repost",
            name="posting_rollup_pkey",
            postgresql_include=["opened", "closed"],
        ),
        {"sqlite_with_rowid": False},
    )

    grain: str = Field(primary_key=True, max_length=1)
    dim: str = Field(primary_key=True, max_length=16)
    key: str = Field(primary_key=True)
    company_id: int = Field(primary_key=True)
    period: date = Field(primary_key=True)
    repost: bool = Field(primary_key=True)
    opened: int = 0
    closed: int = 0


class PayRollup(SQLModel, table=True):
    """Postings per status and label: how many (``side`` n), how many publish pay (p), and
    the multiset of their annualised USD minimums (lo) and maximums (hi): ``n`` postings have
    ``value``. Exact quartiles are read from it without touching the postings; closed or all
    postings are the closed rows, or both statuses' rows summed."""

    __tablename__ = "posting_pay_rollup"
    # The key serves every read: one status (or both) of a dimension, over every company
    # (company_id 0) or some, and one company's rows when ingest recounts it; on PostgreSQL it
    # carries the counts, so reads never visit the heap.
    __table_args__ = (
        PrimaryKeyConstraint(
            "status",
            "dim",
            "company_id",
            "key",
            "side",
            "value",
            "repost",
            name="posting_pay_rollup_pkey",
            postgresql_include=["n"],
        ),
        {"sqlite_with_rowid": False},
    )

    status: str = Field(primary_key=True, max_length=8)
    dim: str = Field(primary_key=True, max_length=16)
    company_id: int = Field(primary_key=True)
    key: str = Field(primary_key=True)
    side: str = Field(primary_key=True, max_length=2)
    value: float = Field(primary_key=True)
    repost: bool = Field(primary_key=True)
    n: int = 0


class CompanyPay(SQLModel, table=True):
    """Per company and status (open, closed, all), its postings' pay figures summarised from
    ``PayRollup`` (with reposts and without): what ``/api/pay`` by company reads, one row per
    company instead of the multisets of every company."""

    __tablename__ = "company_pay_rollup"

    company_id: int = Field(primary_key=True)
    status: str = Field(primary_key=True, max_length=8)
    no_reposts: bool = Field(primary_key=True)
    postings: int = 0
    with_pay: int = 0
    min_p25: float | None = None
    min_median: float | None = None
    min_p75: float | None = None
    max_p25: float | None = None
    max_median: float | None = None
    max_p75: float | None = None
