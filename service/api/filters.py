"""The one FastAPI dependency for posting filters, and its two narrower forms.

``posting_filter`` reads every filter of ``/api/postings``; ``trend_filter`` (trends: every
posting's history, ``since`` bounds the range instead) and ``feed_filter`` (the Atom feed: new
roles whatever their status) drop the parameters that mean something else on their routes.
All three share the parameter declarations below and build the filter in one place.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import HTTPException, Query
from pydantic import WithJsonSchema

from scrapers.enrich.topics import TaxonomyError, taxonomy_at
from service.api.deps import SettingsDep, query_error
from service.api.openapi import TAXONOMY_ENUM
from service.api.params import CleanText, IsoDate, NamedText
from store.filters import PostingFilter
from store.vocab import StatusFilter, Workplace

CompanyParam = Annotated[
    list[CleanText] | None, Query(max_length=200, description="a company's name (repeatable)")
]
QParam = Annotated[
    CleanText | None,
    Query(
        max_length=200,
        description=('full-text search: words (all must match), "a phrase", prefix*'),
    ),
]
TopicParam = Annotated[list[CleanText] | None, Query(max_length=64)]
MinPayParam = Annotated[
    float | None, Query(ge=0, le=1e9, allow_inf_nan=False, description="USD a year")
]
# The slugs of the taxonomy in use are filled in when the OpenAPI document is made.
_FunctionSlug = Annotated[str, WithJsonSchema({"type": "string", TAXONOMY_ENUM: "function"})]
_SenioritySlug = Annotated[str, WithJsonSchema({"type": "string", TAXONOMY_ENUM: "seniority"})]
FunctionParam = Annotated[
    list[_FunctionSlug] | None,
    Query(
        max_length=64,
        description=("a function from the taxonomy, e.g. research, engineering (repeatable)"),
    ),
]
SeniorityParam = Annotated[
    list[_SenioritySlug] | None,
    Query(
        max_length=64,
        description=("a seniority level from the taxonomy, e.g. senior, staff (repeatable)"),
    ),
]
SinceParam = Annotated[IsoDate | None, Query(description="first seen on or after this day")]
RepostsParam = Annotated[
    bool,
    Query(description=("leave out postings that republish a role closed in the previous 30 days")),
]


def _checked(name: str, values: list[str] | None, known: list[str]) -> list[str]:
    """The values, or a 422 naming the unknown ones and what the taxonomy allows."""
    unknown = [v for v in values or [] if v not in known]
    if unknown:
        raise query_error(
            name,
            f"unknown {name} {', '.join(map(repr, unknown))}; expected one of {', '.join(known)}",
            "enum",
        )
    return list(values or [])


def posting_filter(
    settings: SettingsDep,
    company: CompanyParam = None,
    status: StatusFilter = StatusFilter.open,
    q: QParam = None,
    topic: TopicParam = None,
    workplace: Workplace | None = None,
    min_annual_pay: MinPayParam = None,
    since: SinceParam = None,
    function: FunctionParam = None,
    seniority: SeniorityParam = None,
    exclude_reposts: RepostsParam = False,
) -> PostingFilter:
    if function or seniority:
        try:
            taxonomy = taxonomy_at(settings.taxonomy_file)
        except TaxonomyError as exc:
            raise HTTPException(status_code=503, detail=f"taxonomy unavailable: {exc}") from exc
        functions = _checked("function", function, taxonomy.function_slugs)
        seniorities = _checked("seniority", seniority, taxonomy.seniority_slugs)
    else:
        functions = seniorities = []
    return PostingFilter(
        companies=company or [],
        status=status,
        q=q or None,
        topics=topic or [],
        workplace=workplace,
        min_annual_pay=min_annual_pay,
        since=since,
        functions=functions,
        seniorities=seniorities,
        exclude_reposts=exclude_reposts,
    )


def trend_filter(
    settings: SettingsDep,
    company: CompanyParam = None,
    q: QParam = None,
    topic: TopicParam = None,
    workplace: Workplace | None = None,
    min_annual_pay: MinPayParam = None,
    function: FunctionParam = None,
    seniority: SeniorityParam = None,
    exclude_reposts: Annotated[
        bool,
        Query(
            description=("leave out reposts (e.g. for metric=new: count only genuinely new roles)")
        ),
    ] = False,
) -> PostingFilter:
    """The posting filters, without status (a trend covers every posting's history) and without
    ``since``, which on this route bounds the time range."""
    return posting_filter(
        settings,
        company=company,
        status=StatusFilter.all,
        q=q,
        topic=topic,
        workplace=workplace,
        min_annual_pay=min_annual_pay,
        since=None,
        function=function,
        seniority=seniority,
        exclude_reposts=exclude_reposts,
    )


def feed_filter(
    settings: SettingsDep,
    company: CompanyParam = None,
    topic: TopicParam = None,
    q: QParam = None,
    workplace: Workplace | None = None,
    min_annual_pay: MinPayParam = None,
    function: FunctionParam = None,
    seniority: SeniorityParam = None,
) -> PostingFilter:
    """New roles whatever their status now: a reader should still learn of a role that opened
    and closed between two polls."""
    return posting_filter(
        settings,
        company=company,
        status=StatusFilter.all,
        q=q,
        topic=topic,
        workplace=workplace,
        min_annual_pay=min_annual_pay,
        since=None,
        function=function,
        seniority=seniority,
    )


def search_filter(
    settings: SettingsDep,
    q: Annotated[
        NamedText,
        Query(
            max_length=200,
            description='required: words (all must match), "a phrase", prefix*',
        ),
    ],
    company: CompanyParam = None,
    status: StatusFilter = StatusFilter.open,
    topic: TopicParam = None,
    workplace: Workplace | None = None,
    min_annual_pay: MinPayParam = None,
    since: SinceParam = None,
    function: FunctionParam = None,
    seniority: SeniorityParam = None,
    exclude_reposts: RepostsParam = False,
) -> PostingFilter:
    """The posting filters with ``q`` required: a ranked search needs words to rank by."""
    return posting_filter(
        settings,
        company=company,
        status=status,
        q=q,
        topic=topic,
        workplace=workplace,
        min_annual_pay=min_annual_pay,
        since=since,
        function=function,
        seniority=seniority,
        exclude_reposts=exclude_reposts,
    )
