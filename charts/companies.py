"""Open roles per company."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

import altair as alt

from charts.style import chart_spec, config, inline_data, with_rows


def open_roles_rows(
    companies: Iterable[Mapping[str, Any]], *, limit: int = 25
) -> list[dict[str, Any]]:
    return sorted(
        ({"company": c["name"], "open_roles": int(c["open_roles"])} for c in companies),
        key=lambda r: (-r["open_roles"], r["company"]),
    )[:limit]


def open_roles_chart(companies: Iterable[Mapping[str, Any]], *, limit: int = 25) -> alt.Chart:
    """Horizontal bars, largest first, from ``list_companies`` rows (``name``, ``open_roles``)."""
    rows = open_roles_rows(companies, limit=limit)
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


def open_roles_spec(companies: Iterable[Mapping[str, Any]], *, limit: int = 25) -> dict[str, Any]:
    """``chart_spec(open_roles_chart(companies, limit=limit))``, the chart built once."""
    return with_rows(_open_roles_template(), open_roles_rows(companies, limit=limit))


@cache
def _open_roles_template() -> dict[str, Any]:
    return chart_spec(open_roles_chart(()))
