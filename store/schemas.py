"""The typed outside contract: what the API returns, what events carry, what exports write.

Field order is the JSON key order. Amounts are ``Number`` (an ``int`` stays an ``int``), so whole
figures serialise as ``180000``, never ``180000.0``.
"""

from __future__ import annotations

from typing import Annotated, Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from scrapers.models import Pay
from scrapers.pay import AnnualPay
from store.models import Posting
from store.pay_columns import stored_pay

Number = int | float
T = TypeVar("T")
# An instant as ISO 8601 UTC with a ``Z`` ("2026-11-02T08:00:00Z"); exports keep it a timestamp.
Timestamp = Annotated[str | None, Field(json_schema_extra={"format": "date-time"})]


class PayOut(BaseModel):
    """A published pay band, its annualised figures and their USD conversion."""

    min: Number | None
    max: Number | None
    currency: str
    period: str = Field(description="hour, day, week, month or year")
    annual_min: Number | None
    annual_max: Number | None
    annual_min_usd: Number | None
    annual_max_usd: Number | None
    source: str | None = Field(description="structured (the board's fields) or text")


def whole(value: float | None) -> Number | None:
    """Whole amounts as integers (180000, not 180000.0), others as they are."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def pay_out(pay: Pay, annual: AnnualPay) -> PayOut:
    return PayOut(
        min=whole(pay.min),
        max=whole(pay.max),
        currency=pay.currency,
        period=pay.period,
        annual_min=whole(annual.annual_min),
        annual_max=whole(annual.annual_max),
        annual_min_usd=whole(annual.annual_min_usd),
        annual_max_usd=whole(annual.annual_max_usd),
        source=pay.source,
    )


def posting_pay(posting: Posting) -> PayOut | None:
    """The band stored on a posting (the only place a ``PayOut`` is built from columns)."""
    stored = stored_pay(posting)
    return None if stored is None else pay_out(*stored)


class PostingOut(BaseModel):
    """A posting (the contract's "A posting"). Its fields are read from the ``Posting`` row of
    the same name (``store.serialize``) and are the export's columns (``store.exports``), so a
    new posting field is declared here once."""

    id: int
    company: str
    ats: str
    external_id: str
    title: str
    team: str | None
    department: str | None
    locations: list[str]
    workplace: str | None = Field(description="onsite, hybrid, remote or null (unknown)")
    employment_type: str | None
    pay: PayOut | None = Field(description="null when no pay is published")
    topics: list[str]
    function: str | None
    seniority: str | None
    url: str | None
    posted_at: Timestamp
    first_seen_at: Timestamp
    last_seen_at: Timestamp
    closed_at: Timestamp
    status: str
    repost_of: int | None = Field(description="the closed posting this one republishes")


class HistoryEntry(BaseModel):
    at: str | None
    field: str
    old: Any
    new: Any


class PostingDetailOut(PostingOut):
    description: str | None
    reposted_as: list[int]
    history: list[HistoryEntry]


class SearchHitOut(PostingOut):
    score: float


class Page(BaseModel, Generic[T]):
    """A list: pass ``next_cursor`` as ``cursor=`` to continue (null at the end)."""

    items: list[T]
    next_cursor: str | None


class PostingPage(Page[PostingOut]):
    pass


class SearchPage(Page[SearchHitOut]):
    pass


class CompanyBoardOut(BaseModel):
    ats: str
    token: str | None
    url: str | None
    key: str
    last_run_at: str | None
    last_ok_at: str | None


class CompanyOut(BaseModel):
    name: str
    open_roles: int
    boards: list[CompanyBoardOut]


class CompanyPage(Page[CompanyOut]):
    pass


class RunCountsOut(BaseModel):
    seen: int
    new: int
    changed: int
    closed: int
    reopened: int
    missing: int


class RunOut(BaseModel):
    id: int
    board: str
    company: str
    ats: str
    started_at: str | None
    finished_at: str | None
    outcome: str = Field(
        description="ok, unchanged, partial, failed, or skipped: turned away because another "
        "run of the board was in progress (it read nothing and counts for nothing)"
    )
    suspicious: bool
    details_pending: int = Field(
        default=0,
        description="open postings of the board stored from their listing whose detail is "
        "still to be read (retried on later runs)",
    )
    counts: RunCountsOut
    error: str | None


class RunPage(Page[RunOut]):
    pass


class HireOut(BaseModel):
    id: int
    person: str
    from_company: str | None
    to_company: str
    role: str | None
    announced_at: str | None
    source_url: str | None
    source_title: str | None
    evidence: str
    confidence: float
    origin: str
    reports: int


class HirePage(Page[HireOut]):
    pass


class HireCreatedOut(HireOut):
    created: bool = Field(description="false when the move was already known")


class FlowEdge(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    from_: str = Field(alias="from", serialization_alias="from")
    to: str
    count: int


class FlowsOut(BaseModel):
    edges: list[FlowEdge]


class TalentHire(BaseModel):
    hire: HireOut
    open_roles: list[PostingOut]


class TalentOut(BaseModel):
    company: str
    hires: list[TalentHire]
    open_roles: int


class TrendPoint(BaseModel):
    t: str = Field(description="the first day of the bucket, YYYY-MM-DD")
    value: int


class TrendSeries(BaseModel):
    key: str
    points: list[TrendPoint]


class TrendsOut(BaseModel):
    metric: str
    group: str
    interval: str
    series: list[TrendSeries]


class QuartilesOut(BaseModel):
    p25: Number | None
    median: Number | None
    p75: Number | None


class PayGroupOut(BaseModel):
    key: str
    postings: int
    with_pay: int
    transparency: Number
    annual_min_usd: QuartilesOut
    annual_max_usd: QuartilesOut


class PayStatsOut(BaseModel):
    group: str
    items: list[PayGroupOut]


class HealthOut(BaseModel):
    status: str
    version: str
    database: str
    demo: bool | None = Field(default=None, description="present (true) for the bundled sample")
    rates_date: str | None
    rates_error: str | None = Field(default=None, description="present when rates are broken")


class RatesOut(BaseModel):
    date: str
    base: str
    per_usd: dict[str, Number] = Field(description="units of each currency per USD")


class SubscriptionFilterOut(BaseModel):
    companies: list[str] | None = None
    topics: list[str] | None = None
    q: str | None = None
    min_annual_pay: Number | None = None
    workplace: str | None = None


class SubscriptionOut(BaseModel):
    id: int
    url: str
    events: list[str]
    filter: SubscriptionFilterOut
    format: str
    status: str
    created_at: str | None
    disabled_at: str | None
    disabled_reason: str | None
    failing_since: str | None


class SubscriptionPage(Page[SubscriptionOut]):
    pass


class SubscriptionCreatedOut(SubscriptionOut):
    secret: str = Field(description="signs every delivery; shown only here")


class AttemptOut(BaseModel):
    at: str | None
    status_code: int | None
    latency_ms: Number | None
    error: str | None


class DeliveryOut(BaseModel):
    id: int
    event_id: int
    webhook_id: str
    status: str
    created_at: str | None
    next_attempt_at: str | None
    finished_at: str | None
    attempts: list[AttemptOut]


class DeliveryPage(Page[DeliveryOut]):
    pass


class ReplayOut(BaseModel):
    replayed: int


class CandidateOut(BaseModel):
    rank: int
    ats: str
    token: str | None
    url: str | None
    api_base: str | None
    postings: int | None
    confidence: Number
    status: str
    via: str
    evidence: str
    add_command: str


class DiscoveryOut(BaseModel):
    company: str
    query: str | None
    url: str | None
    found: bool
    tried: int
    pages: list[str]
    notes: list[str]
    candidates: list[CandidateOut]
    add_command: str | None


class PayChangedData(BaseModel):
    """The body of a ``posting.pay_changed`` event."""

    posting: PostingOut
    previous_pay: PayOut | None = Field(description="the band before the change, full shape")


class ErrorOut(BaseModel):
    """Every error answer but 422: what went wrong, in a sentence."""

    detail: str


class ValidationIssue(BaseModel):
    """One refused parameter or body field, as FastAPI reports it."""

    loc: list[str | int] = Field(description='where: e.g. ["query", "since"], ["body", "url"]')
    msg: str
    type: str
    input: Any = Field(default=None, description="the value refused (absent for a whole part)")
    ctx: dict[str, Any] | None = Field(default=None, description="the limit it broke, if any")


class ValidationErrorOut(BaseModel):
    """A 422: every refused parameter or field, each with its place and the reason."""

    detail: list[ValidationIssue]
