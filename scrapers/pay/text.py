"""Pay published in a posting's free text.

Two steps: find money amounts (currency, number, multiplier) and pair neighbours joined by a
range word into bands; then keep the first band that reads as pay. A band is refused when the
words around it speak of something else (funding, budgets, stipends, 401(k), user counts), and
a base salary is preferred to an on-target-earnings figure. The period comes from words next to
the band and, only when there are none, from its size.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

from scrapers.currency import load_rates
from scrapers.models import Pay, Period
from scrapers.pay.money import CURRENCY, MULTIPLIER, NUMBER, currency_code, multiplier, to_number
from scrapers.pay.periods import PERIOD_FACTORS, period_from_magnitude, period_in_text

_AMOUNT = re.compile(
    rf"(?<![\w.,])(?:(?P<cur1>{CURRENCY})\s?)?(?P<num>{NUMBER})(?P<mult>{MULTIPLIER})?"
    rf"(?:\s?(?P<cur2>{CURRENCY}))?(?![\w%])",
)
_UNIT = r"(?:hour|hr|h|day|week|wk|month|mo|year|yr|annum)"
# What may stand between the two ends of a range: "-", "to", "and", optionally after a unit
# written on the first end ("$45/hour - $100/hour").
_BETWEEN = re.compile(
    rf"\s*(?:/\s*{_UNIT}|(?:per|an?)\s+{_UNIT})?\s*(?:[-\u2010-\u2015~\u301c\uff5e]+|to|and|bis|à)\s*$",
    re.IGNORECASE,
)
# Clause boundaries. Words before a band count back to the start of its sentence ("401(k)
# contributions you make, up to $10,000"); words after it only up to the next comma, since
# what follows is often a list of other benefits ("$150k, equity, 401(k) match").
_SENTENCE_END = re.compile(r"[|•·;\n\r\t]|(?<=[^\d\s][.!?])\s|\s[-\u2013\u2014]\s(?=[A-Za-z])")
_CLAUSE_END = re.compile(_SENTENCE_END.pattern + r"|,\s")
_LEFT_WINDOW = 150
_RIGHT_WINDOW = 80

_NOT_PAY = re.compile(
    r"401\s*\(?k\)?|403\s*\(?b\)?|stipend|allowance|reimburs|budget|fund(?:ing|ed|raise)?\b|"
    r"raised?\b|raising|series\s+[a-f]\b|seed\b|\bround\b|valuation|revenue|\bARR\b|\bMRR\b|"
    r"\bGMV\b|\bAUM\b|under management|market cap|investors|invest(?:ed|ment)|backed by|acquir|"
    r"grants?\b|signing|sign-on|relocation|referral|credits?\b|discount|\boff\b|prize|donat|"
    r"\bfees?\b|\bcosts?\b|\bprice|\bspend\b|wellness|gym|equipment|home[- ]office|commut|"
    r"transit|\bmeals?\b|lunch|childcare|fertility|per cent|percent",
    re.IGNORECASE,
)
# Counted things after a sum ("$5 per user", "$2M from 300 customers"). Before a sum such
# words are often the people paid ("Team members in this role earn ..."), so only after.
_COUNTED = re.compile(r"\busers?\b|customers?|clients?|members|employees|downloads|per seat",
                      re.IGNORECASE)
# A bonus named right next to a sum ("$5k annual bonus", "a bonus of $5,000"); a bonus
# mentioned after the pay band ("$150k + bonus") leaves the band alone.
_BONUS_AFTER = re.compile(r"^\s*(?:[a-z-]+\s+)?bonus", re.IGNORECASE)
_BONUS_BEFORE = re.compile(r"bonus(?:es)?\s+(?:of\s+)?(?:up\s+to\s+)?(?:an?\s+)?$", re.IGNORECASE)
_OTE = re.compile(r"\bOTE\b|on[- ]target|commission|total (?:target )?(?:cash|comp)|\bTTC\b|"
                  r"variable|uncapped", re.IGNORECASE)
_MAX_ONLY = re.compile(r"(?:up\s*to|upto|max(?:imum)?|as much as|not to exceed|under|below)\s*:?"
                       r"\s*$", re.IGNORECASE)
_MIN_ONLY = re.compile(r"(?:from|\bab|starting(?:\s+(?:at|from))?|starts?\s+at|at least|"
                       r"min(?:imum)?(?:\s+of)?|over|above|more than)\s*:?\s*$", re.IGNORECASE)
_OPEN_ABOVE = re.compile(r"^\s*(?:\+|and (?:up|above)|or (?:more|above)|plus\b(?!\s*(?:equity|"
                         r"bonus|benefits|commission)))", re.IGNORECASE)
# The most a year's pay is believed to be, in USD: bigger figures are funding or revenue.
_MAX_ANNUAL_USD = 1_500_000
_MIN_AMOUNT = 7  # "$5 off", version numbers


@dataclass(frozen=True)
class _Amount:
    start: int
    end: int
    value: float
    raw_value: float  # before a multiplier written only on the other end of a range
    scaled: bool
    currency: str | None
    dollar: bool  # a bare "$", which may stand for the dollars named on the other end


@dataclass(frozen=True)
class _Band:
    start: int
    end: int
    low: float
    high: float | None
    currency: str


def _amounts(text: str) -> list[_Amount]:
    found = []
    for m in _AMOUNT.finditer(text):
        cur = currency_code(m["cur1"]) or currency_code(m["cur2"])
        if (m["cur1"] or m["cur2"]) and cur is None:
            continue
        raw = to_number(m["num"])
        factor = multiplier(m["mult"])
        dollar = (m["cur1"] or m["cur2"] or "").strip() == "$"
        found.append(_Amount(m.start(), m.end(), raw * factor, raw, m["mult"] is not None, cur,
                             dollar))
    return found


def _common_currency(a: _Amount, b: _Amount) -> str | None:
    """The currency of a range, when its ends agree ("CAD $110,000 - $140,000" is CAD)."""
    if a.currency is None or b.currency is None or a.currency == b.currency:
        return a.currency or b.currency
    if b.dollar and a.currency.endswith("D"):
        return a.currency
    if a.dollar and b.currency.endswith("D"):
        return b.currency
    return None


def _bands(text: str, amounts: list[_Amount]) -> Iterator[_Band]:
    i = 0
    while i < len(amounts):
        a = amounts[i]
        b = amounts[i + 1] if i + 1 < len(amounts) else None
        if b is not None and _BETWEEN.match(text[a.end:b.start]):
            low = a.value
            if not a.scaled and b.scaled and a.raw_value < b.raw_value:
                low = a.value * (b.value / b.raw_value)  # "$90-110k"
            currency = _common_currency(a, b)
            if currency and low <= b.value <= max(low, 1) * 20:
                yield _Band(a.start, b.end, low, b.value, currency)
                i += 2
                continue
        if a.currency:
            yield _Band(a.start, a.end, a.value, None, a.currency)
        i += 1


def _clause(text: str, start: int, end: int, money: tuple[list[int], list[int]]
            ) -> tuple[str, str]:
    """The words before and after a band, up to a boundary or another sum of money.

    `money` holds the start and end offsets of amounts with a currency, in text order; bare
    numbers such as the "401" of "401(k)" do not end a clause.
    """
    starts, ends = money
    lower = max(0, start - _LEFT_WINDOW)
    before = bisect_right(ends, start)
    if before:
        lower = max(lower, ends[before - 1])
    left_limit = max([lower] + [m.end() for m in _SENTENCE_END.finditer(text, lower, start)])
    right_limit = min(len(text), end + _RIGHT_WINDOW)
    after = bisect_left(starts, end)
    if after < len(starts):
        right_limit = min(right_limit, starts[after])
    stop = _CLAUSE_END.search(text, end, right_limit)
    if stop is not None:
        right_limit = stop.start()
    return text[left_limit:start], text[end:right_limit]


def _to_pay(band: _Band, left: str, right: str) -> Pay | None:
    if (_NOT_PAY.search(left) or _NOT_PAY.search(right) or _COUNTED.search(right)
            or _BONUS_AFTER.match(right) or _BONUS_BEFORE.search(left)):
        return None
    low: float | None = band.low
    high: float | None = band.high
    if high is None:
        if _MAX_ONLY.search(left):
            low, high = None, band.low
        elif _MIN_ONLY.search(left) or _OPEN_ABOVE.match(right):
            high = None
        else:
            high = band.low
    top = high if high is not None else band.low
    if top < _MIN_AMOUNT:
        return None
    period: Period = (period_in_text(right) or period_in_text(left)
                      or period_from_magnitude(top, band.currency))
    usd = load_rates().to_usd(top * PERIOD_FACTORS[period], band.currency)
    if usd is not None and usd > _MAX_ANNUAL_USD:
        return None
    return Pay(min=low, max=high, currency=band.currency, period=period, source="text")


def parse_pay_text(text: str | None) -> Pay | None:
    """The first pay band published in free text, or None when the text publishes none.

    Base pay wins over on-target earnings; among several zones the first listed is taken.
    """
    if not text:
        return None
    amounts = _amounts(text)
    money = ([a.start for a in amounts if a.currency], [a.end for a in amounts if a.currency])
    fallback: Pay | None = None
    for band in _bands(text, amounts):
        left, right = _clause(text, band.start, band.end, money)
        pay = _to_pay(band, left, right)
        if pay is None:
            continue
        if not (_OTE.search(left) or _OTE.search(right)):
            return pay
        fallback = fallback or pay
    return fallback
