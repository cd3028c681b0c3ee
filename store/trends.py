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

import itertools
import json
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Date, Integer, cast, func, literal, select
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


def _rollup_values(
    session: Session, sl: rollups.Slice, interval: str, labels: list[str], end: date, metric: str
) -> dict[str, list[int]]:
    """Each key's value in every bucket, read from the rollup: what the scan's counts give,
    one array per key (the series are the response: thousands of them, so no dict per point)."""
    table = PostingRollup.__table__  # type: ignore[attr-defined]
    dialect = dialect_of(session)
    first = date.fromisoformat(labels[0])
    conds = [table.c.grain == rollups.GRAINS[interval], *rollups.slice_conditions(sl, table)]
    if metric == "new":
        conds.append(table.c.opened > 0)
    elif metric == "closed":
        conds.append(table.c.closed > 0)
    by = table.c.company_id if sl.by_company else table.c.key
    # One array of what each bucket adds (opened, closed, or the open count's change), summed
    # per row in SQL, and whether the key has postings first seen at all (for ``open``).
    change = (
        table.c.opened
        if metric == "new"
        else table.c.closed
        if metric == "closed"
        else table.c.opened - table.c.closed
    )
    inside = _joined(
        sl,
        table,
        select(
            by,
            _aggregate(dialect, _bucket_number(dialect, table.c.period, interval, first)),
            _aggregate(dialect, change),
            func.max(table.c.opened),
        ).select_from(table),
    ).where(*conds, table.c.period >= first, table.c.period < end)
    names = _names(session) if sl.by_company else None
    index = {label: i for i, label in enumerate(labels)}
    numbered = dialect == "postgresql"  # see _bucket_number
    size = len(labels)
    values: dict[str, list[int]] = {}
    seen: set[str] = set()  # keys with postings first seen before the end (``open``)
    for group, periods, changes, most_opened in session.execute(inside.group_by(by)):
        key = names.get(group) if names is not None else group
        if not key:
            continue
        row = values.setdefault(key, [0] * size)
        numbers = _loaded(periods) if numbered else [index[p] for p in _loaded(periods)]
        for number, n in zip(numbers, _loaded(changes), strict=True):
            row[number] += n
        if most_opened:
            seen.add(key)
    if metric != "open":
        return values
    # Everything before the first bucket is the carried-in total.
    before = _joined(
        sl,
        table,
        select(by, func.sum(table.c.opened), func.sum(table.c.closed)).select_from(table),
    ).where(*conds, table.c.period < first)
    carried: dict[str, int] = {}
    for group, opened_before, closed_before in session.execute(before.group_by(by)):
        key = names.get(group) if names is not None else group
        if key:
            carried[key] = int(opened_before) - int(closed_before)
            if opened_before:
                seen.add(key)
    out = {}
    for key in seen:
        running = list(
            itertools.accumulate(values.get(key, [0] * size), initial=carried.get(key, 0))
        )
        if any(running[1:]):
            out[key] = running[1:]
    return out


def rollup_keys(session: Session, dim: str) -> list[str]:
    """Every key of a dimension that some stored posting has (whatever its status), in order:
    the keys the rollup ever counted a posting under, where a scan would group every posting."""
    rollups.refresh(session)
    table = PostingRollup.__table__  # type: ignore[attr-defined]
    stmt = (
        select(table.c.key)
        .where(
            table.c.grain == "m",
            table.c.dim == dim,
            table.c.company_id == rollups.ALL_COMPANIES,
            table.c.opened > 0,
        )
        .distinct()
        .order_by(table.c.key)
    )
    return [key for key in session.execute(stmt).scalars() if key]


def _joined(sl: rollups.Slice, table: Any, stmt: Any) -> Any:
    """The company joined only for a company filter: series are keyed by company id (named
    after), so a join per rollup row would be spent on nothing."""
    return rollups.joined(sl, table, stmt) if sl.companies else stmt


