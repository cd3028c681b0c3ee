"""Recording announced hires (deduplicated, with their outbox event) and reading them back."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, func, or_
from sqlmodel import Session, col, select

from scrapers.normalize.text import without_control_chars
from store.events import emit
from store.locks import serialize_transactions
from store.models import Feed, FeedItem, Hire
from store.queries import (
    Page,
    PostingFilter,
    day_start,
    decode_cursor,
    encode_cursor,
    list_postings,
)
from store.serialize import iso
from store.upsert import insert_missing

DEDUPE_WINDOW = timedelta(days=30)
ORIGINS = ("feed", "manual", "import")


@dataclass(frozen=True)
class NewHire:
    person: str
    to_company: str
    announced_at: datetime
    from_company: str | None = None
    role: str | None = None
    source_url: str | None = None
    source_title: str | None = None
    evidence: str = ""
    confidence: float = 1.0
    origin: str = "feed"


def person_key(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip().casefold()


def hire_dict(hire: Hire) -> dict[str, Any]:
    return {
        "id": hire.id,
        "person": hire.person,
        "from_company": hire.from_company,
        "to_company": hire.to_company,
        "role": hire.role,
        "announced_at": iso(hire.announced_at),
        "source_url": hire.source_url,
        "source_title": hire.source_title,
        "evidence": hire.evidence,
        "confidence": round(hire.confidence, 3),
        "origin": hire.origin,
        "reports": hire.reports,
    }


def _same_move(session: Session, new: NewHire) -> Hire | None:
    """A hire of the same person into the same company announced within 30 days either side."""
    return session.exec(
        select(Hire)
        .where(
            Hire.person_key == person_key(new.person),
            func.lower(Hire.to_company) == new.to_company.lower(),
            Hire.announced_at >= new.announced_at - DEDUPE_WINDOW,
            Hire.announced_at <= new.announced_at + DEDUPE_WINDOW,
        )
        .order_by(col(Hire.id))
    ).first()


def _storable(new: NewHire) -> NewHire:
    """Text without control characters (PostgreSQL refuses NUL; feeds and forms may carry it)."""
    changes: dict[str, Any] = {
        name: without_control_chars(value)
        for name in TEXT_FIELDS
        if isinstance(value := getattr(new, name), str)
    }
    return replace(new, **changes)


TEXT_FIELDS = (
    "person",
    "to_company",
    "from_company",
    "role",
    "source_url",
    "source_title",
    "evidence",
)


class SameCompanyMove(ValueError):
    """A move inside one company: a promotion or a transfer, not a hire."""

    def __init__(self) -> None:
        super().__init__("a move inside one company is not a hire")


def record_hire(session: Session, new: NewHire) -> tuple[Hire, bool]:
    """Add the hire and its ``hire.announced`` event in the caller's transaction.

    Returns ``(row, created)``; a repeat report of the same move within 30 days only counts as
    another report (and fills in a company left or a role the first report lacked). Company
    names are stored as given: resolve aliases first. Raises SameCompanyMove when both sides
    name one company.
    """
    if new.origin not in ORIGINS:
        raise ValueError(f"unknown origin {new.origin!r}")
    if new.from_company is not None and (
        new.from_company.strip().casefold() == new.to_company.strip().casefold()
    ):
        raise SameCompanyMove
    new = _storable(new)
    # Two transactions recording the same move would each find no earlier report: one at a time.
    serialize_transactions(session, f"hire:{person_key(new.person)}:{new.to_company.lower()}")
    existing = _same_move(session, new)
    if existing is not None:
        existing.reports += 1
        existing.from_company = existing.from_company or new.from_company
        existing.role = existing.role or new.role
        existing.confidence = max(existing.confidence, new.confidence)
        session.add(existing)
        session.flush()
        return existing, False
    hire = Hire(
        person=new.person.strip(),
        person_key=person_key(new.person),
        from_company=new.from_company,
        to_company=new.to_company.strip(),
        role=new.role,
        announced_at=new.announced_at,
        source_url=new.source_url,
        source_title=new.source_title,
        evidence=new.evidence,
        confidence=new.confidence,
        origin=new.origin,
    )
    session.add(hire)
    session.flush()
    emit(session, "hire.announced", {"hire": hire_dict(hire)}, at=new.announced_at, hire_id=hire.id)
    return hire, True


def _conditions(
    companies: Iterable[str], since: date | None, until: date | None = None
) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    names = list(companies)
    lowered = [c.lower() for c in names]
    if lowered:
        # The exact spelling too: SQLite's lower() folds only ASCII.
        conds.append(
            or_(
                col(Hire.to_company).in_(names),
                col(Hire.from_company).in_(names),
                func.lower(Hire.to_company).in_(lowered),
                func.lower(Hire.from_company).in_(lowered),
            )
        )
    if since is not None:
        conds.append(col(Hire.announced_at) >= day_start(since))
    if until is not None:
        conds.append(col(Hire.announced_at) < day_start(until) + timedelta(days=1))
    return conds


def list_hires(
    session: Session,
    *,
    companies: Iterable[str] = (),
    since: date | None = None,
    until: date | None = None,
    limit: int = 50,
    cursor: str | None = None,
) -> Page:
    after = decode_cursor(cursor)
    stmt = select(Hire).where(*_conditions(companies, since, until))
    if after is not None:
        stmt = stmt.where(col(Hire.id) < after)
    rows = list(session.exec(stmt.order_by(col(Hire.id).desc()).limit(limit + 1)))
    has_more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = encode_cursor(rows[-1].id or 0) if has_more and rows else None
    return Page(items=[hire_dict(h) for h in rows], next_cursor=next_cursor)


def flows(
    session: Session,
    *,
    companies: Iterable[str] = (),
    since: date | None = None,
    until: date | None = None,
) -> list[dict[str, Any]]:
    """Edges from the company left to the company joined, with how many people moved."""
    count = func.count(col(Hire.id))
    stmt = (
        select(Hire.from_company, Hire.to_company, count)
        .where(col(Hire.from_company).is_not(None), *_conditions(companies, since, until))
        .group_by(col(Hire.from_company), col(Hire.to_company))
        .order_by(count.desc(), col(Hire.from_company), col(Hire.to_company))
    )
    return [{"from": frm, "to": to, "count": n} for frm, to, n in session.exec(stmt)]


# Words too common in announcements and team names to link a hire to a role.
_COMMON = frozenset(
    re.findall(
        r"\w+",
        (
            "from with joins joined join will team teams "
            "that this their after former lead leads head "
            "company staff member members technical years previously formerly hired hires"
        ),
    )
)


def _words(text: str | None) -> set[str]:
    return {
        w for w in re.findall(r"[a-z0-9]+", (text or "").lower()) if len(w) > 3 and w not in _COMMON
    }


def company_talent(
    session: Session, company: str, *, since: date | None = None, limit: int = 20
) -> dict[str, Any]:
    """Hires into a company next to its open roles that share a team or topic word with them."""
    hires = list_hires(session, companies=[company], since=since, limit=limit).items
    hires = [h for h in hires if h["to_company"].lower() == company.lower()]
    postings = list_postings(session, PostingFilter(companies=[company]), limit=500).items
    linked = []
    for hire in hires:
        words = _words(hire["role"]) | _words(hire["evidence"])
        related = [
            p
            for p in postings
            if words
            & (
                _words(p.get("team"))
                | _words(p.get("department"))
                | {t.replace("-", " ") for t in p.get("topics") or []}
                | {w for t in p.get("topics") or [] for w in _words(t)}
            )
        ]
        linked.append({"hire": hire, "open_roles": related[:limit]})
    return {"company": company, "hires": linked, "open_roles": len(postings)}


def get_or_create_feed(session: Session, url: str, name: str) -> Feed:
    by_url = select(Feed).where(Feed.url == url)
    feed = session.exec(by_url).first()
    if feed is None:
        # Two processes may read a new feed at once: one inserts it, both read the one row.
        insert_missing(session, Feed(url=url, name=name), key=["url"])
        feed = session.exec(by_url).one()
    if feed.name != name:
        feed.name = name
        session.add(feed)
    return feed


def seen_item_keys(session: Session, feed: Feed, keys: Iterable[str]) -> set[str]:
    wanted = list(keys)
    if not wanted:
        return set()
    return set(
        session.exec(
            select(FeedItem.item_key).where(
                FeedItem.feed_id == feed.id, col(FeedItem.item_key).in_(wanted)
            )
        ).all()
    )


def mark_item(session: Session, feed: Feed, key: str, at: datetime, hires: int) -> None:
    """Record the item as read; one another pass recorded meanwhile stays as it is."""
    item = FeedItem(feed_id=feed.id or 0, item_key=key, seen_at=at, hires=hires)
    insert_missing(session, item, key=["feed_id", "item_key"])
