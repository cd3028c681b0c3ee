"""Rollups of the postings (``store.models.rollups``): kept in step by ingest, read by trends,
pay statistics and the dashboard.

**Keeping them in step.** Whatever changes a posting's first-seen or closed time, status, labels,
locations, team, workplace, pay or repost link calls :func:`touch` with the posting's company and
the moments concerned (its first sight, a closing, the closing a reopen undoes). That marks
*cells* — one company's UTC day — and the company's pay figures as dirty in the session. Before
the session commits (or before a rollup is read in it), :func:`refresh` recomputes each dirty cell
from the postings with the very SQL expressions the raw queries group by, subtracts what the rollup
held for it in the same statement, and adds the difference to the day, week and month rows of the
company and of every company (``company_id = 0``). One statement reads both sides, so concurrent
writers on PostgreSQL never count a posting twice; the upserts go in key order, so they never
deadlock. :func:`rebuild` recomputes everything (``talentflow db rebuild-rollups``).

**Reading them.** :func:`slice_for` says whether a request's filters are covered: the company
filter, at most one other label filter (several topics overlap, so only one topic), and
``exclude_reposts``. Free text (``q``), ``min_annual_pay`` and ``since`` are not: those requests
scan the postings, as before. Pay figures are kept per status (open, closed), so any status
filter is covered, and the per-company summary is kept for open, closed and all postings.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    DateTime,
    Float,
    Integer,
    String,
    and_,
    bindparam,
    case,
    cast,
    delete,
    false,
    func,
    insert,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import BindParameter
from sqlmodel import col

from store.filters import PostingFilter, company_condition, day_start
from store.grouping import UNKNOWN, GroupKey, bucket_label, bucket_start, day_of, group_key
from store.models import Company, CompanyPay, PayRollup, Posting, PostingRollup
from store.quantiles import multiset_percentiles

# Label dimensions kept; every trend and pay group.
DIMS: tuple[str, ...] = (
    "company",
    "topic",
    "team",
    "function",
    "seniority",
    "workplace",
    "country",
)
# Dimensions whose key is a column with NULL shown as "unknown" (a filter never matches NULL).
COALESCED = frozenset({"team", "function", "seniority", "workplace"})
# Dimensions where one posting can have several keys.
MULTI_VALUED = frozenset({"topic", "country"})
GRAINS: dict[str, str] = {"day": "d", "week": "w", "month": "m"}
ALL_COMPANIES = 0
# A posting's statuses; each key of the pay rollup names one (it leads the key, and naming
# both lets a read seek instead of scanning).
STATUSES = ("open", "closed")
PAY_SIDES = ("n", "p", "lo", "hi")  # postings, with pay, annual min USD, annual max USD
CELL_BATCH = 40  # days of one company recomputed per statement
CLOSING_BATCH = 500  # closed postings read per statement
_STATE = "talentflow.rollups"


# -- marking what changed --------------------------------------------------------------------


@dataclass
class _Dirty:
    cells: dict[int, set[date]]  # company id → UTC days
    companies: set[int]  # open postings' pay figures
    closed: set[int]  # of those, closed postings' too (one reopened, or changed while closed)
    # Postings that closed, by company: their pay is added to the closed figures as it stands,
    # rather than recounting every closed posting of a long history.
    closing: dict[int, set[int]]


def _dirty(session: Session) -> _Dirty:
    state = session.info.get(_STATE)
    if state is None:
        state = session.info[_STATE] = _Dirty(defaultdict(set), set(), set(), defaultdict(set))
        _listen(session)
    assert isinstance(state, _Dirty)
    return state


def _listen(session: Session) -> None:
    from sqlalchemy import event

    if session.info.get(f"{_STATE}.listening"):
        return
    session.info[f"{_STATE}.listening"] = True
    event.listen(session, "before_commit", refresh)
    event.listen(session, "after_rollback", _forget)


def _forget(session: Session) -> None:
    session.info.pop(_STATE, None)


def touch(
    session: Session, company_id: int, *moments: datetime | None, closed: bool = False
) -> None:
    """Mark a company's postings at these moments (first seen, closed, reopened) as changed,
    and its closed postings too when one closed, reopened or changed while closed. The rollups
    catch up before the session commits."""
    state = _dirty(session)
    days = state.cells[company_id]
    for moment in moments:
        if moment is not None:
            days.add(_utc_day(moment))
    state.companies.add(company_id)
    if closed:
        state.closed.add(company_id)


def touch_closing(session: Session, posting: Posting) -> None:
    """An open posting closed, with its labels and pay as they were: its closing day counts
    again, and it moves from the open pay figures to the closed ones."""
    assert posting.id is not None and posting.closed_at is not None
    touch(session, posting.company_id, posting.closed_at)
    _dirty(session).closing[posting.company_id].add(posting.id)


def touch_posting(session: Session, posting: Posting) -> None:
    """A posting's labels, pay or status changed: its first sight and its closing count again."""
    touch(
        session,
        posting.company_id,
        posting.first_seen_at,
        posting.closed_at,
        closed=posting.closed_at is not None,
    )


