"""Altair chart specs: one function per chart, data in (rows of dicts), ``alt.Chart`` out.

Charts never query: callers pass the rows that ``store`` query functions return.

The dashboard's charts also have a ``*_spec`` function (``pay_bands_spec``, ``open_roles_spec``,
``trends.trend_spec``): the chart built once per shape with no rows, given each call's rows
(:func:`charts.style.with_rows`), which is the same spec for a fraction of the cost.

Altair's check of every object as it is built is off: :func:`charts.style.chart_spec` validates
each finished spec against the Vega-Lite schema (once per shape), which refuses the same
mistakes, where the checks at construction cost more than building a dashboard page's charts.
"""

from altair.utils.schemapi import disable_debug_mode

from charts.companies import open_roles_chart
from charts.company import (
    company_open_chart,
    hiring_areas_chart,
    new_closed_chart,
    posting_ages_chart,
)
from charts.flows import flows_chart
from charts.pay import pay_bands_chart
from charts.runs import run_outcomes_chart
from charts.trends import series_rows, trend_chart

disable_debug_mode()

__all__ = [
    "company_open_chart",
    "flows_chart",
    "hiring_areas_chart",
    "new_closed_chart",
    "open_roles_chart",
    "pay_bands_chart",
    "posting_ages_chart",
    "run_outcomes_chart",
    "series_rows",
    "trend_chart",
]
