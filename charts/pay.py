"""Pay bands: the spread of annualised USD pay per group."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

import altair as alt

from charts.style import chart_spec, config, inline_data, with_rows


def pay_rows(stats: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """``pay_stats`` rows with published pay, flattened to one row per group."""
    rows = []
    for s in stats:
        low, high = s["annual_min_usd"], s["annual_max_usd"]
        if low.get("median") is None and high.get("median") is None:
            continue
        # A board that publishes only one end of its ranges still gets a (narrow) band.
        low = {k: low.get(k) if low.get(k) is not None else high.get(k) for k in high}
        high = {k: high.get(k) if high.get(k) is not None else low.get(k) for k in low}
        rows.append(
            {
                "key": s["key"],
                "with_pay": int(s["with_pay"]),
                "postings": int(s["postings"]),
                "transparency": float(s["transparency"]),
                "min_p25": low.get("p25"),
                "min_median": low.get("median"),
                "max_median": high.get("median"),
                "max_p75": high.get("p75"),
            }
        )
    return sorted(rows, key=lambda r: -(r["max_median"] or r["min_median"] or 0))


def pay_bands_chart(
    stats: Iterable[Mapping[str, Any]], *, group: str = "company"
) -> alt.LayerChart:
    """A thin rule from the p25 of minimums to the p75 of maximums, and a thick bar between
    the median minimum and the median maximum: where most of a group's ranges sit."""
    # The marks share one data set, given once to the layer: a mark made from a chart that held
    # the rows would copy them (a thousand companies' rows, twice).
    base = alt.Chart()
    axis = alt.Axis(format="$~s", title="Annual pay (USD)", tickCount=5)
    tooltip = [
        alt.Tooltip("key:N", title=group.capitalize()),
        alt.Tooltip("min_median:Q", title="Median minimum", format="$,.0f"),
        alt.Tooltip("max_median:Q", title="Median maximum", format="$,.0f"),
        alt.Tooltip("min_p25:Q", title="p25 of minimums", format="$,.0f"),
        alt.Tooltip("max_p75:Q", title="p75 of maximums", format="$,.0f"),
        alt.Tooltip("with_pay:Q", title="Postings with pay"),
        alt.Tooltip("transparency:Q", title="Share publishing pay", format=".0%"),
    ]
    y = alt.Y("key:N", sort=alt.SortField("max_median", order="descending"), title=None)
    return (
        alt.layer(
            base.mark_rule(color="#868e96", strokeWidth=2).encode(
                y=y, x=alt.X("min_p25:Q", axis=axis), x2="max_p75:Q", tooltip=tooltip
            ),
            base.mark_bar(color="#0ca678", height=12, cornerRadius=3).encode(
                y=y, x=alt.X("min_median:Q", axis=axis), x2="max_median:Q", tooltip=tooltip
            ),
            data=inline_data(pay_rows(stats)),
            title=f"Pay bands by {group} (USD / year)",
        )
        .properties(width="container", height=alt.Step(24))
        .configure(**config())
    )


def pay_bands_spec(stats: Iterable[Mapping[str, Any]], *, group: str = "company") -> dict[str, Any]:
    """``chart_spec(pay_bands_chart(stats, group=group))``, the chart built once per group."""
    return with_rows(_pay_bands_template(group), pay_rows(stats))


@cache
def _pay_bands_template(group: str) -> dict[str, Any]:
    return chart_spec(pay_bands_chart((), group=group))
