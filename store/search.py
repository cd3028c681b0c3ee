"""Ranked full-text search (``/api/search``): the posting filters, best-matching tier first.

The index and the query language are in :mod:`store.fulltext` (re-exported here).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlmodel import Session, col, select

from store.filters import (
    MAX_ROW_ID,
    CursorError,
    Page,
    PostingFilter,
    decode_cursor,
    encode_cursor,
    filter_company_ids,
    without_description,
)
from store.filters import posting_conditions as posting_conditions
from store.fulltext import (  # noqa: F401  (the index's names, where callers look for them)
    FTS_TABLE,
    PG_COLUMN,
    PG_INDEX,
    TIERS,
    SearchMatch,
    Term,
    create_search_objects,
    ensure_search_index,
    fts5_expression,
    is_search_object,
    parse_query,
    posting_matches_text,
    search_condition,
    text_matches,
    tier_query,
    tsquery_expression,
)
from store.models import Board, Company, Posting
from store.serialize import posting_dict

# One cursor codec for every list; a search cursor holds the tier and the posting id to
# continue below, so every page is as cheap as the first.
SearchCursorError = CursorError
RANK = "tier"
_SLOTS = 4  # a cursor's value is id * _SLOTS + tier


def search_postings(
    session: Session,
    q: str,
    flt: PostingFilter | None = None,
    *,
    limit: int = 50,
    cursor: str | None = None,
) -> Page:
    """Postings matching ``q`` (and the other filters), best tier first and newest first within
    a tier (:data:`store.fulltext.TIERS`); each item's ``score`` is its tier (3 title, 2 title
    and team, 1 description)."""
    after = decode_cursor(cursor, RANK)
    start, below = (TIERS[0], None) if after is None else divmod(after, _SLOTS)[::-1]
    if below is not None and below > MAX_ROW_ID:
        below = None  # below an id larger than any row's: the whole tier
    terms = parse_query(q)
    if not terms or start not in TIERS:  # a cursor past the last tier: nothing follows
        return Page(items=[], next_cursor=None)
    dialect = session.get_bind().dialect.name
    others = replace(flt or PostingFilter(), q=None)
    conditions = posting_conditions(others, companies=filter_company_ids(session, others))
    rows: list[tuple[int, Any]] = []
    for tier in TIERS:
        if tier > start:
            continue
        tq = tier_query(dialect, terms, tier)
        stmt = select(Posting, Company.name, Board.ats)
        if tq.rows is not None:
            stmt = stmt.select_from(tq.rows).join(Posting, col(Posting.id) == tq.rows.c.rowid)
        stmt = (
            stmt.join(Company, col(Company.id) == Posting.company_id)
            .join(Board, col(Board.id) == Posting.board_id)
            .where(tq.condition, *conditions)
            .order_by(tq.order.desc())
            .options(without_description())  # results show no description
        )
        if tier == start and below is not None:
            stmt = stmt.where(tq.order < below)
        rows.extend((tier, row) for row in session.exec(stmt.limit(limit + 1 - len(rows))))
        if len(rows) > limit:
            break
    items = []
    for tier, (posting, company, ats) in rows[:limit]:
        item = posting_dict(posting, company, ats)
        item["score"] = float(tier)
        items.append(item)
    next_cursor = None
    if len(rows) > limit:
        tier, (posting, _, _) = rows[limit - 1]
        next_cursor = encode_cursor(posting.id * _SLOTS + tier, RANK)
    return Page(items=items, next_cursor=next_cursor)
