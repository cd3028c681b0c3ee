"""One wording of pay for the dashboard, the Atom feed and chat messages."""

from __future__ import annotations

import pytest

from scrapers.models import Pay
from scrapers.pay import AnnualPay
from service.pay_text import format_pay
from store.schemas import PayOut, pay_out

BAND = pay_out(
    Pay(min=180000, max=240000, currency="USD", period="year"),
    AnnualPay(180000, 240000, 180000, 240000),
)


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("compact", "$180k\u2013$240k / year"),
        ("feed", "180,000 to 240,000 USD per year"),
        ("chat", "180,000 - 240,000 USD/year"),
    ],
)
def test_each_surface_words_the_same_band(style: str, expected: str) -> None:
    assert format_pay(BAND, style) == expected  # type: ignore[arg-type]
    # The posting's JSON (a dict) reads exactly as the typed band does.
    assert format_pay(BAND.model_dump(), style) == expected  # type: ignore[arg-type]


def test_one_sided_and_missing_bands() -> None:
    floor = BAND.model_copy(update={"max": None})
    assert format_pay(floor, "compact") == "$180k / year"
    assert format_pay(floor, "feed") == "180,000 USD per year"
    assert (
        format_pay(BAND.model_copy(update={"min": 90000, "max": 90000}), "compact") == "$90k / year"
    )
    assert format_pay(None) == ""
    assert (
        format_pay(
            PayOut(
                min=None,
                max=None,
                currency="EUR",
                period="month",
                annual_min=None,
                annual_max=None,
                annual_min_usd=None,
                annual_max_usd=None,
                source="text",
            ),
            "chat",
        )
        == ""
    )


def test_own_currency_and_period() -> None:
    hourly = {"min": 45.5, "max": 100, "currency": "GBP", "period": "hour"}
    assert format_pay(hourly, "compact") == "£45.50\u2013£100 / hour"
    assert format_pay(hourly, "feed") == "45.5 to 100 GBP per hour"
    assert format_pay(hourly, "chat") == "46 - 100 GBP/hour"
