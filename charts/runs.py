"""Scrape run outcomes over time, per board."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import altair as alt

from charts.style import OUTCOME_COLORS, config, inline_data


def run_outcomes_chart(runs: Iterable[Mapping[str, Any]]) -> alt.Chart:
    """One dot per run (``list_runs`` items): board by start time, coloured by outcome."""
    rows = [
        {
            "board": f"{r['company']} · {r['board']}",
            "started_at": r["started_at"],
            "outcome": r["outcome"],
            "error": r.get("error") or "",
            "seen": int((r.get("counts") or {}).get("seen", 0)),
        }
        for r in runs
        if r.get("started_at")
    ]
    return (
        alt.Chart(inline_data(rows), title="Scrape runs")
        .mark_circle(size=90, opacity=0.9)
        .encode(
            x=alt.X(
                "started_at:T",
                title=None,
                scale=alt.Scale(type="utc"),
                axis=alt.Axis(format="%b %d %H:%M", labelAngle=0, tickCount=6),
            ),
            y=alt.Y("board:N", title=None),
            color=alt.Color(
                "outcome:N",
                title="Outcome",
                scale=alt.Scale(domain=list(OUTCOME_COLORS), range=list(OUTCOME_COLORS.values())),
            ),
            tooltip=[
                alt.Tooltip("board:N", title="Board"),
                alt.Tooltip(
                    "started_at:T", title="Started (UTC)", format="%Y-%m-%d %H:%M", formatType="utc"
                ),
                alt.Tooltip("outcome:N", title="Outcome"),
                alt.Tooltip("seen:Q", title="Postings seen"),
                alt.Tooltip("error:N", title="Error"),
            ],
        )
        .properties(width="container", height=alt.Step(26))
        .configure(**config())
    )