def _utc_day(moment: datetime) -> date:
    return (moment if moment.tzinfo is None else moment.astimezone(UTC)).date()


def pending(session: Session) -> bool:
    state = session.info.get(_STATE)
    return isinstance(state, _Dirty) and bool(state.cells or state.companies)


def refresh(session: Session) -> None:
    """Bring the rollups up to date with the postings changed in this session (idempotent)."""
    if not pending(session):
        return
    state = session.info.pop(_STATE)
    session.flush()
    dialect = session.get_bind().dialect.name
    conn = session.connection()
    for company_id in sorted(state.cells):
        days = sorted(state.cells[company_id])
        for start in range(0, len(days), CELL_BATCH):
            _refresh_cells(conn, dialect, company_id, days[start : start + CELL_BATCH])
    for company_id in sorted(state.companies):
        if company_id in state.closed:  # a recount covers the postings that closed too
            _refresh_pay(conn, dialect, company_id, STATUSES)
        else:
            closing = sorted(state.closing.get(company_id, ()))
            _refresh_pay(conn, dialect, company_id, ("open",), closing)


# -- what the postings say -------------------------------------------------------------------


def dim_key(dialect: str, dim: str) -> GroupKey:
    """A posting's key under a dimension, as the raw queries group it (company: ``""``)."""
    if dim == "company":
        return GroupKey(cast(literal(""), String))
    return group_key(dialect, dim)


def _from_postings(gk: GroupKey, *columns: Any) -> Any:
    stmt = select(gk.key.label("key"), *columns).select_from(Posting)
    if gk.source is not None:
        stmt = stmt.join(gk.source, literal(True))
    return stmt


def _repost() -> ColumnElement[bool]:
    return col(Posting.repost_of).is_not(None)


def _has_pay() -> ColumnElement[bool]:
    return and_(col(Posting.pay_currency).is_not(None), col(Posting.pay_period).is_not(None))


def trend_contributions(
    dialect: str, where: Callable[[Any], ColumnElement[bool]], *more: Any
) -> Any:
    """``(company_id, day, dim, key, repost, opened, closed)``: per company, UTC day, dimension,
    key and repost flag, the postings first seen and closed that day, among the postings that
    ``where(column)`` admits (called with each timestamp column in turn)."""
    parts = []
    for dim in DIMS:
        gk = dim_key(dialect, dim)
        for kind, column in (
            ("opened", col(Posting.first_seen_at)),
            ("closed", col(Posting.closed_at)),
        ):
            rows = (
                _from_postings(
                    gk,
                    col(Posting.company_id).label("company_id"),
                    day_of(dialect, column).label("day"),
                    _repost().label("repost"),
                    col(Posting.id).label("posting_id"),
                )
                .where(column.is_not(None), where(column))
                .subquery()
            )
            count = func.count(func.distinct(rows.c.posting_id))
            zero = literal(0)
            parts.append(
                select(
                    rows.c.company_id,
                    rows.c.day,
                    literal(dim).label("dim"),
                    rows.c.key,
                    rows.c.repost,
                    (count if kind == "opened" else zero).label("opened"),
                    (count if kind == "closed" else zero).label("closed"),
                ).group_by(rows.c.company_id, rows.c.day, rows.c.key, rows.c.repost)
            )
    return union_all(*parts, *more)  # ``more``: further rows of the same shape


