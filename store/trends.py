"""Trends over time and pay statistics, aggregated in SQL on SQLite and PostgreSQL.

A trend counts postings per group and per calendar bucket (UTC days, ISO weeks starting on
Monday, or months):

- ``new``: postings first seen inside the bucket;
- ``closed``: postings closed inside the bucket;
- ``open``: postings open at the end of the bucket, reconstructed as "first seen before the end
  and not closed before the end". The database counts first-seen and closed postings per bucket;
  the running total is the open count, so it is exact however far back the history goes.
"""

from __future__ import annotations

import calendar
import statistics
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, String, and_, case, cast, func, literal, select
from sqlalchemy.sql.selectable import TableValuedAlias
from sqlmodel import Session, col

from store.filters import PostingFilter, day_start, posting_conditions
from store.models import Company, Posting
from store.types import utcnow
from store.vocab import Group, Interval, Metric

METRICS: tuple[str, ...] = tuple(Metric)
GROUPS: tuple[str, ...] = tuple(Group)
INTERVALS: tuple[str, ...] = tuple(Interval)
PAY_GROUPS: tuple[str, ...] = GROUPS
MAX_BUCKETS = 1000
UNKNOWN = "unknown"

# Location strings end with a region or a country ("Palo Alto, CA", "London, United Kingdom").
US_STATES: tuple[str, ...] = (
    "AL",
    "AK",
    "AZ",
    "AR",
    "CA",
    "CO",
    "CT",
    "DE",
    "FL",
    "GA",
    "HI",
    "ID",
    "IL",
    "IN",
    "IA",
    "KS",
    "KY",
    "LA",
    "ME",
    "MD",
    "MA",
    "MI",
    "MN",
    "MS",
    "MO",
    "MT",
    "NE",
    "NV",
    "NH",
    "NJ",
    "NM",
    "NY",
    "NC",
    "ND",
    "OH",
    "OK",
    "OR",
    "PA",
    "RI",
    "SC",
    "SD",
    "TN",
    "TX",
    "UT",
    "VT",
    "VA",
    "WA",
    "WV",
    "WI",
    "WY",
    "DC",
)
COUNTRY_ALIASES: dict[str, str] = {
    **dict.fromkeys(US_STATES, "United States"),
    **dict.fromkeys(("US", "USA", "U.S.", "U.S.A.", "United States of America"), "United States"),
    **dict.fromkeys(("UK", "U.K.", "England", "Scotland", "Wales"), "United Kingdom"),
}


class TrendError(ValueError):
    """A trend or pay request that cannot be answered as asked (shown to API users as 422)."""

    def __init__(self, message: str, param: str) -> None:
        super().__init__(message)
        self.param = param  # the parameter at fault


@dataclass(frozen=True)
class Buckets:
    interval: str
    labels: list[str]  # bucket start dates, ISO, ascending
    start: datetime  # start of the first bucket
    end: datetime  # end of the last bucket (exclusive)


# -- calendar buckets -----------------------------------------------------------------------


def bucket_start(day: date, interval: str) -> date:
    if interval == "week":
        return day - timedelta(days=day.weekday())
    if interval == "month":
        return day.replace(day=1)
    return day


def next_bucket(day: date, interval: str) -> date:
    if interval == "week":
        return day + timedelta(days=7)
    if interval == "month":
        days = calendar.monthrange(day.year, day.month)[1]
        return day + timedelta(days=days)
    return day + timedelta(days=1)


def make_buckets(interval: str, since: date, until: date) -> Buckets:
    if interval not in INTERVALS:
        raise TrendError(f"interval must be one of {', '.join(INTERVALS)}", "interval")
    if since > until:
        raise TrendError("since must not be after until", "since")
    labels: list[str] = []
    day = bucket_start(since, interval)
    first = day
    while day <= until:
        labels.append(day.isoformat())
        if len(labels) > MAX_BUCKETS:
            raise TrendError(
                f"more than {MAX_BUCKETS} {interval} buckets; narrow since/until", "since"
            )
        day = next_bucket(day, interval)
    return Buckets(interval, labels, day_start(first), day_start(day))


def default_since(interval: str, until: date, earliest: date | None) -> date:
    """From the first posting seen, but never more than MAX_BUCKETS back."""
    step = {"day": 1, "week": 7, "month": 31}[interval]
    try:
        floor = until - timedelta(days=step * (MAX_BUCKETS - 2))
    except OverflowError:  # `until` in the first centuries of the calendar
        floor = date.min
    return min(max(earliest or until, floor), until)


# -- dialect-aware SQL pieces --------------------------------------------------------------


def dialect_of(session: Session) -> str:
    return session.get_bind().dialect.name