def _iso_day(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)[:10]


def _names(session: Session) -> dict[int, str]:
    return {i: n for i, n in session.execute(select(col(Company.id), col(Company.name)))}


def _aggregate(dialect: str, column: Any) -> Any:
    """One group's values as one array (a JSON text on SQLite)."""
    return func.array_agg(column) if dialect == "postgresql" else func.json_group_array(column)


def _bucket_number(dialect: str, column: Any, interval: str, first: date) -> Any:
    """On PostgreSQL, which bucket (0 for the one starting on ``first``) a rollup row's period
    falls in, computed in SQL: an integer per row, where formatting 80,000 dates as text to look
    up cost a quarter of a year's weekly trend by company. SQLite keeps its dates as ISO text,
    which is read as it is (computing the number there costs more than the lookup)."""
    if dialect != "postgresql":
        return column
    if interval == "month":
        number = cast(func.extract("year", column), Integer) * 12 + cast(
            func.extract("month", column), Integer
        )
        return number - (first.year * 12 + first.month)
    days = column - literal(first, Date)
    return days // 7 if interval == "week" else days


def _loaded(values: Any) -> list[Any]:
    return json.loads(values) if isinstance(values, str) else list(values)


def _rollup_earliest(session: Session, sl: rollups.Slice) -> date | None:
    """The first day a posting matching the filters was seen, whatever its keys under the
    group (``_earliest``): read from the filter's own dimension, or from the companies'."""
    rollups.refresh(session)
    by_keys = replace(sl, by_company=False)
    if sl.keys:
        sl = by_keys
    elif sl.companies:
        sl = replace(sl, dim="company", by_company=True)
    else:
        # Over every company: the every-company rows of a dimension that counts each posting
        # under exactly one key (no function reads "unknown"), a few thousand rows, where the
        # company dimension's would be every company's every day.
        sl = replace(sl, dim="function", by_company=False)
    table = PostingRollup.__table__  # type: ignore[attr-defined]

    def first_period(grain: str, *more: Any) -> date | None:
        stmt = rollups.joined(sl, table, select(func.min(table.c.period)).select_from(table))
        stmt = stmt.where(
            table.c.grain == grain,
            table.c.opened > 0,
            *rollups.slice_conditions(sl, table),
            *more,
        )
        first = session.execute(stmt).scalar()
        return None if first is None else date.fromisoformat(_iso_day(first))

    # The first day lies in the first month: the month rows are 30 times fewer than the days'.
    month = first_period("m")
    if month is None:
        return None
    return first_period("d", table.c.period >= month, table.c.period < next_bucket(month, "month"))


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


def _running(counts: dict[str, int], labels: list[str], carry: int) -> list[int]:
    points = []
    for label in labels:
        carry += counts.get(label, 0)
        points.append(carry)
    return points


@dataclass(frozen=True)
class Trend:
    """A trend as arrays: bucket labels, and each series' key and values in label order."""

    labels: list[str]
    series: list[tuple[str, list[int]]]

    def as_series(self) -> list[dict[str, Any]]:
        """``[{"key", "points": [{"t", "value"}]}]``."""
        labels = self.labels
        return [
            {
                "key": key,
                "points": [{"t": t, "value": v} for t, v in zip(labels, values, strict=True)],
            }
            for key, values in self.series
        ]

    def series_json(self) -> str:
        """``as_series()`` as JSON text, written directly (a million points would otherwise be
        a million dicts validated and serialised one by one)."""
        starts = [f'{{"t":{json.dumps(t)},"value":' for t in self.labels]
        return (
            "["
            + ",".join(
                f'{{"key":{json.dumps(key)},"points":['
                + ",".join([start + str(v) + "}" for start, v in zip(starts, values, strict=True)])
                + "]}"
                for key, values in self.series
            )
            + "]"
        )


