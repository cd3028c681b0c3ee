"""The read side's shared parts: the posting filter and its SQL conditions, the page of results,
and the one cursor codec every list uses."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import ColumnElement, func, or_
from sqlmodel import col

from store.fulltext import search_condition
from store.jsonsql import contains_any
from store.models import Company, Posting
from store.vocab import StatusFilter

# Kept for callers of the older name.
Status = StatusFilter


class CursorError(ValueError):
    """A pagination cursor that this server did not issue."""


def encode_cursor(value: int, kind: str = "id") -> str:
    """An opaque cursor: ``kind`` says what ``value`` is (a row id to continue below, or a rank
    offset), so a cursor of one list is refused by another."""
    return base64.urlsafe_b64encode(f"{kind}:{value}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None, kind: str = "id") -> int | None:
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        prefix, _, value = raw.partition(":")
        if prefix != kind or not value.isdigit():
            raise ValueError(raw)
        return int(value)
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise CursorError("invalid cursor") from exc


@dataclass
class Page:
    items: list[dict[str, Any]]
    next_cursor: str | None


@dataclass
class PostingFilter:
    companies: Sequence[str] = ()
    status: str = StatusFilter.open
    q: str | None = None
    topics: Sequence[str] = ()  # any of these
    functions: Sequence[str] = ()  # any of these
    seniorities: Sequence[str] = ()  # any of these
    workplace: str | None = None
    min_annual_pay: float | None = None
    since: date | None = None
    exclude_reposts: bool = False  # leave out postings that republish a recently closed role
    extra: dict[str, Any] = field(default_factory=dict)


def day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def company_condition(companies: Sequence[str]) -> ColumnElement[bool]:
    """``Company`` is one of these, by name in any letter case."""
    lowered = [name.lower() for name in companies]
    # The exact spelling too: SQLite's lower() folds only ASCII ("École" stays "École").
    return or_(col(Company.name).in_(list(companies)), func.lower(Company.name).in_(lowered))


def posting_conditions(flt: PostingFilter) -> list[ColumnElement[bool]]:
    """WHERE clauses for a posting filter (joins Company by the caller)."""
    conds: list[ColumnElement[bool]] = []
    if flt.status != "all":
        conds.append(col(Posting.status) == flt.status)
    if flt.companies:
        conds.append(company_condition(flt.companies))
    if flt.q:
        conds.append(search_condition(flt.q))  # full-text: FTS5 on SQLite, tsvector on PostgreSQL
    if flt.topics:
        conds.append(contains_any(Posting.topics, flt.topics))
    if flt.functions:
        conds.append(col(Posting.function).in_(list(flt.functions)))
    if flt.seniorities:
        conds.append(col(Posting.seniority).in_(list(flt.seniorities)))
    if flt.workplace:
        conds.append(col(Posting.workplace) == flt.workplace)
    if flt.min_annual_pay is not None:
        conds.append(
            func.coalesce(Posting.pay_annual_max_usd, Posting.pay_annual_min_usd)
            >= flt.min_annual_pay
        )
    if flt.since is not None:
        conds.append(col(Posting.first_seen_at) >= day_start(flt.since))
    if flt.exclude_reposts:
        conds.append(col(Posting.repost_of).is_(None))
    return conds