def pay_contributions(dialect: str, where: ColumnElement[bool], *more: Any) -> Any:
    """``(company_id, status, dim, key, side, value, repost, n)``: per company, status,
    dimension, key and repost flag, the postings among those ``where`` admits (side n), those
    with pay (p), and how many have each annual USD minimum (lo) and maximum (hi).

    Each dimension's postings are read once, grouped by key and pay figures, and the four
    sides are summed from those groups: a posting is in one group per key, so the groups'
    counts add up to its key's postings."""
    parts = []
    for dim in DIMS:
        gk = dim_key(dialect, dim)
        rows = (
            _from_postings(
                gk,
                col(Posting.company_id).label("company_id"),
                col(Posting.status).label("status"),
                _repost().label("repost"),
                col(Posting.id).label("posting_id"),
                case((_has_pay(), 1), else_=0).label("paid"),
                col(Posting.pay_annual_min_usd).label("lo"),
                col(Posting.pay_annual_max_usd).label("hi"),
            )
            .where(where)
            .subquery()
        )
        shape = (rows.c.company_id, rows.c.status, rows.c.key, rows.c.repost)
        figures = (rows.c.paid, rows.c.lo, rows.c.hi)
        groups = (
            select(*shape, *figures, func.count(func.distinct(rows.c.posting_id)).label("n"))
            .group_by(*shape, *figures)
            .cte(f"pay_{dim}")
            # read by four selects: computed once, not once each
            .prefix_with("MATERIALIZED")
        )
        group = (groups.c.company_id, groups.c.status, groups.c.key, groups.c.repost)
        for side, value, only in (
            ("n", None, None),
            ("p", None, groups.c.paid == 1),
            ("lo", groups.c.lo, and_(groups.c.paid == 1, groups.c.lo.is_not(None))),
            ("hi", groups.c.hi, and_(groups.c.paid == 1, groups.c.hi.is_not(None))),
        ):
            figure = cast(literal(0.0) if value is None else value, Float)
            stmt = select(
                groups.c.company_id,
                groups.c.status,
                literal(dim).label("dim"),
                groups.c.key,
                literal(side).label("side"),
                figure.label("value"),
                groups.c.repost,
                cast(func.sum(groups.c.n), Integer).label("n"),
            )
            if only is not None:
                stmt = stmt.where(only)
            parts.append(stmt.group_by(*group, *(() if value is None else (value,))))
    return union_all(*parts, *more)  # ``more``: further rows of the same shape


def _shown(dim: str, key: str | None) -> bool:
    """Rows the queries can show (they drop missing and empty keys; the company dimension's
    key is always empty: the company is the key)."""
    return key is not None and (key != "" or dim == "company")


def _shown_sql(rows: Any) -> ColumnElement[bool]:
    """:func:`_shown` over a subquery's ``dim`` and ``key`` columns."""
    return and_(rows.c.key.is_not(None), or_(rows.c.key != "", rows.c.dim == "company"))


# -- keeping them in step --------------------------------------------------------------------

TREND_KEY = ("grain", "dim", "key", "company_id", "period", "repost")
TREND_COLUMNS = [*TREND_KEY, "opened", "closed"]
PAY_KEY = ("status", "dim", "key", "company_id", "side", "value", "repost")
PAY_COLUMNS = [*PAY_KEY, "n"]


