"""One company's view: the single place that computes what ``GET /api/companies/{name}`` and
the dashboard page ``/companies/{name}`` show.

It composes the shared query functions (trends, pay statistics, postings, hires) and adds the
few aggregates they lack (posting ages, board health), all bounded: counts are computed by the
database and lists are capped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, or_
from sqlmodel import Session, col, select

from store.board_health import board_state, failure_streaks
from store.hires import company_talent, list_hires
from store.models import Board, Company, Posting
from store.queries import PostingFilter, list_postings
from store.reposts import reposted_counts
from store.serialize import iso
from store.trends import make_buckets, pay_stats, trend_series
from store.types import utcnow

STALE_AFTER = timedelta(days=90)  # "open more than 90 days"
RECENT_WEEKS = 26  # weekly history shown when no ``since`` is given
RECENT_DAYS = 28  # "new recently" per team and topic
# Age buckets of open postings: (label, lower bound in days, upper bound or None).
AGE_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("< 1 week", 0, 7),
    ("1-4 weeks", 7, 28),
    ("1-3 months", 28, 90),
    ("3-6 months", 90, 182),
    ("> 6 months", 182, None),
)


@dataclass(frozen=True)
class ViewLimits:
    """How many rows each list of the view holds at most."""

    latest: int = 10
    open_postings: int = 200
    stale: int = 50
    areas: int = 25
    hires: int = 20
    roles_per_hire: int = 5


def find_company(session: Session, name: str) -> str | None:
    """The stored spelling of a company, matched exactly, else ignoring case."""
    exact = session.exec(select(Company.name).where(Company.name == name)).first()
    if exact is not None:
        return exact
    folded = session.exec(
        select(Company.name)
        .where(func.lower(Company.name) == name.lower())
        .order_by(col(Company.id))
    ).first()
    if folded is not None or name.isascii():
        return folded
    # SQLite's lower() folds only ASCII ("ÉCOLE" stays "ÉCOLE"): compare names in Python.
    wanted = name.casefold()
    for stored in session.exec(select(Company.name).order_by(col(Company.id))):
        if stored.casefold() == wanted:
            return stored
    return None


def _company_id(session: Session, name: str) -> int:
    found = session.exec(select(Company.id).where(Company.name == name)).one()
    assert found is not None
    return int(found)


def opened_at(posting: Posting) -> datetime:
    """When a posting opened: the board's own date when it is earlier than our first sight
    (we started watching later), else our first sight (boards refresh dates on reposts)."""
    if posting.posted_at is not None and posting.posted_at < posting.first_seen_at:
        return posting.posted_at
    return posting.first_seen_at


def _opened_before(moment: datetime) -> ColumnElement[bool]:
    """SQL for ``opened_at(posting) < moment`` without comparing mixed-typed expressions."""
    return or_(
        col(Posting.first_seen_at) < moment,
        and_(col(Posting.posted_at).is_not(None), col(Posting.posted_at) < moment),
    )


def _opened_order() -> ColumnElement[Any]:
    """``opened_at`` as an ORDER BY expression (oldest first)."""
    earlier = and_(
        col(Posting.posted_at).is_not(None), col(Posting.posted_at) < col(Posting.first_seen_at)
    )
    return case((earlier, Posting.posted_at), else_=Posting.first_seen_at)


def _role(posting: Posting, now: datetime) -> dict[str, Any]:
    opened = opened_at(posting)
    return {
        "id": posting.id,
        "title": posting.title,
        "team": posting.team,
        "function": posting.function,
        "seniority": posting.seniority,
        "url": posting.url,
        "status": posting.status,
        "first_seen_at": iso(posting.first_seen_at),
        "opened_at": iso(opened),
        "age_days": max(0, (now - opened).days),
    }


# -- sections ---------------------------------------------------------------------------------


def weekly_history(
    session: Session, company: str, *, since: date | None, until: date | None
) -> list[dict[str, Any]]:
    """Per week: open at its end, first seen in it, closed in it (``store.trends``)."""
    flt = PostingFilter(companies=[company], status="all")
    by_metric: dict[str, list[dict[str, Any]]] = {}
    for metric in ("open", "new", "closed"):
        series = trend_series(
            session,
            metric=metric,
            group="company",
            interval="week",
            since=since,
            until=until,
            flt=flt,
        )
        by_metric[metric] = series[0]["points"] if series else []
    labels = max(([p["t"] for p in points] for points in by_metric.values()), key=len)
    if not labels and since is not None:  # nothing in range: every week of it, at zero
        labels = make_buckets("week", since, until or utcnow().date()).labels
    values = {m: {p["t"]: int(p["value"]) for p in points} for m, points in by_metric.items()}
    rows = [
        {
            "week": t,
            "open": values["open"].get(t, 0),
            "new": values["new"].get(t, 0),
            "closed": values["closed"].get(t, 0),
        }
        for t in labels
    ]
    return rows if since is not None else rows[-RECENT_WEEKS:]


def hiring_areas(
    session: Session, company: str, group: str, *, today: date, limit: int
) -> list[dict[str, Any]]:
    """Teams or topics with open roles now and roles first seen in the last four weeks."""
    open_now = {
        s["key"]: s["postings"]
        for s in pay_stats(session, group=group, flt=PostingFilter(companies=[company]))
    }
    recent = {
        s["key"]: sum(p["value"] for p in s["points"])
        for s in trend_series(
            session,
            metric="new",
            group=group,
            interval="day",
            since=today - timedelta(days=RECENT_DAYS - 1),
            until=today,
            flt=PostingFilter(companies=[company]),
        )
    }
    rows = [
        {"key": key, "open_roles": int(open_now.get(key, 0)), "new_recent": int(recent.get(key, 0))}
        for key in set(open_now) | set(recent)
    ]
    rows.sort(key=lambda r: (-r["open_roles"], -r["new_recent"], r["key"]))
    return rows[:limit]


def posting_ages(session: Session, company_id: int, *, now: datetime, limit: int) -> dict[str, Any]:
    """Age buckets of every open posting (counted in SQL) and the oldest ``limit`` of them."""
    is_open = and_(col(Posting.company_id) == company_id, col(Posting.status) == "open")
    counts = []
    for _label, low, high in AGE_BUCKETS:
        # Older than ``low`` days and not older than ``high`` days.
        cond = [_opened_before(now - timedelta(days=low))] if low else []
        if high is not None:
            cond.append(~_opened_before(now - timedelta(days=high)))
        counts.append(func.sum(case((and_(*cond), 1), else_=0)) if cond else func.count())
    totals = session.execute(select(func.count(), *counts).where(is_open)).one()
    total, *per_bucket = (int(n or 0) for n in totals)
    oldest = session.exec(
        select(Posting).where(is_open).order_by(_opened_order(), col(Posting.id)).limit(limit)
    ).all()
    items = [_role(p, now) for p in oldest]
    return {
        "total": total,
        "buckets": [
            {"label": label, "min_days": low, "max_days": high, "count": n}
            for (label, low, high), n in zip(AGE_BUCKETS, per_bucket, strict=True)
        ],
        "items": items,
    }


def stale_roles(session: Session, company_id: int, *, now: datetime, limit: int) -> dict[str, Any]:
    """Open roles that opened more than 90 days ago, oldest first."""
    cond = and_(
        col(Posting.company_id) == company_id,
        col(Posting.status) == "open",
        _opened_before(now - STALE_AFTER),
    )
    count = int(session.exec(select(func.count()).where(cond)).one())
    rows = session.exec(
        select(Posting).where(cond).order_by(_opened_order(), col(Posting.id)).limit(limit)
    ).all()
    items = [_role(p, now) for p in rows]
    return {"count": count, "days": STALE_AFTER.days, "items": items}


def boards_health(session: Session, company_id: int) -> list[dict[str, Any]]:
    boards = session.exec(
        select(Board).where(Board.company_id == company_id).order_by(col(Board.id))
    ).all()
    streaks = failure_streaks(session, [b.id for b in boards if b.id is not None])
    rows = []
    for board in boards:
        health = streaks.get(board.id or 0, {})
        streak = int(health.get("streak") or 0)
        rows.append(
            {
                "key": board.key,
                "ats": board.ats,
                "token": board.token,
                "url": board.url,
                "last_run_at": iso(board.last_run_at),
                "last_ok_at": iso(board.last_ok_at),
                "last_outcome": health.get("last_outcome"),
                "last_error": health.get("last_error"),
                "state": board_state(iso(board.last_run_at), streak),
                "failure_streak": streak,
                "failing_since": health.get("since"),
            }
        )
    return rows


def hires_for(
    session: Session, company: str, *, since: date | None, limits: ViewLimits
) -> dict[str, list[dict[str, Any]]]:
    """Hires into the company (with the open roles they may fill) and out of it."""
    either = list_hires(session, companies=[company], since=since, limit=limits.hires * 4).items
    out = [h for h in either if (h["from_company"] or "").casefold() == company.casefold()][
        : limits.hires
    ]
    into: list[dict[str, Any]] = []
    # Reading the roles a hire may fill reads up to 500 open postings: only when someone came in.
    if any(h["to_company"].casefold() == company.casefold() for h in either):
        talent = company_talent(session, company, since=since, limit=limits.hires)
        into = [
            {
                "hire": entry["hire"],
                "open_roles": [
                    {"id": p["id"], "title": p["title"], "team": p.get("team"), "url": p.get("url")}
                    for p in entry["open_roles"][: limits.roles_per_hire]
                ],
            }
            for entry in talent["hires"]
        ]
    return {"in": into, "out": out}


# -- the view ---------------------------------------------------------------------------------


def company_view(
    session: Session,
    name: str,
    *,
    now: datetime | None = None,
    since: date | None = None,
    until: date | None = None,
    limits: ViewLimits | None = None,
) -> dict[str, Any] | None:
    """Everything the company page shows, or ``None`` when no such company is stored.

    ``since``/``until`` bound the weekly history (default: the last 26 weeks up to today) and
    the hires; ages are measured at ``now``.
    """
    company = find_company(session, name)
    if company is None:
        return None
    now = now or utcnow()
    limits = limits or ViewLimits()
    company_id = _company_id(session, company)
    today = now.date()
    open_flt = PostingFilter(companies=[company])
    paid = pay_stats(session, group="function", flt=open_flt)
    ages = posting_ages(session, company_id, now=now, limit=limits.open_postings)
    closed = int(
        session.exec(
            select(func.count()).where(
                Posting.company_id == company_id, col(Posting.status) == "closed"
            )
        ).one()
    )
    return {
        "name": company,
        "as_of": iso(now),
        "open_roles": ages["total"],
        "closed_roles": closed,
        "weekly": weekly_history(session, company, since=since, until=until or today),
        "teams": hiring_areas(session, company, "team", today=today, limit=limits.areas),
        "topics": hiring_areas(session, company, "topic", today=today, limit=limits.areas),
        "pay_by_function": [
            {"function": s["key"], **{k: v for k, v in s.items() if k != "key"}} for s in paid
        ],
        "latest_roles": [
            {
                k: p[k]
                for k in (
                    "id",
                    "title",
                    "team",
                    "function",
                    "seniority",
                    "url",
                    "status",
                    "first_seen_at",
                    "locations",
                    "workplace",
                    "pay",
                )
            }
            for p in list_postings(session, open_flt, limit=limits.latest).items
        ],
        "open_postings": ages,
        "open_over_90_days": stale_roles(session, company_id, now=now, limit=limits.stale),
        "reposted_90_days": sum(
            reposted_counts(session, now - timedelta(days=90), company_id=company_id).values()
        ),
        "boards": boards_health(session, company_id),
        "hires": hires_for(session, company, since=since, limits=limits),
    }
