"""A bare "$" is the dollar of where the posting is."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

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
        ("Remote (US or Canada)", None),
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


LOCATED = Path(__file__).parent / "data" / "pay"


def _located(half: str) -> list[dict[str, Any]]:
    path = LOCATED / f"real_located_{half}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def test_the_located_set_is_sourced_and_split_by_hash() -> None:
    for half, parity in (("dev", 0), ("test", 1)):
        items = _located(half)
        assert len(items) >= 30
        for item in items:
            assert item["locations"] and "@" in item["source"] and "#" in item["source"]
            assert hashlib.sha256(item["text"].encode()).digest()[0] % 2 == parity


@pytest.mark.parametrize(("half", "floor"), [("dev", 0.95), ("test", 0.80)])
def test_real_postings_priced_with_their_places(
    half: str, floor: float, capsys: pytest.CaptureFixture[str]
) -> None:
    items = _located(half)
    right = 0
    for item in items:
        got = parse_pay_text(item["text"], RATES, dollar=local_dollar(item["locations"]))
        want = Pay(item["min"], item["max"], item["currency"], item["period"], source="text")
        right += got == want
    with capsys.disabled():
        print(f"\npay real_located_{half} (n={len(items)}): {right / len(items):.3f}")
    assert right / len(items) >= floor