def _add(
    conn: Connection, table: Any, keys: Sequence[str], counts: Sequence[str], rows: list[Any]
) -> None:
    """Add ``rows``' counts to the rows with the same key (inserting missing ones), in key
    order: concurrent writers lock rows in the same order and never deadlock."""
    rows.sort(key=lambda r: tuple(r[k] for k in keys))
    insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    stmt = insert(table)
    stmt = stmt.on_conflict_do_update(
        index_elements=[table.c[k] for k in keys],
        set_={c: table.c[c] + stmt.excluded[c] for c in counts},
    )
    conn.execute(stmt, rows)


def _owners(company_id: int, dim: str) -> tuple[int, ...]:
    # The company dimension has no every-company rows: its key is the company.
    return (company_id,) if dim == "company" else (company_id, ALL_COMPANIES)


@cache
def _cells_statement(dialect: str, days: int) -> Any:
    """The recount of one company's ``days`` days against what the rollup holds for them,
    with the company and days as parameters: built once, since building it costs more than
    running it."""
    table = PostingRollup.__table__  # type: ignore[attr-defined]
    company: BindParameter[int] = bindparam("company_id")
    held = select(
        table.c.company_id,
        table.c.period,
        table.c.dim,
        table.c.key,
        table.c.repost,
        -table.c.opened,
        -table.c.closed,
    ).where(
        table.c.grain == "d",
        table.c.company_id == company,
        table.c.period.in_(bindparam("periods", expanding=True)),
    )

    def within(column: Any) -> ColumnElement[bool]:
        spans = (
            and_(column >= bindparam(f"from{i}"), column < bindparam(f"until{i}"))
            for i in range(days)
        )
        return and_(col(Posting.company_id) == company, or_(*spans))

    # Both sides in one statement: one snapshot, so a concurrent commit is never half seen.
    both = trend_contributions(dialect, within, held).subquery()
    return select(
        both.c.day,
        both.c.dim,
        both.c.key,
        both.c.repost,
        func.sum(both.c.opened).label("opened"),
        func.sum(both.c.closed).label("closed"),
    ).group_by(both.c.day, both.c.dim, both.c.key, both.c.repost)


def _refresh_cells(conn: Connection, dialect: str, company_id: int, days: Sequence[date]) -> None:
    """Recount one company's days and add the differences to its rows and every company's."""
    table = PostingRollup.__table__  # type: ignore[attr-defined]
    stmt = _cells_statement(dialect, len(days))
    params: dict[str, Any] = {"company_id": company_id, "periods": list(days)}
    for i, day in enumerate(days):
        params[f"from{i}"] = day_start(day)
        params[f"until{i}"] = day_start(day + timedelta(days=1))
    rows: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in conn.execute(stmt, params):
        if not (row.opened or row.closed) or not _shown(row.dim, row.key):
            continue
        day = row.day if isinstance(row.day, date) else date.fromisoformat(str(row.day))
        for interval, grain in GRAINS.items():
            for owner in _owners(company_id, row.dim):
                pk = (grain, row.dim, row.key, owner, bucket_start(day, interval), bool(row.repost))
                target = rows.setdefault(
                    pk, {**dict(zip(TREND_KEY, pk, strict=True)), "opened": 0, "closed": 0}
                )
                target["opened"] += int(row.opened)
                target["closed"] += int(row.closed)
    changed = [r for r in rows.values() if r["opened"] or r["closed"]]
    if not changed:
        return
    _add(conn, table, TREND_KEY, ("opened", "closed"), changed)
    conn.execute(
        delete(table).where(
            table.c.company_id.in_((company_id, ALL_COMPANIES)),
            table.c.period.in_(sorted({r["period"] for r in changed})),
            table.c.opened == 0,
            table.c.closed == 0,
        )
    )


