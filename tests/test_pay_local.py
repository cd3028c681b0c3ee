"""A bare "$" is the dollar of where the posting is."""

from __future__ import annotations

import pytest

from scrapers.currency import load_rates
from scrapers.enrich import settle_pay
from scrapers.models import NormalizedPosting, Pay
from scrapers.pay import parse_pay_text
from scrapers.pay.local import local_dollar, location_country

RATES = load_rates()


@pytest.mark.parametrize(
    ("location", "country"),
    [
        ("Toronto, ON", "CA"),
        ("Victoria, BC", "CA"),
        ("London, ON", "CA"),
        ("London", "GB"),
        ("Waterloo, Ontario", "CA"),
        ("Montreal", "CA"),  # written without its accent
        ("Remote - Canada", "CA"),
        ("Remote in Canada", "CA"),
        ("Melbourne, VIC", "AU"),
        ("Melbourne, FL", "US"),
        ("Sydney, NSW, Australia", "AU"),
        ("Auckland, New Zealand", "NZ"),
        ("Singapore", "SG"),
        ("San Francisco, CA", "US"),  # CA after a city is California
        ("Remote (US)", "US"),
        ("Berlin, Germany", "DE"),
        ("Remote", None),
        ("EMEA", None),
    ],
)
def test_the_country_of_a_place(location: str, country: str | None) -> None:
    assert location_country(location) == country


def test_one_country_counting_in_its_own_dollars_or_else_us_dollars() -> None:
    assert local_dollar(["Toronto, ON", "Remote"]) == "CAD"
    assert local_dollar(["Sydney, NSW", "Melbourne, VIC"]) == "AUD"
    assert local_dollar(["Toronto, ON", "New York, NY"]) == "USD"  # which dollars is unknown
    assert local_dollar(["Berlin, Germany"]) == "USD"  # "$" in a German posting is US dollars
    assert local_dollar(["Remote"]) == local_dollar([]) == "USD"


def test_a_bare_dollar_is_read_as_the_local_one_unless_the_text_says_otherwise() -> None:
    text = "The base salary range for this role is $120,000 - $150,000."
    assert parse_pay_text(text, RATES) == Pay(120_000, 150_000, "USD", "year", source="text")
    assert parse_pay_text(text, RATES, dollar="CAD") == Pay(
        120_000, 150_000, "CAD", "year", source="text"
    )
    assert parse_pay_text("Salary: 150-250k + equity", RATES, dollar="AUD").currency == "AUD"
    # Named dollars are kept, whatever the place.
    for named in ("$120,000 - $150,000 USD", "US$120,000 - US$150,000", "$120k-$150k CAD"):
        got = parse_pay_text(named, RATES, dollar="AUD")
        assert got is not None and got.currency == ("CAD" if "CAD" in named else "USD")
    spelled = "$120,000 - $150,000 (all figures in U.S. dollars)"
    assert parse_pay_text(spelled, RATES, dollar="CAD").currency == "USD"  # type: ignore[union-attr]


def test_enrich_prices_a_posting_in_the_dollars_of_its_place() -> None:
    def posting(*locations: str, pay: Pay | None = None) -> NormalizedPosting:
        return NormalizedPosting(
            external_id="1",
            title="Engineer",
            url="https://example.com/1",
            locations=locations,
            pay=pay,
            pay_text=("Pay: $120,000 - $150,000 a year",),
        )

    assert settle_pay(posting("Toronto, ON"), RATES).currency == "CAD"  # type: ignore[union-attr]
    assert settle_pay(posting("Austin, TX"), RATES).currency == "USD"  # type: ignore[union-attr]
    assert settle_pay(posting("Toronto, ON", "Austin, TX"), RATES).currency == "USD"  # type: ignore[union-attr]
    structured = Pay(100_000, 120_000, "USD", "year")  # a board's own band keeps its currency
    assert settle_pay(posting("Toronto, ON", pay=structured), RATES) == structured
