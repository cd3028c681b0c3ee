"""Reposts: a role that closes and comes back as a new posting at the same company.

Companies often close a stale posting and publish the same role again under a new id, which
would otherwise read as one role closed and one new role opened. Two postings are the same role
when they belong to the same company and have the same normalised title and locations; the new
one is a repost when it appeared at most ``REPOST_WINDOW`` after the old one closed (or while the
old one was still open, within the same window before it closed).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from store import rollups
from store.models import Company, Posting

REPOST_WINDOW = timedelta(days=30)

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def _norm(text: str) -> str:
    return _NON_WORD.sub(" ", text.casefold()).strip()


def repost_key(title: str, locations: Iterable[str]) -> str:
    """The normalised title and locations as a short stable key (indexed with the company)."""
    places = sorted({_norm(place) for place in locations} - {""})
    raw = _norm(title) + "\x1f" + "\x1e".join(places)
    return hashlib.sha1(raw.encode()).hexdigest()[:32]


def link_new(session: Session, postings: Sequence[Posting], now: datetime) -> None:
    """New postings that repeat a role closed within the window become its reposts."""
    if not postings:
        return
    keys = {p.repost_key for p in postings if p.repost_key}
    companies = {p.company_id for p in postings}
    closed = session.exec(
        select(Posting)
        .where(
            col(Posting.company_id).in_(companies),
            col(Posting.repost_key).in_(keys),
            Posting.status == "closed",
            col(Posting.closed_at) >= now - REPOST_WINDOW,
        )
        .order_by(col(Posting.closed_at).desc())
    )
    latest: dict[tuple[int, str | None], Posting] = {}
    for row in closed:
        latest.setdefault((row.company_id, row.repost_key), row)
    for posting in postings:
        old = latest.get((posting.company_id, posting.repost_key))
        if old is not None and old.id != posting.id:
            posting.repost_of = old.id
            session.add(posting)


def link_closed(session: Session, closed: Sequence[Posting], now: datetime) -> None:
    """A posting that closes after its role was already published again: link the newer one."""
    if not closed:
        return
    by_key: dict[tuple[int, str | None], Posting] = {
        (p.company_id, p.repost_key): p for p in closed if p.repost_key
    }
    if not by_key:
        return
    newer = session.exec(
        select(Posting).where(
            col(Posting.company_id).in_({c for c, _ in by_key}),
            col(Posting.repost_key).in_({k for _, k in by_key}),
            Posting.status == "open",
            col(Posting.repost_of).is_(None),
            col(Posting.first_seen_at) >= now - REPOST_WINDOW,
        )
    )
    for posting in newer:
        old = by_key.get((posting.company_id, posting.repost_key))
        if old is not None and old.id != posting.id and old.first_seen_at < posting.first_seen_at:
            posting.repost_of = old.id
            rollups.touch_posting(session, posting)
            session.add(posting)


def reposts_of(session: Session, posting_id: int) -> list[int]:
    """Ids of the postings that republished this one, oldest first."""
    stmt = select(col(Posting.id)).where(col(Posting.repost_of) == posting_id)
    return [i for i in session.exec(stmt.order_by(col(Posting.id))) if i is not None]


def reposted_counts(
    session: Session, since: datetime, *, company_id: int | None = None
) -> dict[str, int]:
    """Per company (or for one), the postings first seen since ``since`` that are reposts."""
    stmt = (
        select(Company.name, func.count())
        .select_from(Posting)
        .join(Company, col(Company.id) == Posting.company_id)
        .where(col(Posting.repost_of).is_not(None), col(Posting.first_seen_at) >= since)
    )
    if company_id is not None:
        stmt = stmt.where(col(Posting.company_id) == company_id)
    rows = session.exec(stmt.group_by(Company.name))
    return {name: int(count) for name, count in rows}
