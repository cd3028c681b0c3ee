"""Read queries shared by the JSON API and the dashboard. Views never build SQL themselves."""

from __future__ import annotations

from typing import Any

from sqlalchemy import false, or_
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from store import rollups

# The filter, page and cursor live in store.filters; these names stay importable from here.
from store.filters import (  # noqa: F401
    CursorError,
    Page,
    PostingFilter,
    Status,
    company_ids,
    day_start,
    decode_cursor,
    encode_cursor,
    filter_company_ids,
    posting_conditions,
    without_description,
)
from store.models import Board, Company, CompanyPay, Posting, PostingChange, ScrapeRun
from store.reposts import reposts_of
from store.serialize import iso, posting_dict


def list_postings(
    session: Session, flt: PostingFilter, *, limit: int = 50, cursor: str | None = None
) -> Page:
    after = decode_cursor(cursor)
    stmt = (
        select(Posting, Company.name, Board.ats)
        .join(Company, col(Company.id) == Posting.company_id)
        .join(Board, col(Board.id) == Posting.board_id)
        .where(*posting_conditions(flt, companies=filter_company_ids(session, flt)))
        .options(without_description())  # a list shows no description: kilobytes a row
    )
    if after is not None:
        stmt = stmt.where(col(Posting.id) < after)
    rows = list(session.exec(stmt.order_by(col(Posting.id).desc()).limit(limit + 1)))
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
        select(PostingChange)
        .where(PostingChange.posting_id == posting_id)
        .order_by(col(PostingChange.at), col(PostingChange.id))
    )
    out["history"] = [
        {"at": iso(c.at), "field": c.field, "old": c.old, "new": c.new} for c in changes
    ]
    return out


def board_label(board: Board) -> str:
    return board.key


def open_counts(session: Session) -> dict[int, int]:
    """Open postings per company, from the per-company pay summary (its ``postings`` are the
    company's open postings): a thousand rows, where counting a million postings scans
    hundreds of thousands of index entries."""
    rollups.refresh(session)
    summary = CompanyPay.__table__  # type: ignore[attr-defined]
    stmt = select(summary.c.company_id, summary.c.postings).where(
        summary.c.status == "open", summary.c.no_reposts == false()
    )
    return {int(company_id): int(n) for company_id, n in session.execute(stmt)}


def company_names(session: Session) -> list[str]:
    """Every company's name, in order (the dashboard's filter menus)."""
    return list(session.exec(select(Company.name).order_by(Company.name)).all())


def list_companies(session: Session) -> list[dict[str, Any]]:
    counts = open_counts(session)
    boards: dict[int, list[dict[str, Any]]] = {}
    board = Board.__table__  # type: ignore[attr-defined]
    # Plain rows of the columns shown, not ORM objects: thousands of boards and companies on
    # every dashboard page.
    shown = (board.c.company_id, board.c.ats, board.c.token, board.c.url, board.c.key)
    times = (board.c.last_run_at, board.c.last_ok_at)
    for row in session.execute(core_select(*shown, *times).order_by(board.c.id)):
        boards.setdefault(row.company_id, []).append(
            {
                "ats": row.ats,
                "token": row.token,
                "url": row.url,
                "key": row.key,
                "last_run_at": iso(row.last_run_at),
                "last_ok_at": iso(row.last_ok_at),
            }
        )
    return [
        {
            "name": name,
            "open_roles": counts.get(company_id, 0),
            "boards": boards.get(company_id, []),
        }
        for company_id, name in session.execute(
            select(col(Company.id), col(Company.name)).order_by(col(Company.name))
        )
    ]


def list_runs(
    session: Session,
    *,
    limit: int = 50,
    cursor: str | None = None,
    board: str | None = None,
    outcome: str | None = None,
) -> Page:
    after = decode_cursor(cursor)
    stmt = (
        select(ScrapeRun, Board, Company.name)
        .join(Board, col(Board.id) == ScrapeRun.board_id)
        .join(Company, col(Company.id) == Board.company_id)
    )
    if after is not None:
        stmt = stmt.where(col(ScrapeRun.id) < after)
    if outcome:
        stmt = stmt.where(ScrapeRun.outcome == outcome)
    if board:
        stmt = stmt.where(
            or_(col(Board.token) == board, col(Board.key) == board, col(Company.name) == board)
        )
    rows = list(session.exec(stmt.order_by(col(ScrapeRun.id).desc()).limit(limit + 1)))
    has_more = len(rows) > limit
    rows = rows[:limit]
    items = [
        {
            "id": run.id,
            "board": board_label(b),
            "company": company,
            "ats": b.ats,
            "started_at": iso(run.started_at),
            "finished_at": iso(run.finished_at),
            "outcome": run.outcome,
            "suspicious": run.suspicious,
            "details_pending": run.details_pending,
            "counts": {
                "seen": run.seen,
                "new": run.new,
                "changed": run.changed,
                "closed": run.closed,
                "reopened": run.reopened,
                "missing": run.missing,
            },
            "error": run.error,
        }
        for run, b, company in rows
    ]
    return Page(
        items=items, next_cursor=encode_cursor(rows[-1][0].id or 0) if has_more and rows else None
    )


def boards_seen_nonempty(session: Session) -> frozenset[str]:
    """Keys of boards that have listed at least one posting in some run."""
    return frozenset(session.exec(select(Board.key).where(col(Board.ever_nonempty))).all())
