"""Shared look of every chart, so the dashboard reads as one piece."""

from __future__ import annotations

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
