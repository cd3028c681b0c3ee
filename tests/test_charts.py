"""Chart specs: encodings, data shaping, Vega-Lite validity and a JSON round trip."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import altair as alt
import pytest
from altair.utils.schemapi import SchemaValidationError, debug_mode

from charts import (
    flows_chart,
    open_roles_chart,
    pay_bands_chart,
    run_outcomes_chart,
    series_rows,
    trend_chart,
)
from charts.pay import pay_rows
from charts.style import OUTCOME_COLORS, chart_spec, inline_data

VENDOR = Path(__file__).resolve().parents[1] / "service" / "static" / "vendor"

SERIES = [
    {"key": "xAI", "points": [{"t": "2026-10-05", "value": 3}, {"t": "2026-10-12", "value": 5}]},
    {
        "key": "Anthropic",
        "points": [{"t": "2026-10-05", "value": 0}, {"t": "2026-10-12", "value": 2}],
    },
    {
        "key": "Figure AI",
        "points": [{"t": "2026-10-05", "value": 1}, {"t": "2026-10-12", "value": 1}],
    },
]


def stats(
    key: str, postings: int, with_pay: int, low: tuple[Any, Any, Any], high: tuple[Any, Any, Any]
) -> dict[str, Any]:
    names = ("p25", "median", "p75")
    return {
        "key": key,
        "postings": postings,
        "with_pay": with_pay,
        "transparency": with_pay / postings if postings else 0.0,
        "annual_min_usd": dict(zip(names, low, strict=True)),
        "annual_max_usd": dict(zip(names, high, strict=True)),
    }


def round_trip(chart: alt.TopLevelMixin) -> dict[str, Any]:
    """The spec survives JSON both ways, and Altair reads it back to the same spec."""
    spec = chart.to_dict()  # validates against the Vega-Lite schema
    text = chart.to_json()
    assert json.loads(text) == spec
    again = type(chart).from_json(text)
    assert inline(again.to_dict()) == spec
    return spec


def inline(spec: dict[str, Any]) -> dict[str, Any]:
    """Put named datasets back in place (Altair names inline data it reads back)."""
    datasets = spec.pop("datasets", {})
    name = spec.get("data", {}).get("name")
    if name in datasets:
        spec["data"] = {"values": datasets[name]}
    return spec


def encoding(spec: dict[str, Any], channel: str) -> tuple[str, str]:
    enc = spec["encoding"][channel]
    return enc["field"], enc["type"]


def test_open_roles_bars_are_sorted_largest_first_and_capped() -> None:
    companies = [{"name": f"Co {i}", "open_roles": i} for i in range(30)]
    spec = round_trip(open_roles_chart(companies, limit=5))
    assert spec["mark"]["type"] == "bar"
    assert encoding(spec, "x") == ("open_roles", "quantitative")
    assert encoding(spec, "y") == ("company", "nominal")
    assert spec["encoding"]["y"]["sort"] == "-x"
    assert [r["company"] for r in spec["data"]["values"]] == [
        f"Co {i}" for i in (29, 28, 27, 26, 25)
    ]
    assert spec["width"] == "container"


def test_series_rows_flatten_and_fold_the_tail_into_other() -> None:
    rows = series_rows(SERIES, top=1)
    assert rows == [
        {"key": "xAI", "t": "2026-10-05", "value": 3},
        {"key": "xAI", "t": "2026-10-12", "value": 5},
        {"key": "other", "t": "2026-10-05", "value": 1},
        {"key": "other", "t": "2026-10-12", "value": 3},
    ]
    assert len(series_rows(SERIES)) == 6  # no cap: every point kept, no "other"
    assert {r["key"] for r in series_rows(SERIES, top=3)} == {"xAI", "Anthropic", "Figure AI"}


def test_trend_chart_has_typed_time_encodings_in_utc() -> None:
    spec = round_trip(trend_chart(SERIES, metric="open", interval="week", group="company"))
    assert spec["mark"]["type"] == "line"
    assert encoding(spec, "x") == ("t", "temporal")
    assert spec["encoding"]["x"]["scale"] == {"type": "utc"}
    assert encoding(spec, "y") == ("value", "quantitative")
    assert spec["encoding"]["y"]["title"] == "Open roles"
    assert encoding(spec, "color") == ("key", "nominal")
    assert spec["title"] == "Open roles per week by company"
    assert len(spec["data"]["values"]) == 6


@pytest.mark.parametrize(("metric", "title"), [("new", "New roles"), ("closed", "Closed roles")])
def test_trend_chart_titles_follow_the_metric(metric: str, title: str) -> None:
    spec = trend_chart(SERIES, metric=metric, interval="month", group="topic").to_dict()
    assert spec["encoding"]["y"]["title"] == title
    assert spec["title"] == f"{title} per month by topic"
    assert spec["encoding"]["x"]["axis"]["format"] == "%b %Y"


def test_pay_rows_skip_groups_without_pay_and_fill_a_missing_end() -> None:
    rows = pay_rows(
        [
            stats("xAI", 4, 3, (185_000, 220_000, 235_000), (300_000, 350_000, 395_000)),
            stats("NoPay", 5, 0, (None, None, None), (None, None, None)),
            stats("MinOnly", 2, 2, (90_000, 100_000, 110_000), (None, None, None)),
        ]
    )
    assert [r["key"] for r in rows] == ["xAI", "MinOnly"]  # by median maximum, descending
    only = rows[1]
    assert (only["min_median"], only["max_median"], only["max_p75"]) == (100_000, 100_000, 110_000)


def test_pay_bands_chart_layers_a_spread_rule_under_a_median_bar() -> None:
    spec = round_trip(
        pay_bands_chart(
            [
                stats("xAI", 4, 3, (185_000, 220_000, 235_000), (300_000, 350_000, 395_000)),
                stats("Anthropic", 2, 1, (300_000, 300_000, 300_000), (400_000, 400_000, 400_000)),
            ]
        )
    )
    rule, bar = spec["layer"]
    assert rule["mark"]["type"] == "rule" and bar["mark"]["type"] == "bar"
    assert (rule["encoding"]["x"]["field"], rule["encoding"]["x2"]["field"]) == (
        "min_p25",
        "max_p75",
    )
    assert (bar["encoding"]["x"]["field"], bar["encoding"]["x2"]["field"]) == (
        "min_median",
        "max_median",
    )
    assert bar["encoding"]["x"]["type"] == "quantitative"
    assert [r["key"] for r in spec["data"]["values"]] == ["Anthropic", "xAI"]


def test_run_outcomes_colour_failures_red_whatever_the_data() -> None:
    runs = [
        {
            "company": "xAI",
            "board": "greenhouse:xai",
            "started_at": "2026-10-20T08:00:00Z",
            "outcome": "ok",
            "error": None,
            "counts": {"seen": 4},
        },
        {
            "company": "Anthropic",
            "board": "greenhouse:anthropic",
            "started_at": "2026-10-20T09:00:00Z",
            "outcome": "failed",
            "error": "HTTP 503",
            "counts": {"seen": 0},
        },
        {
            "company": "Odd",
            "board": "greenhouse:odd",
            "started_at": None,
            "outcome": "ok",
            "counts": {},
        },
    ]
    spec = round_trip(run_outcomes_chart(runs))
    scale = spec["encoding"]["color"]["scale"]
    assert dict(zip(scale["domain"], scale["range"], strict=True)) == OUTCOME_COLORS
    assert OUTCOME_COLORS["failed"] == "#e03131"
    assert encoding(spec, "x") == ("started_at", "temporal")
    values = spec["data"]["values"]
    assert [v["board"] for v in values] == [
        "xAI · greenhouse:xai",
        "Anthropic · greenhouse:anthropic",
    ]
    assert values[1]["error"] == "HTTP 503"


def test_flows_chart_is_a_from_to_matrix_with_readable_figures() -> None:
    edges = [
        {"from": "OpenAI", "to": "xAI", "count": 4},
        {"from": "Google DeepMind", "to": "Anthropic", "count": 1},
    ]
    spec = round_trip(flows_chart(edges))
    rect, text = spec["layer"]
    assert rect["mark"]["type"] == "rect" and text["mark"]["type"] == "text"
    for layer in (rect, text):
        assert encoding(layer, "x") == ("to", "nominal")
        assert encoding(layer, "y") == ("from", "nominal")
    assert rect["encoding"]["color"] | {"scale": None} == {
        "field": "count",
        "type": "quantitative",
        "title": "People",
        "legend": None,
        "scale": None,
    }
    # White figures only on cells darker than half the largest flow.
    assert text["encoding"]["color"]["condition"]["test"] == "(datum.count > 2.0)"
    assert spec["data"]["values"] == [
        {"from": "OpenAI", "to": "xAI", "count": 4},
        {"from": "Google DeepMind", "to": "Anthropic", "count": 1},
    ]


def test_empty_data_still_gives_a_valid_spec() -> None:
    assert round_trip(trend_chart([]))["data"]["values"] == []
    assert round_trip(pay_bands_chart([]))["data"]["values"] == []
    assert round_trip(open_roles_chart([]))["data"]["values"] == []
    assert round_trip(flows_chart([]))["data"]["values"] == []


def test_vendored_vega_lite_matches_the_schema_altair_writes() -> None:
    spec = open_roles_chart([{"name": "xAI", "open_roles": 1}]).to_dict()
    major = alt.SCHEMA_VERSION.lstrip("v").split(".")[0]
    assert f"/vega-lite/v{major}" in spec["$schema"]
    versions = (VENDOR / "VERSIONS.txt").read_text()
    assert f"vega-lite {major}." in versions
    for name in ("vega", "vega-lite", "vega-embed"):
        assert (VENDOR / f"{name}.min.js").stat().st_size > 50_000
        assert "Redistribution and use" in (VENDOR / f"{name}.LICENSE.txt").read_text()


def test_a_spec_the_schema_refuses_is_refused_every_time() -> None:
    # Built without Altair's check at construction, so only chart_spec's validation can refuse
    # it; an accepted spec is remembered, a refused one never is.
    with debug_mode(False):
        bad = (
            alt.Chart(inline_data([{"a": 1}]))
            .mark_bar()
            .encode(x=alt.X("a:Q", axis=alt.Axis(labelAngle="steep")))
        )
    for _ in range(2):
        with pytest.raises(SchemaValidationError):
            chart_spec(bad)
    good = alt.Chart(inline_data([{"a": 1}])).mark_bar().encode(x="a:Q")
    assert chart_spec(good) == chart_spec(good)
    assert chart_spec(good)["data"]["values"] == [{"a": 1}]


def test_specs_built_once_per_shape_equal_the_charts_built_each_time() -> None:
    """The dashboard's charts come from a spec built once and given each call's rows; that is
    the spec of the chart built with those rows, for any rows."""
    from charts.companies import open_roles_spec
    from charts.pay import pay_bands_spec
    from charts.trends import trend_spec

    pay = [
        stats("xAI", 10, 8, (180_000, 200_000, 220_000), (300_000, 440_000, 500_000)),
        stats("Anthropic", 5, 5, (150_000, 170_000, 190_000), (250_000, 300_000, 320_000)),
    ]
    companies = [{"name": "xAI", "open_roles": 12}, {"name": "Anthropic", "open_roles": 30}]
    for _ in range(2):  # the second call reads the kept template
        assert pay_bands_spec(pay, group="topic") == chart_spec(pay_bands_chart(pay, group="topic"))
        assert open_roles_spec(companies) == chart_spec(open_roles_chart(companies))
        assert trend_spec(SERIES, metric="open", group="company", top=2) == chart_spec(
            trend_chart(SERIES, metric="open", group="company", top=2)
        )
    # Rows given to one call never leak into the next one's spec.
    assert pay_bands_spec([], group="topic")["data"]["values"] == []
    assert len(pay_bands_spec(pay, group="topic")["data"]["values"]) == 2