@cache
def _pay_statement(dialect: str, statuses: tuple[str, ...]) -> Any:
    """One company's pay of postings of these statuses recounted against the rollup (built
    once). Closed postings are most of a long history and change only when one closes,
    reopens or is edited, so ingest recounts them only then."""
    table = PayRollup.__table__  # type: ignore[attr-defined]
    company: BindParameter[int] = bindparam("company_id")
    shape = ("company_id", "status", "dim", "key", "side", "value", "repost")
    held = select(*(table.c[k] for k in shape), -table.c.n).where(
        table.c.status.in_(statuses), table.c.dim.in_(DIMS), table.c.company_id == company
    )
    mine = and_(col(Posting.company_id) == company, col(Posting.status).in_(statuses))
    both = pay_contributions(dialect, mine, held).subquery()
    group = (both.c.status, both.c.dim, both.c.key, both.c.side, both.c.value, both.c.repost)
    return select(*group, func.sum(both.c.n).label("n")).group_by(*group)


@cache
def _closing_statement(dialect: str) -> Any:
    """The pay of some of one company's postings that are closed now (built once)."""
    ids: BindParameter[list[int]] = bindparam("ids", expanding=True)
    closed = and_(
        col(Posting.company_id) == bindparam("company_id"),
        col(Posting.id).in_(ids),
        col(Posting.status) == "closed",
    )
    return pay_contributions(dialect, closed)


def _refresh_pay(
    conn: Connection,
    dialect: str,
    company_id: int,
    statuses: tuple[str, ...] = STATUSES,
    closing: Sequence[int] = (),
) -> None:
    """Recount one company's postings' pay (of these statuses) and add the differences as for
    the cells; add the pay of the postings in ``closing``, which closed since the last count,
    to the closed figures."""
    table = PayRollup.__table__  # type: ignore[attr-defined]
    found = list(conn.execute(_pay_statement(dialect, statuses), {"company_id": company_id}))
    for start in range(0, len(closing), CLOSING_BATCH):
        found += conn.execute(
            _closing_statement(dialect),
            {"company_id": company_id, "ids": list(closing[start : start + CLOSING_BATCH])},
        )
    rows = [
        {
            "status": row.status,
            "dim": row.dim,
            "key": row.key,
            "company_id": owner,
            "side": row.side,
            "value": float(row.value),
            "repost": bool(row.repost),
            "n": int(row.n),
        }
        for row in found
        if row.n and _shown(row.dim, row.key)
        for owner in _owners(company_id, row.dim)
    ]
    if not rows:
        return
    _add(conn, table, PAY_KEY, ("n",), _merged(rows))
    conn.execute(
        delete(table).where(
            table.c.status.in_(statuses),
            table.c.dim.in_(DIMS),
            table.c.company_id.in_((company_id, ALL_COMPANIES)),
            table.c.n == 0,
        )
    )
    summarise_pay(conn, [company_id])


def _merged(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of one key summed into one: an upsert may not touch a row twice."""
    out: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in rows:
        key = tuple(row[k] for k in PAY_KEY)
        if key in out:
            out[key]["n"] += row["n"]
        else:
            out[key] = dict(row)
    return list(out.values())


def summarise_pay(conn: Connection, company_ids: Sequence[int] | None = None) -> None:
    """Rewrite the companies' (or every company's) ``CompanyPay`` rows from their pay rows:
    open, closed, and both together."""
    pay = PayRollup.__table__  # type: ignore[attr-defined]
    summary = CompanyPay.__table__  # type: ignore[attr-defined]
    mine = [pay.c.status.in_(STATUSES), pay.c.dim == "company", pay.c.key == ""]
    if company_ids is not None:
        mine.append(pay.c.company_id.in_(list(company_ids)))
        conn.execute(delete(summary).where(summary.c.company_id.in_(list(company_ids))))
    else:
        conn.execute(delete(summary))
    stmt = (
        select(pay.c.company_id, pay.c.status, pay.c.side, pay.c.value, pay.c.repost, pay.c.n)
        .where(*mine)
        .order_by(pay.c.company_id)
    )
    rows = []
    for company_id, figures in itertools.groupby(conn.execute(stmt), key=lambda r: r[0]):
        listed = list(figures)
        for status in (*STATUSES, "all"):
            of_status = [r for r in listed if status in ("all", r.status)]
            for no_reposts in (False, True):
                kept = [r for r in of_status if not (no_reposts and r.repost)]
                rows.append(_summary(company_id, status, no_reposts, kept))
    rows = [r for r in rows if r["postings"]]
    if rows:
        conn.execute(insert(summary), rows)


def _summary(company_id: int, status: str, no_reposts: bool, rows: Sequence[Any]) -> dict[str, Any]:
    counts: dict[str, int] = defaultdict(int)
    sides: dict[str, dict[float, int]] = {"lo": {}, "hi": {}}
    for row in rows:
        if row.side in sides:
            values = sides[row.side]
            values[row.value] = values.get(row.value, 0) + row.n
        else:
            counts[row.side] += row.n
    out: dict[str, Any] = {
        "company_id": company_id,
        "status": status,
        "no_reposts": no_reposts,
        "postings": counts["n"],
        "with_pay": counts["p"],
    }
    for side, name in (("lo", "min"), ("hi", "max")):
        ordered = sorted(sides[side].items())
        quartiles = multiset_percentiles([v for v, _ in ordered], [n for _, n in ordered])
        out.update({f"{name}_{q}": value for q, value in quartiles.items()})
    return out


# -- rebuilding them from scratch ------------------------------------------------------------


def rebuild(conn: Connection) -> None:
    """Recompute both rollups from the postings, in the caller's transaction."""
    rebuild_trends(conn)
    rebuild_pay(conn)


