"""Charts of one company's page: its open roles over time, new and closed roles per week, the
teams and topics it hires for, and how long its open roles have been open."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import altair as alt

from charts.style import config, inline_data

NEW_COLOR = "#2f9e44"
CLOSED_COLOR = "#e03131"
OPEN_COLOR = "#3b5bdb"
WEEK_AXIS = alt.Axis(format="%b %d", labelAngle=0, tickCount=8)


def company_open_chart(weekly: Iterable[Mapping[str, Any]], *, company: str = "") -> alt.Chart:
    """Roles open at the end of each week (``company_view``'s ``weekly`` rows)."""
    rows = [{"week": w["week"], "open": int(w["open"])} for w in weekly]
    return (
        alt.Chart(inline_data(rows), title=f"Open roles at {company}" if company else "Open roles")
        .mark_area(
            line={"color": OPEN_COLOR},
            color=OPEN_COLOR,
            opacity=0.25,
            point=alt.OverlayMarkDef(color=OPEN_COLOR, size=30),
        )
        .encode(
            x=alt.X("week:T", title=None, scale=alt.Scale(type="utc"), axis=WEEK_AXIS),
            y=alt.Y("open:Q", title="Open roles", axis=alt.Axis(format="d", tickMinStep=1)),
            tooltip=[
                alt.Tooltip("week:T", title="Week of", format="%Y-%m-%d", formatType="utc"),
                alt.Tooltip("open:Q", title="Open at the end of the week"),
            ],
        )
        .properties(width="container", height=220)
        .configure(**config())
    )


def new_closed_chart(weekly: Iterable[Mapping[str, Any]]) -> alt.Chart:
    """Roles first seen and roles closed per week, side by side."""
    rows = [
        {"week": w["week"], "kind": kind, "roles": int(w[kind])}
        for w in weekly
        for kind in ("new", "closed")
    ]
    return (
        alt.Chart(inline_data(rows), title="New and closed roles per week")
        .mark_bar(cornerRadiusEnd=2)
        .encode(
            # A band scale (ordinal) so the two bars of a week sit side by side.
            x=alt.X(
                "utcyearmonthdate(week):O",
                title=None,
                axis=alt.Axis(format="%b %d", labelAngle=0, labelOverlap=True),
            ),
            xOffset=alt.XOffset("kind:N", sort=["new", "closed"]),
            y=alt.Y("roles:Q", title="Roles", axis=alt.Axis(format="d", tickMinStep=1)),
            color=alt.Color(
                "kind:N",
                title=None,
                scale=alt.Scale(domain=["new", "closed"], range=[NEW_COLOR, CLOSED_COLOR]),
            ),
            tooltip=[
                alt.Tooltip("week:T", title="Week of", format="%Y-%m-%d", formatType="utc"),
                alt.Tooltip("kind:N", title="Roles"),
                alt.Tooltip("roles:Q", title="Count"),
            ],
        )
        .properties(width="container", height=220)
        .configure(**config())
    )


def hiring_areas_chart(
    areas: Iterable[Mapping[str, Any]], *, kind: str = "team", limit: int = 15
) -> alt.Chart:
    """Open roles per team or topic, largest first (``company_view``'s ``teams``/``topics``)."""
    rows = sorted(
        (
            {
                "key": a["key"],
                "open_roles": int(a["open_roles"]),
                "new_recent": int(a["new_recent"]),
            }
            for a in areas
            if a["open_roles"]
        ),
        key=lambda r: (-r["open_roles"], r["key"]),
    )[:limit]
    label = kind.capitalize()
    return (
        alt.Chart(inline_data(rows), title=f"Open roles by {kind}")
        .mark_bar(color="#1098ad", cornerRadiusEnd=3)
        .encode(
            y=alt.Y("key:N", sort="-x", title=None),
            x=alt.X("open_roles:Q", title="Open roles", axis=alt.Axis(format="d", tickMinStep=1)),
            tooltip=[
                alt.Tooltip("key:N", title=label),
                alt.Tooltip("open_roles:Q", title="Open roles"),
                alt.Tooltip("new_recent:Q", title="New in the last 28 days"),
            ],
        )
        .properties(width="container", height=alt.Step(22))
        .configure(**config())
    )


def posting_ages_chart(buckets: Iterable[Mapping[str, Any]], *, stale_days: int = 90) -> alt.Chart:
    """How many open roles have been open for how long; buckets past ``stale_days`` in red."""
    rows = [
        {
            "label": b["label"],
            "count": int(b["count"]),
            "order": i,
            "stale": b["min_days"] >= stale_days,
        }
        for i, b in enumerate(buckets)
    ]
    return (
        alt.Chart(inline_data(rows), title="How long open roles have been open")
        .mark_bar(cornerRadiusEnd=3)
        .encode(
            x=alt.X(
                "label:N", title=None, sort=alt.SortField("order"), axis=alt.Axis(labelAngle=0)
            ),
            y=alt.Y("count:Q", title="Open roles", axis=alt.Axis(format="d", tickMinStep=1)),
            color=alt.condition(alt.datum.stale, alt.value(CLOSED_COLOR), alt.value(OPEN_COLOR)),
            tooltip=[
                alt.Tooltip("label:N", title="Open for"),
                alt.Tooltip("count:Q", title="Roles"),
            ],
        )
        .properties(width="container", height=200)
        .configure(**config())
    )
