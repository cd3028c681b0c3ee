"""Trends over time, aggregated in SQL on SQLite and PostgreSQL.

A trend counts postings per group and per calendar bucket (UTC days, ISO weeks starting on
Monday, or months):

- ``new``: postings first seen inside the bucket;
- ``closed``: postings closed inside the bucket;
- ``open``: postings open at the end of the bucket, reconstructed as "first seen before the end
  and not closed before the end". The database counts first-seen and closed postings per bucket;
  the running total is the open count, so it is exact however far back the history goes.

The counts come from the rollup (``store.rollups``) whenever it covers the request's filters,
and from the postings otherwise (free text, minimum pay, several label filters at once); both
give the same figures.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import case, func, select
from sqlmodel import Session, col

from store import rollups
from store.filters import PostingFilter, day_start, posting_conditions
from store.grouping import (  # noqa: F401  (where callers have always found them)
    COUNTRY_ALIASES,
    GROUPS,
    UNKNOWN,
    US_STATES,
    GroupKey,
    TrendError,
    bucket_label,
    bucket_start,
    country_of,
    dialect_of,
    group_key,
    grouped_select,
    json_elements,
    next_bucket,
)
from store.models import Company, Posting, PostingRollup
from store.pay_stats import PAY_GROUPS, pay_stats, percentiles  # noqa: F401  (re-exported)
from store.types import utcnow
from store.vocab import Interval, Metric

METRICS: tuple[str, ...] = tuple(Metric)
INTERVALS: tuple[str, ...] = tuple(Interval)
MAX_BUCKETS = 1000
# A bucket label before every real one: what was counted before the range (the carried-in total).
BEFORE = ""


@dataclass(frozen=True)
class Buckets:
    interval: str
    labels: list[str]  # bucket start dates, ISO, ascending
    start: datetime  # start of the first bucket
    end: datetime  # end of the last bucket (exclusive)


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


def _rollup_counts(
    session: Session, sl: rollups.Slice, interval: str, first: str, end: datetime, metric: str
) -> tuple[dict[str, dict[str, int]], dict[str, dict[str, int]]]:
    """What ``_counts_by_bucket`` gives for first-seen and for closed postings, read from the
    rollup; buckets before ``first`` fold into the one label ``BEFORE``."""
    rollups.refresh(session)
    table = PostingRollup.__table__  # type: ignore[attr-defined]
    conds = [
        table.c.grain == rollups.GRAINS[interval],
        table.c.period < end.date(),
        *rollups.slice_conditions(sl, table),
    ]
    if metric == "new":
        conds.append(table.c.opened > 0)
    elif metric == "closed":
        conds.append(table.c.closed > 0)
    bucket = case((table.c.period < date.fromisoformat(first), None), else_=table.c.period)
    rows = (
        rollups.joined(
            sl,
            table,
            select(
                rollups.key_column(sl, table).label("key"),
                bucket.label("bucket"),
                table.c.opened,
                table.c.closed,
            ).select_from(table),
        )
        .where(*conds)
        .subquery()
    )
    # Grouped over a subquery: PostgreSQL does not match a repeated expression with bound
    # parameters in GROUP BY.
    stmt = select(
        rows.c.key, rows.c.bucket, func.sum(rows.c.opened), func.sum(rows.c.closed)
    ).group_by(rows.c.key, rows.c.bucket)
    opened: dict[str, dict[str, int]] = defaultdict(dict)
    closed: dict[str, dict[str, int]] = defaultdict(dict)
    for key, period, new, gone in session.execute(stmt):
        if key is None or key == "":
            continue
        label = BEFORE if period is None else _iso_day(period)
        if new:
            opened[str(key)][label] = int(new)
        if gone:
            closed[str(key)][label] = int(gone)
    return opened, closed


def _iso_day(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)[:10]


def _rollup_earliest(session: Session, sl: rollups.Slice) -> date | None:
    """The first day a posting matching the filters was seen, whatever its keys under the
    group (``_earliest``): read from the filter's own dimension, or from the companies'."""
    rollups.refresh(session)
    by_keys = replace(sl, by_company=False)
    sl = by_keys if sl.keys else replace(sl, dim="company", by_company=True)
    table = PostingRollup.__table__  # type: ignore[attr-defined]
    stmt = rollups.joined(sl, table, select(func.min(table.c.period)).select_from(table)).where(
        table.c.grain == "d", table.c.opened > 0, *rollups.slice_conditions(sl, table)
    )
    first = session.execute(stmt).scalar()
    return None if first is None else date.fromisoformat(_iso_day(first))


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
    sl = rollups.slice_for(flt, group)
    until = until or utcnow().date()
    if since is None:
        earliest = _earliest(session, dialect, flt) if sl is None else _rollup_earliest(session, sl)
        since = default_since(interval, until, earliest)
    buckets = make_buckets(interval, since, until)
    first = buckets.labels[0]

    opened: dict[str, dict[str, int]] = {}
    closed: dict[str, dict[str, int]] = {}
    if sl is not None:
        opened, closed = _rollup_counts(session, sl, interval, first, buckets.end, metric)
    else:
        if metric in ("new", "open"):
            opened = _counts_by_bucket(
                session, dialect, gk, Posting.first_seen_at, interval, flt, buckets.end
            )
        if metric in ("closed", "open"):
            closed = _counts_by_bucket(
                session, dialect, gk, Posting.closed_at, interval, flt, buckets.end
            )

    series: dict[str, list[dict[str, Any]]] = {}
    if metric in ("new", "closed"):
        for key, counts in (opened if metric == "new" else closed).items():
            if any(label >= first for label in counts):
                series[key] = [{"t": t, "value": counts.get(t, 0)} for t in buckets.labels]
    else:
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
