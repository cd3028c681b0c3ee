"""The typed shape of one company's view (``GET /api/companies/{name}``)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from store.schemas import HireOut, PayOut, RunCountsOut

# The pay band of a posting, as everywhere else in the contract.
PostingPay = PayOut


class Week(BaseModel):
    week: str = Field(description="the Monday starting the week, YYYY-MM-DD (UTC)")
    open: int = Field(description="roles open at the end of the week")
    new: int = Field(description="roles first seen in the week")
    closed: int = Field(description="roles closed in the week")


class Area(BaseModel):
    key: str = Field(description='a team ("unknown" when the board gives none) or a topic')
    open_roles: int
    new_recent: int = Field(description="roles first seen in the last 28 days")


class Quartiles(BaseModel):
    p25: float | None
    median: float | None
    p75: float | None


class PayBand(BaseModel):
    function: str = Field(description="the role family (the postings' `function`)")
    postings: int
    with_pay: int
    transparency: float
    annual_min_usd: Quartiles
    annual_max_usd: Quartiles


class RoleBase(BaseModel):
    """What every list of roles in the view says of a role."""

    id: int
    title: str
    team: str | None
    function: str | None
    seniority: str | None
    url: str | None
    status: str
    first_seen_at: str


class LatestRole(RoleBase):
    locations: list[str]
    workplace: str | None
    pay: PostingPay | None


class AgedRole(RoleBase):
    opened_at: str = Field(description="the board's posting date when earlier than first seen")
    age_days: int


class AgeBucket(BaseModel):
    label: str
    min_days: int
    max_days: int | None
    count: int


class OpenPostings(BaseModel):
    total: int
    buckets: list[AgeBucket]
    items: list[AgedRole] = Field(description="the oldest open roles first (at most 200)")


class StaleRoles(BaseModel):
    count: int
    days: int
    items: list[AgedRole]


class BoardHealth(BaseModel):
    key: str
    ats: str
    token: str | None
    url: str | None
    last_run_at: str | None
    last_ok_at: str | None
    last_outcome: str | None
    last_error: str | None
    state: Literal["ok", "failing", "never run"]
    failure_streak: int = Field(description="failed or partial runs since the last success")
    failing_since: str | None


class RoleLink(BaseModel):
    id: int
    title: str
    team: str | None
    url: str | None


class HireIn(BaseModel):
    hire: HireOut
    open_roles: list[RoleLink] = Field(description="open roles sharing a team or topic word")


class Hires(BaseModel):
    into: list[HireIn] = Field(alias="in", serialization_alias="in")
    out: list[HireOut]


class CompanyView(BaseModel):
    name: str
    as_of: str
    open_roles: int
    closed_roles: int
    weekly: list[Week]
    teams: list[Area]
    topics: list[Area]
    pay_by_function: list[PayBand]
    latest_roles: list[LatestRole]
    open_postings: OpenPostings
    open_over_90_days: StaleRoles
    reposted_90_days: int = Field(
        description="postings first seen in the last 90 days that republish a role closed shortly "
        "before (see `repost_of`)"
    )
    boards: list[BoardHealth]
    hires: Hires


def company_model(view: dict[str, Any]) -> CompanyView:
    return CompanyView.model_validate(view)


class Advice(BaseModel):
    kind: Literal["not_found", "refused", "unavailable", "format", "internal", "other"]
    summary: str
    action: str
    command: str | None


class BoardRun(BaseModel):
    id: int
    started_at: str
    finished_at: str | None
    outcome: str = Field(description="ok, unchanged, partial, failed or skipped")
    suspicious: bool
    error: str | None
    error_kind: str | None
    counts: RunCountsOut


class BoardFailures(BaseModel):
    key: str
    company: str
    ats: str
    token: str | None
    url: str | None
    last_run_at: str | None
    last_ok_at: str | None
    state: Literal["ok", "failing", "never run"]
    failure_streak: int = Field(description="failed or partial runs since the last success")
    failing_since: str | None
    failing_days: int | None
    error_kinds: dict[str, int] = Field(description="kinds of the streak's errors, with counts")
    advice: Advice | None = Field(description="what to do; null when the board is not failing")
    runs: list[BoardRun] = Field(description="the latest runs, newest first")
