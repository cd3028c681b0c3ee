"""The company page's charts: typed encodings, data shaping, validity and a JSON round trip."""

from __future__ import annotations

from charts import company_open_chart, hiring_areas_chart, new_closed_chart, posting_ages_chart
from charts.company import CLOSED_COLOR, NEW_COLOR
from store.company import AGE_BUCKETS
from tests.test_charts import round_trip  # to_dict, a JSON round trip and back to Altair

WEEKLY = [
    {"week": "2026-10-05", "open": 3, "new": 3, "closed": 0},
    {"week": "2026-10-12", "open": 5, "new": 2, "closed": 0},
    {"week": "2026-10-19", "open": 4, "new": 0, "closed": 1},
]


def test_open_roles_over_time_is_a_utc_time_series() -> None:
    spec = round_trip(company_open_chart(WEEKLY, company="xAI"))
    assert spec["mark"]["type"] == "area"
    assert spec["encoding"]["x"]["field"] == "week" and spec["encoding"]["x"]["type"] == "temporal"
    assert spec["encoding"]["x"]["scale"] == {"type": "utc"}
    assert spec["encoding"]["y"]["type"] == "quantitative"
    assert [r["open"] for r in spec["data"]["values"]] == [3, 5, 4]
    assert spec["title"] == "Open roles at xAI"


def test_new_and_closed_bars_sit_side_by_side_in_fixed_colours() -> None:
    spec = round_trip(new_closed_chart(WEEKLY))
    values = spec["data"]["values"]
    assert len(values) == 6
    assert {(v["week"], v["kind"]): v["roles"] for v in values if v["roles"]} == {
        ("2026-10-05", "new"): 3,
        ("2026-10-12", "new"): 2,
        ("2026-10-19", "closed"): 1,
    }
    assert spec["encoding"]["xOffset"]["field"] == "kind"
    assert spec["encoding"]["x"]["type"] == "ordinal"
    scale = spec["encoding"]["color"]["scale"]
    assert dict(zip(scale["domain"], scale["range"], strict=True)) == {
        "new": NEW_COLOR,
        "closed": CLOSED_COLOR,
    }


def test_hiring_areas_drop_empty_ones_and_sort_largest_first() -> None:
    areas = [
        {"key": "Omni", "open_roles": 1, "new_recent": 0},
        {"key": "Sales", "open_roles": 0, "new_recent": 2},
        {"key": "Optimus", "open_roles": 3, "new_recent": 1},
    ]
    spec = round_trip(hiring_areas_chart(areas, kind="topic"))
    assert [v["key"] for v in spec["data"]["values"]] == ["Optimus", "Omni"]
    assert spec["title"] == "Open roles by topic"
    assert spec["encoding"]["y"]["sort"] == "-x"
    many = [{"key": f"t{i:02}", "open_roles": i + 1, "new_recent": 0} for i in range(30)]
    assert len(hiring_areas_chart(many, limit=15).to_dict()["data"]["values"]) == 15


def test_posting_ages_keep_bucket_order_and_mark_stale_buckets() -> None:
    buckets = [
        {"label": label, "min_days": low, "max_days": high, "count": n}
        for (label, low, high), n in zip(AGE_BUCKETS, [1, 1, 0, 2, 1], strict=True)
    ]
    spec = round_trip(posting_ages_chart(buckets, stale_days=90))
    values = spec["data"]["values"]
    assert [v["label"] for v in sorted(values, key=lambda v: v["order"])] == [
        b[0] for b in AGE_BUCKETS
    ]
    assert [v["stale"] for v in values] == [False, False, False, True, True]
    assert spec["encoding"]["x"]["sort"] == {"field": "order"}
    assert spec["encoding"]["color"]["condition"]["value"] == CLOSED_COLOR


def test_empty_company_charts_are_still_valid() -> None:
    for chart in (
        company_open_chart([]),
        new_closed_chart([]),
        hiring_areas_chart([]),
        posting_ages_chart([]),
    ):
        assert round_trip(chart)["data"]["values"] == []
