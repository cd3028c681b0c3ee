"""Talent flows: how many announced hires moved from one company to another."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import altair as alt

from charts.style import config, inline_data


def flows_chart(edges: Iterable[Mapping[str, Any]]) -> alt.LayerChart:
    """A from-by-to matrix of ``/api/flows`` edges: darker cells, more people moved."""
    rows = [{"from": e["from"], "to": e["to"], "count": int(e["count"])} for e in edges]
    dark = max((r["count"] for r in rows), default=0) / 2  # cells darker than this: white text
    base = alt.Chart(inline_data(rows), title="Talent flows (announced hires)").encode(
        x=alt.X("to:N", title="Joined", axis=alt.Axis(labelAngle=-30, orient="top")),
        y=alt.Y("from:N", title="Left"),
    )
    return (
        alt.layer(
            base.mark_rect(cornerRadius=3).encode(
                color=alt.Color(
                    "count:Q", title="People", scale=alt.Scale(scheme="blues"), legend=None
                ),
                tooltip=[
                    alt.Tooltip("from:N", title="Left"),
                    alt.Tooltip("to:N", title="Joined"),
                    alt.Tooltip("count:Q", title="People"),
                ],
            ),
            base.mark_text(fontSize=13, fontWeight="bold").encode(
                text=alt.Text("count:Q"),
                color=alt.condition(
                    alt.datum.count > dark, alt.value("white"), alt.value("#1f2430")
                ),
            ),
        )
        .properties(width="container", height=alt.Step(34))
        .configure(**config())
    )
