"""Pay bands: structured values from boards, pay found in posting text, and annualisation.

The text parser works in two steps so it can grow: find candidate money ranges (currency,
numbers, multipliers, range words), then decide the period from nearby words or, only when
there are none, from the magnitude. Anything that does not look like pay is rejected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from scrapers.currency import Rates
from scrapers.models import Pay, Period

HOURS_PER_YEAR = 2080
PERIOD_FACTORS: dict[str, int] = {"hour": HOURS_PER_YEAR, "day": 260, "week": 52, "month": 12,
                                  "year": 1}

_SYMBOLS = {"$": "USD", "US$": "USD", "€": "EUR", "£": "GBP", "CA$": "CAD", "C$": "CAD",
            "A$": "AUD", "AU$": "AUD", "¥": "JPY", "₹": "INR", "S$": "SGD"}
_CODES = ("USD", "EUR", "GBP", "CAD", "AUD", "CHF", "JPY", "INR", "SGD", "NZD", "SEK", "NOK",
          "DKK", "PLN", "CNY", "HKD", "KRW", "ILS", "BRL", "MXN", "ZAR", "CZK", "AED")

_CUR = r"(?:US\$|CA\$|AU\$|C\$|A\$|S\$|[$€£¥₹]|\b(?:" + "|".join(_CODES) + r")\b)"
_NUM = r"\d{1,3}(?:[,.' \u00a0]\d{2,3})+(?:\.\d{1,2})?|\d+(?:\.\d+)?"
_MULT = r"(?:\s?[kKmM](?![a-zA-Z]))?"
def _amount(n: str) -> str:
    return (rf"(?P<{n}cur1>{_CUR})?\s?(?P<{n}num>{_NUM})(?P<{n}mult>{_MULT})\s?"
            rf"(?P<{n}cur2>{_CUR})?")


_DASHES = "-\u2013\u2014"
_RANGE = re.compile(
    _amount("a_")
    + rf"(?:\s*(?:/\s*(?:hour|hr|yr|year|h))?\s*(?:[{_DASHES}]|to|and)\s*"
    + _amount("b_")
    + r")?",
    re.IGNORECASE,
)

_PERIOD_WORDS: list[tuple[re.Pattern[str], Period]] = [
    (re.compile(r"\b(per|an|a|/)\s*(hour|hr|h)\b|\bhourly\b|/\s*(hour|hr|h)\b", re.I), "hour"),
    (re.compile(r"\b(per|a|/)\s*day\b|\bdaily\b|\bday rate\b", re.I), "day"),
    (re.compile(r"\b(per|a|/)\s*week\b|\bweekly\b", re.I), "week"),
    (re.compile(r"\b(per|a|/)\s*month\b|\bmonthly\b|/\s*mo\b", re.I), "month"),
    (re.compile(r"\b(per|a|/)\s*(year|annum|yr)\b|\bannual(ly)?\b|\byearly\b|/\s*yr\b|\bsalary\b",
                re.I), "year"),
]
_NOT_PAY = re.compile(
    r"401\s*\(?k\)?|stipend|funding|raised|series [a-e]\b|valuation|budget|revenue|users|"
    r"customers|employees|downloads|investors|per cent|percent|%",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class AnnualPay:
    annual_min: float | None
    annual_max: float | None
    annual_min_usd: float | None
    annual_max_usd: float | None


def _to_number(raw: str, mult: str) -> float:
    text = raw.replace("\u00a0", " ").replace("'", ",").replace(" ", ",")
    # "70.000" (thousands dot) vs "100.50" (decimals)
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", text):
        text = text.replace(".", "")
    value = float(text.replace(",", ""))
    factor = {"k": 1_000, "m": 1_000_000}.get(mult.strip().lower(), 1)
    return value * factor


def _currency(symbol: str | None) -> str | None:
    if not symbol:
        return None
    return _SYMBOLS.get(symbol.upper(), _SYMBOLS.get(symbol, symbol.upper()))


def period_from_words(text: str) -> Period | None:
    for pattern, period in _PERIOD_WORDS:
        if pattern.search(text):
            return period
    return None


def period_from_magnitude(amount: float) -> Period:
    """Guess a period when the text names none: $45 is hourly, $8,000 monthly, $150,000 yearly."""
    if amount < 300:
        return "hour"
    if amount < 20_000:
        return "month"
    return "year"


def parse_pay_text(text: str | None) -> Pay | None:
    """Find the first pay range in free text, or None when the text publishes no pay."""
    if not text:
        return None
    for line in re.split(r"(?<=[.!?])\s+|\n", text):
        pay = _parse_line(line)
        if pay is not None:
            return pay
    return None


def _parse_line(line: str) -> Pay | None:
    for match in _RANGE.finditer(line):
        cur = match["a_cur1"] or match["a_cur2"] or match["b_cur1"] or match["b_cur2"]
        currency = _currency(cur)
        if currency is None:
            continue
        low = _to_number(match["a_num"], match["a_mult"] or match["b_mult"] or "")
        high = (
            _to_number(match["b_num"], match["b_mult"] or "") if match["b_num"] else None
        )
        context = line[max(0, match.start() - 60): match.end() + 60]
        if _NOT_PAY.search(context):
            continue
        if high is not None and high < low:
            continue
        if max(low, high or 0) < 7:  # "$5 off", version numbers
            continue
        period = period_from_words(line[match.start():match.end() + 40]) or period_from_magnitude(
            high or low
        )
        return Pay(min=low, max=high if high is not None else low, currency=currency,
                   period=period, source="text")
    return None


def annualise(pay: Pay, rates: Rates) -> AnnualPay:
    factor = PERIOD_FACTORS[pay.period]
    annual_min = round(pay.min * factor, 2) if pay.min is not None else None
    annual_max = round(pay.max * factor, 2) if pay.max is not None else None
    return AnnualPay(
        annual_min=annual_min,
        annual_max=annual_max,
        annual_min_usd=rates.to_usd(annual_min, pay.currency),
        annual_max_usd=rates.to_usd(annual_max, pay.currency),
    )
