"""The read side's shared parts: the posting filter and its SQL conditions, the page of results,
and the one cursor codec every list uses."""

from __future__ import annotations

import base64
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from functools import cache
from typing import Any, cast

from sqlalchemy import ColumnElement, func, or_
from sqlalchemy.orm import defer
from sqlmodel import Session, col, select

from store.fulltext import search_condition
from store.jsonsql import contains_any
from store.models import Company, Posting
from store.vocab import StatusFilter

# Kept for callers of the older name.
Status = StatusFilter


class CursorError(ValueError):
    """A pagination cursor that this server did not issue."""


# A cursor carries at most 18 digits: every value fits a signed 64-bit integer, so no cursor can
# make the database overflow, whatever it says.
MAX_CURSOR_DIGITS = 18
# Row ids are 32-bit integers on PostgreSQL: no row has a larger id, and a larger number makes
# the database raise rather than compare.
MAX_ROW_ID = 2**31 - 1
_DIGITS = "0123456789"


def _b64(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _prefix(kind: str) -> str:
    """``kind`` and colons up to a whole base64 block (``id:``, ``rank::``), so the digits after
    it always start a block and the cursors of a kind form a regular language."""
    return kind + ":" * (3 - len(kind) % 3)


def _alternatives(values: set[str]) -> str:
    return "(?:" + "|".join(re.escape(v) for v in sorted(values)) + ")"


@cache
def cursor_pattern(kind: str = "id") -> str:
    """The regular expression of exactly the cursors of ``kind`` that decode (for the OpenAPI
    document, and checked before decoding). Built from the base64 alphabet: in a block of three
    digits the first two characters depend on the first digit, the third on the second digit and
    the fourth on the third; a last block of one or two digits is cut short the same way."""
    first = _alternatives({_b64(d + "00")[:2] for d in _DIGITS})
    second = "[" + "".join(sorted({_b64("0" + d + "0")[2] for d in _DIGITS})) + "]"
    third = "[" + "".join(sorted({_b64("00" + d)[3] for d in _DIGITS})) + "]"
    one = _alternatives({_b64(d)[:2] for d in _DIGITS})
    two = first + "[" + "".join(sorted({_b64("0" + d)[2] for d in _DIGITS})) + "]"
    block = first + second + third
    head = re.escape(_b64(_prefix(kind)))
    return f"^{head}(?:{block}){{0,{MAX_CURSOR_DIGITS // 3 - 1}}}(?:{block}|{two}|{one})$"


def encode_cursor(value: int, kind: str = "id") -> str:
    """An opaque cursor: ``kind`` says what ``value`` is (a row id to continue below, or a rank
    offset), so a cursor of one list is refused by another."""
    digits = str(value)
    if not digits.isdigit() or len(digits) > MAX_CURSOR_DIGITS:
        raise ValueError(f"cannot make a cursor of {value!r}")
    return _b64(_prefix(kind) + digits)


def decode_cursor(cursor: str | None, kind: str = "id") -> int | None:
    if not cursor:
        return None
    if not re.fullmatch(cursor_pattern(kind), cursor):
        raise CursorError("invalid cursor: pass the `next_cursor` of the previous page unchanged")
    raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    value = int(raw.removeprefix(_prefix(kind)))
    if kind == "id" and value > MAX_ROW_ID:
        return None  # "below an id larger than any row's": every row, the first page
    return value


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


def without_description() -> Any:
    """A loader option leaving out ``Posting.description``: lists and exports show none, and it
    is kilobytes a row."""
    return defer(cast(Any, Posting.description))


def day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def company_condition(companies: Sequence[str]) -> ColumnElement[bool]:
    """``Company`` is one of these, by name in any letter case."""
    lowered = [name.lower() for name in companies]
    # The exact spelling too: SQLite's lower() folds only ASCII ("École" stays "École").
    return or_(col(Company.name).in_(list(companies)), func.lower(Company.name).in_(lowered))


def company_ids(session: Session, companies: Sequence[str]) -> list[int]:
    """The ids of the companies ``company_condition`` admits."""
    stmt = select(col(Company.id)).where(company_condition(companies)).order_by(col(Company.id))
    return [int(i) for i in session.exec(stmt).all() if i is not None]


def filter_company_ids(session: Session, flt: PostingFilter) -> list[int] | None:
    """The filter's companies as ids (None without a company filter), for ``posting_conditions``."""
    return company_ids(session, flt.companies) if flt.companies else None


def posting_conditions(
    flt: PostingFilter, *, companies: Sequence[int] | None = None
) -> list[ColumnElement[bool]]:
    """WHERE clauses for a posting filter (joins Company by the caller). ``companies``, the ids
    of the filter's companies (:func:`company_ids`), selects them by id: the planner then reads
    a company's postings from its index rather than every posting's company name."""
    conds: list[ColumnElement[bool]] = []
    if flt.status != "all":
        conds.append(col(Posting.status) == flt.status)
    if flt.companies and companies is not None:
        conds.append(col(Posting.company_id).in_(list(companies)))
    elif flt.companies:
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
