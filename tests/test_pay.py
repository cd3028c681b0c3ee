"""Pay parsing pieces: numbers, periods, annualisation and pay inside whole descriptions."""

from __future__ import annotations

import time
from datetime import date

import pytest

from scrapers.currency import Rates, load_rates
from scrapers.models import Pay
from scrapers.normalize.text import escaped_html_to_text
from scrapers.pay import (
    PERIOD_FACTORS,
    AnnualPay,
    annualise,
    parse_pay_text,
    period_from_magnitude,
    period_from_words,
)
from scrapers.pay.money import currency_code, to_number

SHIPPED = load_rates()
RATES = Rates(date=date(2026, 11, 2), per_usd={"USD": 1.0, "EUR": 0.8, "GBP": 0.75, "JPY": 150.0})


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("180,000", 180000),
        ("70.000", 70000),
        ("140'000", 140000),
        ("120\u2019000", 120000),
        ("25,00,000", 2500000),
        ("55 000", 55000),
        ("100,000.00", 100000),
        ("211.4", 211.4),
        ("100.000,50", 100000.5),
        ("28.50", 28.5),
        ("45", 45),
    ],
)
def test_numbers_in_every_grouping(raw: str, value: float) -> None:
    assert to_number(raw) == value


@pytest.mark.parametrize(
    ("symbol", "code"),
    [
        ("$", "USD"),
        ("US$", "USD"),
        ("CA$", "CAD"),
        ("C$", "CAD"),
        ("CAD $", "CAD"),
        ("A$", "AUD"),
        ("€", "EUR"),
        ("£", "GBP"),
        ("¥", "JPY"),
        ("₹", "INR"),
        ("chf", "CHF"),
        ("S$", "SGD"),
        ("XYZ", None),
        (None, None),
    ],
)
def test_currency_symbols(symbol: str | None, code: str | None) -> None:
    assert currency_code(symbol) == code


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("YEAR", "year"),
        ("1 HOUR", "hour"),
        ("per-month-salary", "month"),
        ("Annual Salary", "year"),
        ("Hourly Pay", "hour"),
        ("weekly", "week"),
        ("DAY", "day"),
        ("per annum", "year"),
        ("$45/hr", "hour"),
        ("a month", "month"),
        ("p.a.", "year"),
        ("day rate", "day"),
        ("5 years of experience", None),
        ("Salary", None),
        ("", None),
    ],
)
def test_period_from_words(text: str, period: str | None) -> None:
    assert period_from_words(text) == period


def test_period_words_first_written_wins() -> None:
    assert period_from_words("$45 per hour (about $93,600 per year)") == "hour"


@pytest.mark.parametrize(
    ("amount", "currency", "period"),
    [
        (45, None, "hour"),
        (8000, None, "month"),
        (150000, None, "year"),
        (8_000_000, "JPY", "year"),
        (25_000, "JPY", "hour"),
        (600_000, "JPY", "month"),
        # six digits of a currency worth a fraction of a cent: a month unless under $60
        (400_000, "NGN", "month"),
        (150_000, "VND", "hour"),
    ],
)
def test_period_from_magnitude(amount: float, currency: str | None, period: str) -> None:
    assert period_from_magnitude(amount, currency, SHIPPED) == period


def test_words_beat_magnitude() -> None:
    pay = parse_pay_text("Weekend shifts pay $90 per day", SHIPPED)
    assert pay is not None and pay.period == "day"
    assert parse_pay_text("€3,000 per year", SHIPPED) == Pay(3000, 3000, "EUR", "year", "text")


def test_period_factors_match_the_contract() -> None:
    assert PERIOD_FACTORS == {"hour": 2080, "day": 260, "week": 52, "month": 12, "year": 1}


@pytest.mark.parametrize(
    ("pay", "expected"),
    [
        (Pay(45, 100, "USD", "hour"), AnnualPay(93600, 208000, 93600, 208000)),
        (Pay(500, 600, "GBP", "day"), AnnualPay(130000, 156000, 173333.33, 208000)),
        (Pay(1000, 1000, "USD", "week"), AnnualPay(52000, 52000, 52000, 52000)),
        (Pay(4000, 5000, "EUR", "month"), AnnualPay(48000, 60000, 60000, 75000)),
        (Pay(None, 250000, "USD", "year"), AnnualPay(None, 250000, None, 250000)),
        (Pay(8_000_000, None, "JPY", "year"), AnnualPay(8_000_000, None, 53333.33, None)),
        # no rate for the currency: annual figures, but no invented USD value
        (Pay(100000, 120000, "CHF", "year"), AnnualPay(100000, 120000, None, None)),
    ],
)
def test_annualise(pay: Pay, expected: AnnualPay) -> None:
    assert annualise(pay, RATES) == expected


def test_greenhouse_pay_range_markup() -> None:
    content = (
        "&lt;div class=&quot;title&quot;&gt;United States Salary Range&lt;/div&gt;"
        "&lt;div class=&quot;pay-range&quot;&gt;&lt;span&gt;$108,400&lt;/span&gt;"
        "&lt;span class=&quot;divider&quot;&gt;&amp;mdash;&lt;/span&gt;"
        "&lt;span&gt;$129,600 USD&lt;/span&gt;&lt;/div&gt;"
    )
    assert parse_pay_text(escaped_html_to_text(content), SHIPPED) == Pay(
        108400, 129600, "USD", "year", "text"
    )


def test_benefits_paragraph_publishes_no_pay() -> None:
    text = (
        "Ramp automates how over $200B in annualized spend flows in and out of 70,000+ "
        "companies.\n\n401(k) Matching: We match 100% of the first 10% of pre-tax 401(k) "
        "contributions you make, up to a maximum of $10,000 per year.\n\nDate Stipend: All "
        "employees receive a $100 monthly stipend for epic dates."
    )
    assert parse_pay_text(text, SHIPPED) is None


def test_pay_after_benefits_is_found() -> None:
    text = (
        "We raised $60M last year. Perks: $1,500 learning budget, 401(k) match.\n"
        "The annual base salary for this role is $158,000 - $230,000 USD, plus equity, "
        "bonus and a $2,000 home office stipend."
    )
    assert parse_pay_text(text, SHIPPED) == Pay(158000, 230000, "USD", "year", "text")


def test_base_preferred_and_ote_used_alone() -> None:
    assert parse_pay_text("OTE: $300,000. Base: $150,000 - $170,000.", SHIPPED) == Pay(
        150000, 170000, "USD", "year", "text"
    )
    assert parse_pay_text("On-target earnings of $200k - $240k", SHIPPED) == Pay(
        200000, 240000, "USD", "year", "text"
    )


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "No numbers here",
        "$5 off",
        "Series C: $1.2B",
        "10,000 - 20,000 requests per second",
    ],
)
def test_nothing_to_find(text: str | None) -> None:
    assert parse_pay_text(text, SHIPPED) is None


def test_mismatched_currencies_are_not_a_range() -> None:
    pay = parse_pay_text("£60,000 - €80,000", SHIPPED)
    assert pay == Pay(60000, 60000, "GBP", "year", "text")


def test_long_description_is_read_quickly() -> None:
    noise = "We raised $5M in 2024. Our team of 40 people ships 1,000 builds a day. " * 3000
    began = time.perf_counter()
    pay = parse_pay_text(noise + "Salary $100k-$120k", SHIPPED)
    assert pay == Pay(100000, 120000, "USD", "year", "text")
    assert time.perf_counter() - began < 5  # linear, not quadratic, in the number of amounts
