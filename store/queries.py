"""Read queries shared by the JSON API and the dashboard. Views never build SQL themselves."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any, Literal

from sqlalchemy import ColumnElement, func, or_
from sqlmodel import Session, col, select

from store.jsonsql import contains_any
from store.models import Board, Company, Posting, PostingChange, ScrapeRun
from store.reposts import reposts_of
from store.search import search_condition
from store.serialize import iso, posting_dict

Status = Literal["open", "closed", "all"]


class CursorError(ValueError):
    """A pagination cursor that this server did not issue."""


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"id:{last_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int | None:
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        prefix, _, value = raw.partition(":")
        if prefix != "id" or not value.isdigit():
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
    status: Status = "open"
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


def posting_conditions(flt: PostingFilter) -> list[ColumnElement[bool]]:
    """WHERE clauses for a posting filter (joins Company by the caller)."""
    conds: list[ColumnElement[bool]] = []
    if flt.status != "all":
        conds.append(col(Posting.status) == flt.status)
    if flt.companies:
        lowered = [name.lower() for name in flt.companies]
        conds.append(func.lower(Company.name).in_(lowered))
    if flt.q:
        conds.append(search_condition(flt.q))  # full-text: FTS5 on SQLite, tsvector on PostgreSQL
    if flt.topics:
        conds.append(contains_any(Posting.topics, flt.topics))
    if flt.functions:
        conds.append(Posting.function.in_(list(flt.functions)))  # type: ignore[union-attr]
    if flt.seniorities:
        conds.append(Posting.seniority.in_(list(flt.seniorities)))  # type: ignore[union-attr]
    if flt.workplace:
        conds.append(col(Posting.workplace) == flt.workplace)
    if flt.min_annual_pay is not None:
        conds.append(func.coalesce(Posting.pay_annual_max_usd, Posting.pay_annual_min_usd)
                     >= flt.min_annual_pay)
    if flt.since is not None:
        conds.append(col(Posting.first_seen_at) >= day_start(flt.since))
    if flt.exclude_reposts:
        conds.append(col(Posting.repost_of).is_(None))
    return conds


def list_postings(session: Session, flt: PostingFilter, *, limit: int = 50,
                  cursor: str | None = None) -> Page:
    after = decode_cursor(cursor)
    stmt = (
        select(Posting, Company.name, Board.ats)
        .join(Company, col(Company.id) == Posting.company_id)
        .join(Board, col(Board.id) == Posting.board_id)
        .where(*posting_conditions(flt))
    )
    if after is not None:
        stmt = stmt.where(col(Posting.id) < after)
    rows = list(session.exec(stmt.order_by(Posting.id.desc()).limit(limit + 1)))  # type: ignore[union-attr]
    has_more = len(rows) > limit
    rows = rows[:limit]
    items = [posting_dict(p, company, ats) for p, company, ats in rows]
    next_cursor = encode_cursor(rows[-1][0].id or 0) if has_more and rows else None
    return Page(items=items, next_cursor=next_cursor)


def get_posting(session: Session, posting_id: int) -> dict[str, Any] | None:
    row = session.exec(
        select(Posting, Company.name, Board.ats)
        .join(Company, col(Company.id) == Posting.company_id)
        .join(Board, col(Board.id) == Posting.board_id)
        .where(Posting.id == posting_id)
    ).first()
    if row is None:
        return None
    posting, company, ats = row
    out = posting_dict(posting, company, ats)
    out["description"] = posting.description
    out["reposted_as"] = reposts_of(session, posting_id)
    changes = session.exec(
        select(PostingChange).where(PostingChange.posting_id == posting_id)
        .order_by(PostingChange.at, PostingChange.id)  # type: ignore[arg-type]
    )
    out["history"] = [{"at": iso(c.at), "field": c.field, "old": c.old, "new": c.new}
                      for c in changes]
    return out


def board_label(board: Board) -> str:
    return board.key


def list_companies(session: Session) -> list[dict[str, Any]]:
    open_counts = dict(session.exec(
        select(Posting.company_id, func.count()).where(col(Posting.status) == "open")
        .group_by(col(Posting.company_id))
    ).all())
    boards: dict[int, list[dict[str, Any]]] = {}
    for board in session.exec(select(Board).order_by(Board.id)):  # type: ignore[arg-type]
        boards.setdefault(board.company_id, []).append({
            "ats": board.ats, "token": board.token, "url": board.url,
            "last_run_at": iso(board.last_run_at), "last_ok_at": iso(board.last_ok_at),
        })
    return [
        {"name": c.name, "open_roles": int(open_counts.get(c.id or 0, 0)),
         "boards": boards.get(c.id or 0, [])}
        for c in session.exec(select(Company).order_by(Company.name))
    ]


def list_runs(session: Session, *, limit: int = 50, cursor: str | None = None,
              board: str | None = None, outcome: str | None = None) -> Page:
    after = decode_cursor(cursor)
    stmt = (select(ScrapeRun, Board, Company.name)
            .join(Board, col(Board.id) == ScrapeRun.board_id)
            .join(Company, col(Company.id) == Board.company_id))
    if after is not None:
        stmt = stmt.where(col(ScrapeRun.id) < after)
    if outcome:
        stmt = stmt.where(ScrapeRun.outcome == outcome)
    if board:
        stmt = stmt.where(or_(col(Board.token) == board, col(Board.key) == board,
                               col(Company.name) == board))
    rows = list(session.exec(stmt.order_by(ScrapeRun.id.desc()).limit(limit + 1)))  # type: ignore[union-attr]
    has_more = len(rows) > limit
    rows = rows[:limit]
    items = [
        {"id": run.id, "board": board_label(b), "company": company, "ats": b.ats,
         "started_at": iso(run.started_at), "finished_at": iso(run.finished_at),
         "outcome": run.outcome, "suspicious": run.suspicious,
         "counts": {"seen": run.seen, "new": run.new, "changed": run.changed,
                    "closed": run.closed, "reopened": run.reopened, "missing": run.missing},
         "error": run.error}
        for run, b, company in rows
    ]
    return Page(items=items, next_cursor=encode_cursor(rows[-1][0].id or 0)
                if has_more and rows else None)


def boards_seen_nonempty(session: Session) -> frozenset[str]:
    """Keys of boards that have listed at least one posting in some run."""
    return frozenset(session.exec(select(Board.key).where(col(Board.ever_nonempty))).all())
