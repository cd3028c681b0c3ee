"""How postings are grouped in analytics, as SQL on SQLite and PostgreSQL: the key of a posting
under each group (company, topic, team, function, seniority, workplace, country), calendar
buckets of timestamps, and the error a request that cannot be answered raises.

Trends, pay statistics and the rollups that answer them all use these expressions, so a figure
read from a rollup is the figure a scan of the postings gives.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Date, String, case, cast, func, literal, select
from sqlalchemy.sql.selectable import TableValuedAlias
from sqlmodel import Session, col

from store.models import Company, Posting
from store.vocab import Group

GROUPS: tuple[str, ...] = tuple(Group)
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


# -- dialect-aware SQL pieces --------------------------------------------------------------


def bucket_start(day: date, interval: str) -> date:
    """The first day of the bucket holding ``day`` (ISO weeks start on Monday)."""
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


def day_of(dialect: str, column: Any) -> ColumnElement[Any]:
    """The UTC calendar day of a timestamp, as a date (text ``YYYY-MM-DD`` on SQLite)."""
    if dialect == "postgresql":
        return cast(func.timezone("UTC", column), Date)
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