def rebuild_trends(conn: Connection) -> None:
    """Recompute the trend rollup from the postings, in the caller's transaction."""
    dialect = conn.dialect.name
    trend = PostingRollup.__table__  # type: ignore[attr-defined]
    conn.execute(delete(trend))
    # Each company's days, from every posting.
    days = trend_contributions(dialect, lambda _column: literal(True)).subquery()
    group = (days.c.dim, days.c.key, days.c.company_id, days.c.day, days.c.repost)
    per_day = (
        select(literal("d"), *group, func.sum(days.c.opened), func.sum(days.c.closed))
        .where(_shown_sql(days))
        .group_by(*group)
    )
    conn.execute(trend.insert().from_select(TREND_COLUMNS, per_day))
    # Every company's days; then the weeks and months of both, summed from the days.
    group = (trend.c.grain, trend.c.dim, trend.c.key, trend.c.period, trend.c.repost)
    everyone = (
        select(
            trend.c.grain,
            trend.c.dim,
            trend.c.key,
            literal(ALL_COMPANIES),
            trend.c.period,
            trend.c.repost,
            func.sum(trend.c.opened),
            func.sum(trend.c.closed),
        )
        .where(trend.c.grain == "d", trend.c.dim != "company")
        .group_by(*group)
    )
    conn.execute(trend.insert().from_select(TREND_COLUMNS, everyone))
    for interval, grain in (("week", "w"), ("month", "m")):
        period: Any = bucket_label(dialect, trend.c.period, interval)
        if dialect == "postgresql":  # a date's bucket, as a date (no time zone involved)
            period = cast(func.date_trunc(interval, cast(trend.c.period, DateTime)), Date)
        rows = (
            select(
                trend.c.dim,
                trend.c.key,
                trend.c.company_id,
                period.label("period"),
                trend.c.repost,
                trend.c.opened,
                trend.c.closed,
            )
            .where(trend.c.grain == "d")
            .subquery()
        )
        group = (rows.c.dim, rows.c.key, rows.c.company_id, rows.c.period, rows.c.repost)
        coarser = select(
            literal(grain), *group, func.sum(rows.c.opened), func.sum(rows.c.closed)
        ).group_by(*group)
        conn.execute(trend.insert().from_select(TREND_COLUMNS, coarser))


