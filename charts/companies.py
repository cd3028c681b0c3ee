"""Open roles per company."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import altair as alt

from charts.style import config, inline_data


def open_roles_chart(companies: Iterable[Mapping[str, Any]], *, limit: int = 25) -> alt.Chart:
    """Horizontal bars, largest first, from ``list_companies`` rows (``name``, ``open_roles``)."""
    rows = sorted(
        ({"company": c["name"], "open_roles": int(c["open_roles"])} for c in companies),
        key=lambda r: (-r["open_roles"], r["company"]),
    )[:limit]
    return (
        alt.Chart(inline_data(rows), title="Open roles by company")
        .mark_bar(color="#3b5bdb", cornerRadiusEnd=3)
        .encode(
            y=alt.Y("company:N", sort="-x", title=None),
            x=alt.X("open_roles:Q", title="Open roles", axis=alt.Axis(format="d", tickMinStep=1)),
            tooltip=[
                alt.Tooltip("company:N", title="Company"),
                alt.Tooltip("open_roles:Q", title="Open roles"),
            ],
        )
        .properties(width="container", height=alt.Step(22))
        .configure(**config())
    )
