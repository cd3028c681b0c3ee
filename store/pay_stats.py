"""Pay statistics per group (``/api/pay``, the dashboard's pay bands, the company view).

Per group: postings, how many publish pay, the share that does, and quartiles of the annualised
USD minimum and maximum, interpolated between closest ranks (numpy's default). Exact either way:
open postings under filters the rollup covers are read from its multiset of pay figures (a few
rows per group, the ranks picked by a window sum in SQL); anything else (closed or all postings,
free text, minimum pay, ``since``) scans the postings.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from sqlalchemy import BigInteger, and_, case, cast, func, or_, select
from sqlmodel import Session, col

from store import rollups
from store.filters import PostingFilter, posting_conditions
from store.grouping import GROUPS, dialect_of, group_key, grouped_select
from store.models import PayRollup, Posting

PAY_GROUPS: tuple[str, ...] = GROUPS
QUARTILES = (0.25, 0.5, 0.75)


def percentiles(values: list[float]) -> dict[str, float | None]:
    """p25 / median / p75 by linear interpolation between closest ranks (numpy's default)."""
    if not values:
        return {"p25": None, "median": None, "p75": None}
    ordered = sorted(values)
    return ranked_percentiles(len(ordered), ordered.__getitem__)


def ranked_percentiles(n: int, at_rank: Callable[[int], float]) -> dict[str, float | None]:
    """The quartiles of ``n`` sorted values, ``at_rank(i)`` being the i-th smallest."""
    if n == 0:
        return {"p25": None, "median": None, "p75": None}

    def at(q: float) -> float:
        pos = (n - 1) * q
        low = int(pos)
        high = min(low + 1, n - 1)
        return round(at_rank(low) + (at_rank(high) - at_rank(low)) * (pos - low), 2)

    middle = [at_rank(n // 2)] if n % 2 else [at_rank(n // 2 - 1), at_rank(n // 2)]
    return {"p25": at(0.25), "median": round(statistics.median(middle), 2), "p75": at(0.75)}


def _row(key: str, n: int, paid: int, low: dict[str, Any], high: dict[str, Any]) -> dict[str, Any]:
    return {
        "key": key,
        "postings": n,
        "with_pay": paid,
        "transparency": round(paid / n, 4) if n else 0.0,
        "annual_min_usd": low,
        "annual_max_usd": high,
    }


def pay_stats(
    session: Session, *, group: str, flt: PostingFilter | None = None
) -> list[dict[str, Any]]:
    """Per group: postings, how many publish pay, the share that does, and quartiles of the
    annualised USD minimum and maximum. Honours the whole filter (``status`` defaults to open).
    Largest groups first."""
    flt = flt or PostingFilter()
    dialect = dialect_of(session)
    group_key(dialect, group)  # an unknown group is refused before anything is read
    sl = rollups.slice_for(flt, group) if flt.status == "open" else None
    rows = _from_rollup(session, sl) if sl is not None else _from_postings(session, group, flt)
    return sorted(rows, key=lambda r: (-r["postings"], r["key"]))


# -- from the rollup --------------------------------------------------------------------------


def _from_rollup(session: Session, sl: rollups.Slice) -> list[dict[str, Any]]:
    rollups.refresh(session)
    table = PayRollup.__table__  # type: ignore[attr-defined]
    conds = rollups.slice_conditions(sl, table)
    key = rollups.key_column(sl, table).label("key")
    counts = rollups.joined(
        sl, table, select(key, table.c.side, func.sum(table.c.n)).select_from(table)
    ).where(*conds, table.c.side.in_(("n", "p")))
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for name, side, n in session.execute(counts.group_by(key, table.c.side)):
        if name is not None and name != "":
            totals[str(name)][0 if side == "n" else 1] = int(n)
    # The multiset of each side's values, then each value's rank range in its group.
    values = (
        rollups.joined(
            sl,
            table,
            select(key, table.c.side, table.c.value, func.sum(table.c.n).label("n")).select_from(
                table
            ),
        )
        .where(*conds, table.c.side.in_(("lo", "hi")))
        .group_by(key, table.c.side, table.c.value)
        .subquery()
    )
    part = (values.c.key, values.c.side)
    upto = cast(func.sum(values.c.n).over(partition_by=part, order_by=values.c.value), BigInteger)
    total = cast(func.sum(values.c.n).over(partition_by=part), BigInteger)
    ranked = select(
        values.c.key,
        values.c.side,
        values.c.value,
        (upto - values.c.n).label("first"),  # rank of the value's first copy (0-based)
        upto.label("upto"),
        total.label("total"),
    ).subquery()
    # Only the values at the ranks the quartiles interpolate between, <= 6 per group and side.
    wanted = []
    for num, den in ((1, 4), (1, 2), (3, 4)):
        low = (ranked.c.total - 1) * num / den  # integer division: floor
        for rank in (low, low + 1):
            wanted.append(and_(ranked.c.first <= rank, rank < ranked.c.upto))
    picked: dict[tuple[str, str], list[tuple[int, int, float]]] = defaultdict(list)
    sizes: dict[tuple[str, str], int] = {}
    for name, side, value, first, upto_, n in session.execute(select(ranked).where(or_(*wanted))):
        picked[(str(name), side)].append((int(first), int(upto_), float(value)))
        sizes[(str(name), side)] = int(n)

    def quartiles(name: str, side: str) -> dict[str, float | None]:
        spans = picked.get((name, side), [])

        def at_rank(rank: int) -> float:
            return next(v for first, upto_, v in spans if first <= rank < upto_)

        return ranked_percentiles(sizes.get((name, side), 0), at_rank)

    return [
        _row(name, n, paid, quartiles(name, "lo"), quartiles(name, "hi"))
        for name, (n, paid) in totals.items()
        if n
    ]


# -- from the postings ------------------------------------------------------------------------


def _from_postings(session: Session, group: str, flt: PostingFilter) -> list[dict[str, Any]]:
    """Counts aggregated in SQL; the quartiles from the figures of the matching postings."""
    gk = group_key(dialect_of(session), group)
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
    return [
        _row(key, n, paid, percentiles(mins.get(key, [])), percentiles(maxes.get(key, [])))
        for key, (n, paid) in totals.items()
    ]