def json_elements(dialect: str, column: Any, name: str) -> TableValuedAlias:
    """The elements of a JSON list column as a table with one text column ``value``."""
    fn = func.jsonb_array_elements_text if dialect == "postgresql" else func.json_each
    return fn(column).table_valued("value").alias(name)


def bucket_label(dialect: str, column: Any, interval: str) -> ColumnElement[str]:
    """The ISO date (text) of the bucket holding a timestamp, computed by the database in UTC."""
    if dialect == "postgresql":
        utc = func.timezone("UTC", column)
        return func.to_char(func.date_trunc(interval, utc), "YYYY-MM-DD")
    if interval == "week":  # back 6 days, then forward to Monday: the Monday on or before
        return func.date(column, "-6 days", "weekday 1")
    if interval == "month":
        return func.strftime("%Y-%m-01", column)
    return func.date(column)


def country_of(location: Any) -> ColumnElement[str]:
    """The last comma-separated part of a location string, with common aliases resolved."""
    # SQLite has no "split from the right": rtrim(s, s-without-commas) keeps up to the last comma.
    head = func.rtrim(location, func.replace(location, ",", ""))
    tail = func.trim(func.substr(location, func.length(head) + 1))
    return case(COUNTRY_ALIASES, value=tail, else_=tail)


@dataclass(frozen=True)
class GroupKey:
    key: ColumnElement[str]
    source: TableValuedAlias | None = None  # a JSON list to unnest (topics, locations)


def group_key(dialect: str, group: str) -> GroupKey:
    if group not in GROUPS:
        raise TrendError(f"group must be one of {', '.join(GROUPS)}", "group")
    if group == "company":
        return GroupKey(Company.name)  # type: ignore[arg-type]
    if group == "topic":
        topics = json_elements(dialect, Posting.topics, "group_topic")
        return GroupKey(cast(topics.c.value, String), topics)
    if group == "country":
        places = json_elements(dialect, Posting.locations, "group_location")
        return GroupKey(country_of(cast(places.c.value, String)), places)
    column = Posting.__table__.c.get(group)  # type: ignore[attr-defined]
    if column is None:
        raise TrendError(f"group {group!r} is not available in this database", "group")
    return GroupKey(func.coalesce(column, UNKNOWN))


def grouped_select(gk: GroupKey, *columns: Any) -> Any:
    stmt = (
        select(gk.key.label("key"), *columns)
        .select_from(Posting)
        .join(Company, col(Company.id) == Posting.company_id)
    )
    if gk.source is not None:
        stmt = stmt.join(gk.source, literal(True))
    return stmt


# -- trends ---------------------------------------------------------------------------------


def _counts_by_bucket(
    session: Session,
    dialect: str,
    gk: GroupKey,
    column: Any,
    interval: str,
    flt: PostingFilter,
    end: datetime,
) -> dict[str, dict[str, int]]:
    """{key: {bucket label: postings}} for the timestamps in ``column`` before ``end``."""
    label = bucket_label(dialect, column, interval).label("bucket")
    # Group over a subquery so that expressions with bound parameters are not repeated
    # in GROUP BY (PostgreSQL would not recognise them as the same expression).
    rows = (
        grouped_select(gk, label, col(Posting.id).label("posting_id"))
        .where(*posting_conditions(flt), column.is_not(None), column < end)
        .subquery()
    )
    stmt = select(rows.c.key, rows.c.bucket, func.count(func.distinct(rows.c.posting_id))).group_by(
        rows.c.key, rows.c.bucket
    )
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for key, bucket, count in session.execute(stmt):
        if key is not None and key != "":
            out[str(key)][str(bucket)] = int(count)
    return out


def _earliest(session: Session, dialect: str, flt: PostingFilter) -> date | None:
    stmt = (
        select(func.min(Posting.first_seen_at))
        .select_from(Posting)
        .join(Company, col(Company.id) == Posting.company_id)
        .where(*posting_conditions(flt))
    )
    first = session.execute(stmt).scalar()
    if isinstance(first, str):  # SQLite aggregates lose the column type
        first = datetime.fromisoformat(first)
    return first.date() if first is not None else None


def _series(counts: dict[str, int], labels: list[str], carry: int) -> list[dict[str, Any]]:
    points = []
    for label in labels:
        carry += counts.get(label, 0)
        points.append({"t": label, "value": carry})
    return points


