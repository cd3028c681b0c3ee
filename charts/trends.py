"""Time series of open, new or closed roles per group (company, topic, …)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

import altair as alt

from charts.style import SCHEME, chart_spec, config, inline_data, with_rows

METRIC_TITLES: dict[str, str] = {
    "open": "Open roles",
    "new": "New roles",
    "closed": "Closed roles",
}
INTERVAL_FORMATS: dict[str, str] = {"day": "%b %d", "week": "%b %d", "month": "%b %Y"}


def series_rows(
    series: Iterable[Mapping[str, Any]], *, top: int | None = None
) -> list[dict[str, Any]]:
    """Flatten ``trend_series`` output (``key`` + ``points``) into long rows for a chart.

    ``top`` keeps the first series (``trend_series`` orders them by their latest value) and sums
    the rest into "other", so a legend stays readable with many companies.
    """
    series = list(series)
    kept = series if top is None or len(series) <= top else series[:top]
    rest = [] if kept is series else series[top:]
    rows = [
        {"key": s["key"], "t": p["t"], "value": int(p["value"])} for s in kept for p in s["points"]
    ]
    if rest:
        totals: dict[str, int] = {}
        for s in rest:
            for p in s["points"]:
                totals[p["t"]] = totals.get(p["t"], 0) + int(p["value"])
        rows += [{"key": "other", "t": t, "value": v} for t, v in totals.items()]
    return rows


def trend_chart(
    series: Iterable[Mapping[str, Any]],
    *,
    metric: str = "new",
    interval: str = "week",
    group: str = "company",
    title: str | None = None,
    top: int | None = 8,
) -> alt.Chart:
    """One line per group over calendar buckets (``t`` is the bucket's first day, UTC)."""
    value_title = METRIC_TITLES.get(metric, metric)
    return (
        alt.Chart(
            inline_data(series_rows(series, top=top)),
            title=title or f"{value_title} per {interval} by {group}",
        )
        .mark_line(point=alt.OverlayMarkDef(size=30), strokeWidth=2)
        .encode(
            # Buckets are UTC dates: a UTC scale keeps a browser in another zone from
            # labelling them with the previous day.
            x=alt.X(
                "t:T",
                title=None,
                scale=alt.Scale(type="utc"),
                axis=alt.Axis(
                    format=INTERVAL_FORMATS.get(interval, "%b %d"), labelAngle=0, tickCount=8
                ),
            ),
            y=alt.Y(
                "value:Q", title=value_title, axis=alt.Axis(format="d", tickMinStep=1)
            ),  # counts: no 0.5 ticks
            color=alt.Color("key:N", title=group.capitalize(), scale=alt.Scale(scheme=SCHEME)),
            tooltip=[
                alt.Tooltip("key:N", title=group.capitalize()),
                alt.Tooltip(
                    "t:T", title=f"{interval.capitalize()} of", format="%Y-%m-%d", formatType="utc"
                ),
                alt.Tooltip("value:Q", title=value_title),
            ],
        )
        .properties(width="container", height=260)
        .configure(**config())
    )


def trend_spec(
    series: Iterable[Mapping[str, Any]],
    *,
    metric: str = "new",
    interval: str = "week",
    group: str = "company",
    title: str | None = None,
    top: int | None = 8,
) -> dict[str, Any]:
    """``chart_spec(trend_chart(series, ...))``, the chart built once per shape."""
    rows = series_rows(series, top=top)
    return with_rows(_trend_template(metric, interval, group, title, top), rows)


@lru_cache(maxsize=64)
def _trend_template(
    metric: str, interval: str, group: str, title: str | None, top: int | None
) -> dict[str, Any]:
    return chart_spec(
        trend_chart((), metric=metric, interval=interval, group=group, title=title, top=top)
    )
