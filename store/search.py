"""Ranked full-text search (``/api/search``): the posting filters, most relevant first.

The index and the query language are in :mod:`store.fulltext` (re-exported here).
"""

from __future__ import annotations

from dataclasses import replace

from sqlmodel import Session, col, select

from store.filters import (
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
    SearchMatch,
    Term,
    create_search_objects,
    ensure_search_index,
    fts5_expression,
    is_search_object,
    parse_query,
    posting_matches_text,
    ranked_hits,
    search_condition,
    text_matches,
    tsquery_expression,
)
from store.models import Board, Company, Posting
from store.serialize import posting_dict

# One cursor codec for every list; a search cursor is a rank offset.
SearchCursorError = CursorError
RANK = "rank"


def search_postings(
    session: Session,
    q: str,
    flt: PostingFilter | None = None,
    *,
    limit: int = 50,
    cursor: str | None = None,
) -> Page:
    """Postings matching ``q`` (and the other filters), most relevant first; each item carries
    its ``score``. The cursor is an offset into the ranking."""
    offset = decode_cursor(cursor, RANK) or 0
    terms = parse_query(q)
    if not terms:
        return Page(items=[], next_cursor=None)
    hits = ranked_hits(session.get_bind().dialect.name, terms)
    # The join with the hits is the text condition; the other filters apply as usual.
    others = replace(flt or PostingFilter(), q=None)
    stmt = (
        select(Posting, Company.name, Board.ats, hits.c.score)
        .join(hits, hits.c.posting_id == Posting.id)
        .join(Company, col(Company.id) == Posting.company_id)
        .join(Board, col(Board.id) == Posting.board_id)
        .where(*posting_conditions(others, companies=filter_company_ids(session, others)))
        .order_by(hits.c.score.desc(), col(Posting.id).desc())
        .options(without_description())  # results show no description
    )
    rows = list(session.exec(stmt.offset(offset).limit(limit + 1)))
    has_more = len(rows) > limit
    items = []
    for posting, company, ats, score in rows[:limit]:
        item = posting_dict(posting, company, ats)
        item["score"] = float(score or 0.0)
        items.append(item)
    return Page(items=items, next_cursor=encode_cursor(offset + limit, RANK) if has_more else None)