def trend_series(
    session: Session,
    *,
    metric: str,
    group: str,
    interval: str,
    since: date | None,
    until: date | None,
    flt: PostingFilter | None = None,
) -> list[dict[str, Any]]:
    """``[{"key", "points": [{"t": "YYYY-MM-DD", "value": int}]}]``, one point per bucket.

    The posting filter applies except for its ``status``: a trend is the history of every
    posting, whatever its status today. Series are ordered by their latest value, largest first.
    """
    if metric not in METRICS:
        raise TrendError(f"metric must be one of {', '.join(METRICS)}", "metric")
    if interval not in INTERVALS:
        raise TrendError(f"interval must be one of {', '.join(INTERVALS)}", "interval")
    dialect = dialect_of(session)
    gk = group_key(dialect, group)
    flt = replace(flt or PostingFilter(), status="all")
    until = until or utcnow().date()
    since = since or default_since(interval, until, _earliest(session, dialect, flt))
    buckets = make_buckets(interval, since, until)
    first = buckets.labels[0]

    def by_bucket(column: Any) -> dict[str, dict[str, int]]:
        return _counts_by_bucket(session, dialect, gk, column, interval, flt, buckets.end)

    series: dict[str, list[dict[str, Any]]] = {}
    if metric in ("new", "closed"):
        column = Posting.first_seen_at if metric == "new" else Posting.closed_at
        for key, counts in by_bucket(column).items():
            if any(label >= first for label in counts):
                series[key] = [{"t": t, "value": counts.get(t, 0)} for t in buckets.labels]
    else:
        opened, closed = by_bucket(Posting.first_seen_at), by_bucket(Posting.closed_at)
        for key in opened:
            delta: dict[str, int] = defaultdict(int)
            for label, n in opened[key].items():
                delta[label] += n
            for label, n in closed.get(key, {}).items():
                delta[label] -= n
            # Everything before the first bucket is already in the carried-in total.
            carry = sum(n for label, n in delta.items() if label < first)
            points = _series(delta, buckets.labels, carry)
            if any(p["value"] for p in points):
                series[key] = points
    ordered = sorted(series.items(), key=lambda kv: (-kv[1][-1]["value"], kv[0]))
    return [{"key": key, "points": points} for key, points in ordered]


# -- pay ------------------------------------------------------------------------------------


def percentiles(values: list[float]) -> dict[str, float | None]:
    """p25 / median / p75 by linear interpolation between closest ranks (numpy's default)."""
    if not values:
        return {"p25": None, "median": None, "p75": None}
    ordered = sorted(values)

    def at(q: float) -> float:
        pos = (len(ordered) - 1) * q
        low = int(pos)
        high = min(low + 1, len(ordered) - 1)
        return round(ordered[low] + (ordered[high] - ordered[low]) * (pos - low), 2)

    return {"p25": at(0.25), "median": round(statistics.median(ordered), 2), "p75": at(0.75)}


def pay_stats(
    session: Session, *, group: str, flt: PostingFilter | None = None
) -> list[dict[str, Any]]:
    """Per group: postings, how many publish pay, the share that does, and quartiles of the
    annualised USD minimum and maximum. Honours the whole filter (``status`` defaults to open).

    Quartiles need every value, so the database returns one row per (group, posting) with
    published pay figures and Python sorts them; counts are aggregated in SQL.
    """
    flt = flt or PostingFilter()
    dialect = dialect_of(session)
    gk = group_key(dialect, group)
    conds = posting_conditions(flt)
    has_pay = and_(
        col(Posting.pay_currency).is_not(None),
        col(Posting.pay_period).is_not(None),
    )
    rows = (
        grouped_select(
            gk,
            col(Posting.id).label("posting_id"),
            case((has_pay, 1), else_=0).label("paid"),
        )
        .where(*conds)
        .subquery()
    )
    counts = select(
        rows.c.key,
        func.count(func.distinct(rows.c.posting_id)),
        func.count(func.distinct(case((rows.c.paid == 1, rows.c.posting_id)))),
    ).group_by(rows.c.key)
    totals = {
        str(k): (int(n), int(paid))
        for k, n, paid in session.execute(counts)
        if k is not None and k != ""
    }
    figures = (
        grouped_select(gk, Posting.id, Posting.pay_annual_min_usd, Posting.pay_annual_max_usd)
        .where(*conds, has_pay)
        .distinct()
    )
    mins: dict[str, list[float]] = defaultdict(list)
    maxes: dict[str, list[float]] = defaultdict(list)
    for key, _id, low, high in session.execute(figures):
        if low is not None:
            mins[str(key)].append(float(low))
        if high is not None:
            maxes[str(key)].append(float(high))
    rows = [
        {
            "key": key,
            "postings": n,
            "with_pay": paid,
            "transparency": round(paid / n, 4) if n else 0.0,
            "annual_min_usd": percentiles(mins.get(key, [])),
            "annual_max_usd": percentiles(maxes.get(key, [])),
        }
        for key, (n, paid) in totals.items()
    ]
    return sorted(rows, key=lambda r: (-r["postings"], r["key"]))
