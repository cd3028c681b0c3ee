"""Shared look of every chart, so the dashboard reads as one piece."""

from __future__ import annotations

import copy
import json
from typing import Any, Final, Literal

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
# A colour-blind-friendly categorical palette (Tableau 10).
SCHEME: Final[Literal["tableau10"]] = "tableau10"
# Fixed colours per run outcome: a failure must stand out whatever else is on screen.
OUTCOME_COLORS: dict[str, str] = {
    "ok": "#2f9e44",
    "unchanged": "#74c0fc",
    "partial": "#f59f00",
    "failed": "#e03131",
    "skipped": "#adb5bd",
}


def config() -> dict[str, Any]:
    """Vega-Lite top-level ``config``, applied with ``.configure(**config())``."""
    return {
        "font": FONT,
        "view": {"stroke": None},
        "axis": {"labelFontSize": 12, "titleFontSize": 12, "gridColor": "#eceff3"},
        "legend": {
            "labelFontSize": 12,
            "titleFontSize": 12,
            "orient": "bottom",
            "columns": 4,
            "labelLimit": 180,
        },
        "title": {"fontSize": 14, "anchor": "start"},
    }


def inline_data(rows: list[dict[str, Any]]) -> Any:
    """``alt.Data(values=rows)`` built without Altair's check at construction, which validates
    every row against the schema (rows are plain objects there: nothing to learn from it)."""
    import altair as alt
    from altair.utils.schemapi import debug_mode

    with debug_mode(False):
        return alt.Data(values=rows)


# Specs (without their rows) this process has validated: a dashboard draws the same few shapes
# again and again, and validating one against the Vega-Lite schema costs ≈ 25 ms.
_VALIDATED: set[str] = set()
_VALIDATED_MAX = 4096


def chart_spec(chart: Any) -> dict[str, Any]:
    """``chart.to_dict()``, validated against the Vega-Lite schema without its inline rows.

    Validating every row of a large data set (a thousand companies' pay bands) costs far more
    than building the spec, and the rows' shape is the chart function's, not the schema's: the
    spec is validated with no rows, then given them back. A spec identical to one validated
    before in this process is not validated again.
    """
    import altair as alt

    data = getattr(chart, "data", alt.Undefined)
    rows = getattr(data, "values", alt.Undefined) if isinstance(data, alt.Data) else alt.Undefined
    light = chart
    if isinstance(rows, list) and rows:
        light = chart.copy(deep=False)
        light.data = alt.Data(values=[])
    out: dict[str, Any] = light.to_dict(validate=False)
    key = json.dumps(out, sort_keys=True, default=str)
    if key not in _VALIDATED:
        light.to_dict()  # raises when the schema refuses the spec
        if len(_VALIDATED) < _VALIDATED_MAX:
            _VALIDATED.add(key)
    if light is not chart:
        out["data"] = {**out["data"], "values": rows}
    return out


def with_rows(template: dict[str, Any], rows: list[dict[str, Any]]) -> dict[str, Any]:
    """A spec built once with no rows (``chart_spec`` of the chart), given this call's rows.

    Building a chart through Altair's objects costs more than its rows: the pay bands of a
    thousand companies took 35 ms to build and 2 to fill. A page draws the same few shapes again
    and again, so each is built once and only its rows change."""
    out = copy.deepcopy(template)
    out["data"] = {**out.get("data", {}), "values": rows}
    return out
