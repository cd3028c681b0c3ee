"""The closed vocabularies of the contract, declared once (API parameters, models, store).

``StrEnum`` members are plain strings, so they compare, store and serialise as their values.
The scrapers keep their own ``Literal`` aliases; a test checks both spell the same values.
"""

from __future__ import annotations

from enum import StrEnum


class Workplace(StrEnum):
    onsite = "onsite"
    hybrid = "hybrid"
    remote = "remote"


class EmploymentType(StrEnum):
    full_time = "full_time"
    part_time = "part_time"
    contract = "contract"
    intern = "intern"
    temporary = "temporary"


class PayPeriod(StrEnum):
    hour = "hour"
    day = "day"
    week = "week"
    month = "month"
    year = "year"


class PaySource(StrEnum):
    structured = "structured"
    text = "text"


class StatusFilter(StrEnum):
    """Which postings a list shows."""

    open = "open"
    closed = "closed"
    all = "all"


class Metric(StrEnum):
    open = "open"
    new = "new"
    closed = "closed"


class Group(StrEnum):
    company = "company"
    topic = "topic"
    team = "team"
    function = "function"
    seniority = "seniority"
    workplace = "workplace"
    country = "country"


class Interval(StrEnum):
    day = "day"
    week = "week"
    month = "month"


class EventType(StrEnum):
    posting_opened = "posting.opened"
    posting_closed = "posting.closed"
    posting_pay_changed = "posting.pay_changed"
    hire_announced = "hire.announced"


class RunOutcome(StrEnum):
    ok = "ok"
    unchanged = "unchanged"
    partial = "partial"
    failed = "failed"
    # Turned away: another run of the board was in progress. Never a success or a failure.
    skipped = "skipped"


class WebhookFormat(StrEnum):
    standard = "standard"
    slack = "slack"
