"""Pay statistics per group (``/api/pay``, the dashboard's pay bands, the company view).

Per group: postings, how many publish pay, the share that does, and quartiles of the annualised
USD minimum and maximum, interpolated between closest ranks (numpy's default). Exact either way:
postings of any status under filters the rollup covers are read from its multisets of pay
figures (by company, from its per-company summary); anything else (free text,
minimum pay, ``since``) scans the postings.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlmodel import Session, col

from store import rollups
from store.filters import PostingFilter, company_condition, posting_conditions
from store.grouping import GROUPS, dialect_of, group_key, grouped_select
from store.models import Company, CompanyPay, PayRollup, Posting
from store.quantiles import multiset_percentiles, percentiles, ranked_percentiles  # noqa: F401
from store.rollups import MULTI_VALUED

PAY_GROUPS: tuple[str, ...] = GROUPS


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
    sl = rollups.slice_for(flt, group)
    rows = (
        _from_rollup(session, sl, flt.status)
        if sl is not None
        else _from_postings(session, group, flt)
    )
    return sorted(rows, key=lambda r: (-r["postings"], r["key"]))


# -- from the rollup --------------------------------------------------------------------------


def _from_rollup(session: Session, sl: rollups.Slice, status: str) -> list[dict[str, Any]]:
    rollups.refresh(session)
    if sl.by_company and sl.dim == "company":
        return _by_company(session, sl, status)
    table = PayRollup.__table__  # type: ignore[attr-defined]
    # Both statuses named for "all", so the scan still starts from the leading key column.
    statuses = [table.c.status.in_(rollups.STATUSES if status == "all" else (status,))]
    key = rollups.key_column(sl, table).label("key")
    stmt = (
        rollups.joined(
            sl,
            table,
            select(key, table.c.side, table.c.value, func.sum(table.c.n)).select_from(table),
        )
        .where(*rollups.slice_conditions(sl, table), *statuses)
        .group_by(key, table.c.side, table.c.value)
        .order_by(key, table.c.side, table.c.value)
    )
    out = []
    for name, rows in itertools.groupby(session.execute(stmt), key=lambda r: r[0]):
        if name is None or name == "":
            continue
        counts: dict[str, int] = defaultdict(int)
        sides: dict[str, tuple[list[float], list[int]]] = {"lo": ([], []), "hi": ([], [])}
        for _name, side, value, n in rows:
            if side in sides:
                sides[side][0].append(float(value))
                sides[side][1].append(int(n))
            else:
                counts[side] += int(n)
        if counts["n"]:
            out.append(
                _row(
                    str(name),
                    counts["n"],
                    counts["p"],
                    multiset_percentiles(*sides["lo"]),
                    multiset_percentiles(*sides["hi"]),
                )
            )
    return out


def _by_company(session: Session, sl: rollups.Slice, status: str) -> list[dict[str, Any]]:
    """Every company (or the filter's): one summary row each."""
    table = CompanyPay.__table__  # type: ignore[attr-defined]
    conds = [table.c.status == status, table.c.no_reposts == sl.no_reposts]
    if sl.companies:
        conds.append(company_condition(sl.companies))
    stmt = (
        select(col(Company.name), *table.c)
        .join(Company, col(Company.id) == table.c.company_id)
        .where(*conds)
    )
    return [
        _row(
            row.name,
            row.postings,
            row.with_pay,
            {"p25": row.min_p25, "median": row.min_median, "p75": row.min_p75},
            {"p25": row.max_p25, "median": row.max_median, "p75": row.max_p75},
        )
        for row in session.execute(stmt)
        if row.name
    ]


# -- from the postings ------------------------------------------------------------------------


def _from_postings(session: Session, group: str, flt: PostingFilter) -> list[dict[str, Any]]:
    """One scan: postings counted per key and pay pair (paid, annual min, annual max) in SQL,
    so a key's total, its paid count and both multisets of figures come from the same rows.
    Pay figures repeat (bands in round thousands): a few thousand rows come back, not every
    posting."""
    gk = group_key(dialect_of(session), group)
    has_pay = and_(
        col(Posting.pay_currency).is_not(None),
        col(Posting.pay_period).is_not(None),
    )
    rows = (
        grouped_select(
            gk,
            col(Posting.id).label("posting_id"),
            case((has_pay, 1), else_=0).label("paid"),
            case((has_pay, col(Posting.pay_annual_min_usd))).label("lo"),
            case((has_pay, col(Posting.pay_annual_max_usd))).label("hi"),
        )
        .where(*posting_conditions(flt))
        .subquery()
    )
    # A posting is in one row per key; only keys with several values per posting (topics,
    # countries from several locations) could count one twice.
    postings = (
        func.count(func.distinct(rows.c.posting_id)) if group in MULTI_VALUED else func.count()
    )
    stmt = select(rows.c.key, rows.c.paid, rows.c.lo, rows.c.hi, postings).group_by(
        rows.c.key, rows.c.paid, rows.c.lo, rows.c.hi
    )
    totals: dict[str, list[int]] = {}
    figures: dict[str, dict[str, dict[float, int]]] = {}
    for key, paid, lo, hi, n in session.execute(stmt):
        if key is None or key == "":
            continue
        name = str(key)
        total = totals.setdefault(name, [0, 0])
        total[0] += int(n)
        if paid:
            total[1] += int(n)
            sides = figures.setdefault(name, {"lo": defaultdict(int), "hi": defaultdict(int)})
            for side, value in (("lo", lo), ("hi", hi)):
                if value is not None:
                    sides[side][float(value)] += int(n)
    out = []
    for name, (n, paid) in totals.items():
        sides = figures.get(name, {"lo": {}, "hi": {}})
        lo_values, hi_values = sorted(sides["lo"].items()), sorted(sides["hi"].items())
        out.append(
            _row(
                name,
                n,
                paid,
                multiset_percentiles([v for v, _ in lo_values], [c for _, c in lo_values]),
                multiset_percentiles([v for v, _ in hi_values], [c for _, c in hi_values]),
            )
        )
    return out
