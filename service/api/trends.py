"""Trends over time (`/api/trends`) and pay statistics (`/api/pay`)."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Response

from service.api.deps import SessionDep, query_error
from service.api.errors import errors
from service.api.filters import posting_filter, trend_filter
from service.api.params import IsoDate
from store.queries import PostingFilter
from store.schemas import PayStatsOut, TrendsOut
from store.trends import TrendError, pay_stats, trend
from store.vocab import Group, Interval, Metric

router = APIRouter(tags=["trends"])


def unprocessable(exc: TrendError) -> HTTPException:
    return query_error(exc.param, str(exc))


@router.get(
    "/api/trends",
    response_model=TrendsOut,
    responses=errors(422, 503, notes={422: "a bad range or filter"}),
)
def trends(
    session: SessionDep,
    flt: Annotated[PostingFilter, Depends(trend_filter)],
    metric: Metric = Metric.open,
    group: Group = Group.company,
    interval: Interval = Interval.week,
    since: Annotated[IsoDate | None, Query(description="first day of the range")] = None,
    until: Annotated[
        IsoDate | None, Query(description="last day of the range (default today)")
    ] = None,
) -> Response:
    """`{"series": [{"key", "points": [{"t": "YYYY-MM-DD", "value"}]}]}`; `t` starts a bucket,
    `open` counts postings open at its end."""
    try:
        found = trend(
            session,
            metric=metric,
            group=group,
            interval=interval,
            since=since,
            until=until,
            flt=flt,
        )
    except TrendError as exc:
        raise unprocessable(exc) from exc
    # Written as JSON text: a year of weeks for a thousand companies is 50,000 points, which
    # validating into TrendsOut would take longer than reading them.
    head = json.dumps({"metric": metric, "group": group, "interval": interval})[:-1]
    return Response(f'{head}, "series": {found.series_json()}}}', media_type="application/json")


@router.get(
    "/api/pay", response_model=PayStatsOut, responses=errors(422, 503, notes={422: "a bad filter"})
)
def pay(
    session: SessionDep,
    flt: Annotated[PostingFilter, Depends(posting_filter)],
    group: Group = Group.company,
) -> dict[str, Any]:
    """Per group: postings, with published pay, transparency share and quartiles of the
    annualised USD minimum and maximum (`status` defaults to open postings)."""
    try:
        rows = pay_stats(session, group=group, flt=flt)
    except TrendError as exc:
        raise unprocessable(exc) from exc
    return {"group": group, "items": rows}