def rebuild_pay(conn: Connection) -> None:
    """Recompute the pay rollup and its per-company summary, in the caller's transaction:
    each company's postings' pay, then summed over every company."""
    pay = PayRollup.__table__  # type: ignore[attr-defined]
    conn.execute(delete(pay))
    figures = pay_contributions(conn.dialect.name, literal(True)).subquery()
    conn.execute(
        pay.insert().from_select(
            PAY_COLUMNS,
            select(*(figures.c[k] for k in PAY_KEY), figures.c.n).where(_shown_sql(figures)),
        )
    )
    group = (pay.c.status, pay.c.dim, pay.c.key, pay.c.side, pay.c.value, pay.c.repost)
    conn.execute(
        pay.insert().from_select(
            PAY_COLUMNS,
            select(
                pay.c.status,
                pay.c.dim,
                pay.c.key,
                literal(ALL_COMPANIES),
                pay.c.side,
                pay.c.value,
                pay.c.repost,
                func.sum(pay.c.n),
            )
            .where(pay.c.dim != "company")
            .group_by(*group),
        )
    )
    summarise_pay(conn)


# -- which requests they answer --------------------------------------------------------------


@dataclass(frozen=True)
class Slice:
    """The rows that answer a request: one dimension (some of its keys, if given), grouped by
    company or by key, over some companies or every one."""

    dim: str
    by_company: bool  # grouped by company (else by the dimension's key)
    keys: tuple[str, ...] = ()
    companies: tuple[str, ...] = ()
    no_reposts: bool = False

    @property
    def per_company(self) -> bool:
        """Read per-company rows (else the rows summed over every company)."""
        return self.by_company or bool(self.companies)


def slice_for(flt: PostingFilter, group: str) -> Slice | None:
    """The rollup slice answering ``group`` under ``flt`` (its status aside), or None when the
    filters need the postings themselves."""
    if flt.q or flt.min_annual_pay is not None or flt.since is not None or flt.extra:
        return None
    if group not in DIMS:
        return None
    labels = [
        (dim, tuple(dict.fromkeys(values)))
        for dim, values in (
            ("topic", tuple(flt.topics)),
            ("function", tuple(flt.functions)),
            ("seniority", tuple(flt.seniorities)),
            ("workplace", (flt.workplace,) if flt.workplace else ()),
        )
        if values
    ]
    by_company = group == "company"
    common = {"companies": tuple(flt.companies), "no_reposts": flt.exclude_reposts}
    if not labels:
        return Slice(group, by_company, **common)  # type: ignore[arg-type]
    if len(labels) > 1:
        return None
    dim, keys = labels[0]
    if dim in MULTI_VALUED and len(keys) > 1:
        return None  # "any of several topics" counts a posting once, not once per topic
    if dim in COALESCED and UNKNOWN in keys:
        return None  # a filter value "unknown" is not the NULLs the key shows as "unknown"
    if by_company or (group == dim and dim not in MULTI_VALUED):
        return Slice(dim, by_company, keys, **common)  # type: ignore[arg-type]
    return None


def slice_conditions(sl: Slice, table: Any) -> list[ColumnElement[bool]]:
    """WHERE clauses on a rollup table for a slice (``Company`` joined by :func:`joined`)."""
    conds: list[ColumnElement[bool]] = [table.c.dim == sl.dim]
    if sl.keys:
        conds.append(table.c.key.in_(list(sl.keys)))
    elif sl.dim == "company":
        # The company dimension's one key: said, so that SQLite reads the rows in primary key
        # order (grain, dim, key, company, …), opened and closed counts in place, rather than
        # through the secondary index with a primary key lookup per row.
        conds.append(table.c.key == "")
    if sl.per_company:
        conds.append(table.c.company_id != ALL_COMPANIES)
    else:
        conds.append(table.c.company_id == ALL_COMPANIES)
    if sl.companies:
        conds.append(company_condition(sl.companies))
    if sl.no_reposts:
        conds.append(table.c.repost == false())
    return conds


def joined(sl: Slice, table: Any, stmt: Any) -> Any:
    """``stmt`` over ``table`` with the company joined where the slice needs its name."""
    if sl.per_company:
        return stmt.join(Company, col(Company.id) == table.c.company_id)
    return stmt


def key_column(sl: Slice, table: Any) -> Any:
    """What the rows are grouped under: the company's name or the dimension's key."""
    return Company.name if sl.by_company else table.c.key