def trend_series(
    session: Session,
    *,
    metric: str,
    group: str,
    interval: str,
    since: date | None,
    until: date | None,
    flt: PostingFilter | None = None,
    last: int | None = None,
) -> list[dict[str, Any]]:
    """``[{"key", "points": [{"t": "YYYY-MM-DD", "value": int}]}]``, one point per bucket
    (see :func:`trend`)."""
    return trend(
        session,
        metric=metric,
        group=group,
        interval=interval,
        since=since,
        until=until,
        flt=flt,
        last=last,
    ).as_series()


def trend(
    session: Session,
    *,
    metric: str,
    group: str,
    interval: str,
    since: date | None,
    until: date | None,
    flt: PostingFilter | None = None,
    last: int | None = None,
) -> Trend:
    """One series per key of ``group``, one value per bucket from ``since`` to ``until``.

    The posting filter applies except for its ``status``: a trend is the history of every
    posting, whatever its status today. Series are ordered by their latest value, largest first.
    ``last`` (without ``since``, for ``new`` and ``closed``) starts the range at most that many
    buckets before ``until``: the series the full range would give, cut to their last buckets,
    less those with nothing in them.
    """
    if metric not in METRICS:
        raise TrendError(f"metric must be one of {', '.join(METRICS)}", "metric")
    if interval not in INTERVALS:
        raise TrendError(f"interval must be one of {', '.join(INTERVALS)}", "interval")
    dialect = dialect_of(session)
    gk = group_key(dialect, group)
    flt = replace(flt or PostingFilter(), status="all")
    sl = rollups.slice_for(flt, group)
    if sl is not None:
        rollups.refresh(session)
    until = until or utcnow().date()
    if since is None:
        earliest = _earliest(session, dialect, flt) if sl is None else _rollup_earliest(session, sl)
        since = default_since(interval, until, earliest)
        if last is not None and metric != "open":
            since = max(since, _buckets_back(until, interval, last))
    buckets = make_buckets(interval, since, until)
    labels = buckets.labels
    if sl is not None:
        values = _rollup_values(session, sl, interval, labels, buckets.end.date(), metric)
    else:
        values = _scanned_values(session, dialect, gk, interval, flt, buckets, metric)
    ordered = sorted(values.items(), key=lambda kv: (-kv[1][-1], kv[0]))
    return Trend(labels, ordered)


def _buckets_back(until: date, interval: str, count: int) -> date:
    """The first day of the bucket ``count - 1`` buckets before the one holding ``until``."""
    day = bucket_start(until, interval)
    for _ in range(count - 1):
        if day == date.min:
            break
        day = bucket_start(day - timedelta(days=1), interval)
    return day


def _scanned_values(
    session: Session,
    dialect: str,
    gk: GroupKey,
    interval: str,
    flt: PostingFilter,
    buckets: Buckets,
    metric: str,
) -> dict[str, list[int]]:
    """Each key's value in every bucket, from the postings."""
    first = buckets.labels[0]

    def by_bucket(column: Any) -> dict[str, dict[str, int]]:
        return _counts_by_bucket(session, dialect, gk, column, interval, flt, buckets.end)

    values: dict[str, list[int]] = {}
    if metric in ("new", "closed"):
        column = Posting.first_seen_at if metric == "new" else Posting.closed_at
        for key, counts in by_bucket(column).items():
            if any(label >= first for label in counts):
                values[key] = [counts.get(t, 0) for t in buckets.labels]
        return values
    opened, closed = by_bucket(Posting.first_seen_at), by_bucket(Posting.closed_at)
    for key in opened:
        delta: dict[str, int] = defaultdict(int)
        for label, n in opened[key].items():
            delta[label] += n
        for label, n in closed.get(key, {}).items():
            delta[label] -= n
        # Everything before the first bucket is already in the carried-in total.
        carry = sum(n for label, n in delta.items() if label < first)
        points = _running(delta, buckets.labels, carry)
        if any(points):
            values[key] = points
    return values
