"""Pay periods: from words when the text names one, otherwise from the amount's size."""

from __future__ import annotations

import re

from scrapers.currency import Rates
from scrapers.models import Period

HOURS_PER_YEAR = 2080
PERIOD_FACTORS: dict[str, int] = {
    "hour": HOURS_PER_YEAR,
    "day": 260,
    "week": 52,
    "month": 12,
    "year": 1,
}

# A field that holds nothing but a unit ("YEAR", "1 HOUR", "per_month", "Annual Salary").
_BARE_UNITS: dict[str, Period] = {
    "hour": "hour",
    "hours": "hour",
    "hourly": "hour",
    "hr": "hour",
    "h": "hour",
    "day": "day",
    "days": "day",
    "daily": "day",
    "week": "week",
    "weeks": "week",
    "weekly": "week",
    "wk": "week",
    "month": "month",
    "months": "month",
    "monthly": "month",
    "mo": "month",
    "year": "year",
    "years": "year",
    "yearly": "year",
    "annual": "year",
    "annually": "year",
    "annum": "year",
    "yr": "year",
}

# Words that name a period in running text. "5 years of experience" must not count, so a
# bare "year" needs "per", "a", "an" or "/" before it. Postings in Portuguese, Spanish,
# German, Polish, Dutch, French, Italian, Russian, Vietnamese, Chinese and Japanese name periods
# their own way ("R$ 7.000/mês", "por ano", "miesięcznie", "per maand", "par mois", "RAL"
# (Italian gross yearly pay), "в месяц", "/tháng", "月薪", "年収").
_PER = r"(?:\bper|\ban?|/|\bp)\s*"
_PERIOD_WORDS: list[tuple[Period, re.Pattern[str]]] = [
    (
        "hour",
        re.compile(
            rf"{_PER}(?:hour|hr|h)\b|\bhourly\b|\bph\b|\bp/h\b|\bpor hora\b|\bvalor[- ]hora\b|"
            r"/\s*hora\b|\bgodzinowo\b|\bpro stunde\b|/\s*std\b|\bstundenlohn|\bper uur\b|"
            r"\bpar heure\b|/\s*heure\b|\bl'heure\b|\ball'ora\b|/\s*ora\b|\bв час\b|/\s*час|"
            r"\bna godzin[eę]\b|時給|时薪|每小时",
            re.I,
        ),
    ),
    (
        "day",
        re.compile(
            rf"{_PER}(?:day|diem)\b|\bdaily\b|\bday[ -]?rate\b|\bpd\b|\bp/d\b|\bpor d[ií]a\b|"
            r"/\s*d[ií]a\b|\bdi[áa]ria\b|\bpro tag\b|\btagessatz|\bper dag\b|\bpar jour\b|"
            r"/\s*jour\b|\bTJM\b|\bв день\b|/\s*день|日給|日薪|/\s*den\b|\bdenn[ěe]\b",
            re.I,
        ),
    ),
    (
        "week",
        re.compile(
            rf"{_PER}(?:week|wk)\b|\bweekly\b|\bpor semana\b|\bsemanal\b|/\s*semana\b|"
            r"\bpro woche\b|\bper week\b|\bpar semaine\b|\bв неделю\b|週給|周薪",
            re.I,
        ),
    ),
    (
        "month",
        re.compile(
            rf"{_PER}(?:month|mo|mth|mon)\b|\bmonthly\b|"
            rf"\bpcm\b|\bp/m\b|\bpor m[eê]s\b|/\s*m[eê]s\b|"
            r"\bmensa(?:l|is)\b|\bal mes\b|\bmensual\b|\bmonatlich\b|\bpro monat\b|"
            r"\bmiesi[eę]cznie\b|/\s*mies\b|\bmies\.|\bna miesi[aą]c\b|\bim monat\b|/\s*monat\b|"
            r"\bper maand\b|\bpar mois\b|/\s*mois\b|\bmensuel(?:s|le)?\b|\bmensuales\b|"
            r"\bal mese\b|\bmensili\b|\bв месяц\b|/\s*мес|\bв мес\b|\bежемесячно\b|"
            r"/\s*tháng\b|\btháng\b|/\s*月|月薪|月給|月収|每月|一个月",
            re.I,
        ),
    ),
    (
        "year",
        re.compile(
            rf"{_PER}(?:year|yr|annum|anno|y)\b|\bannual(?:ly|ized)?\b|\byearly\b|\bp\.\s?a\b\.?|"
            r"(?<![A-Za-z])LPA\b|\bOTE\b|\bpor an[oõ]\b|\bal año\b|\bpor año\b|/\s*a[ñn]o\b|"
            r"\bpro jahr\b|\bim jahr\b|/\s*jahr\b|\bj[äa]hrlich\b|\bjahresgehalt\b|\brocznie\b|"
            r"\bbrut annuel\b|\bpar an\b|\bper jaar\b|"
            r"\bpro[- ]rata\b|\bannuali[sz]ed\b|(?-i:\bpa\b)|"
            r"\banuales\b|\bannui\b|\bannuo\b|"
            r"(?-i:\bRAL\b)|\bв год\b|/\s*год|/\s*年|年薪|年収|年俸",
            re.I,
        ),
    ),
]


def _bare_unit(text: str) -> Period | None:
    words = re.sub(r"[^a-z]+", " ", text.lower()).split()
    words = [w for w in words if w not in {"per", "a", "an", "one", "pay", "rate", "base"}]
    if len(words) == 1:
        return _BARE_UNITS.get(words[0])
    if len(words) == 2 and words[1] in {"salary", "wage", "compensation"}:
        return _BARE_UNITS.get(words[0])
    return None


def period_from_words(text: str) -> Period | None:
    """The period a text names ("per hour", "/yr", "annual", "1 HOUR", "day rate"), or None.

    When several are named the one written first wins, as in "$45/hour (about $93,600 a year)".
    """
    if not text:
        return None
    return _bare_unit(text) or period_in_text(text)


# Working time is not a pay period: "working 12.5 hours per week ... £30,691 pro-rata".
_WORKING_TIME = re.compile(
    r"\b(?:hours?|hrs?|days?|shifts?|nights?)\s*(?:per|a|an|/|each|every)\s*(?:week|wk|day|month)\b",
    re.IGNORECASE,
)


def period_in_text(text: str) -> Period | None:
    """The period named in running text ("per annum", "$45/hr", "monthly"), earliest first."""
    text = _WORKING_TIME.sub(lambda m: " " * len(m.group()), text)
    found: list[tuple[int, Period]] = []
    for period, pattern in _PERIOD_WORDS:
        match = pattern.search(text)
        if match is not None:
            found.append((match.start(), period))
    return min(found)[1] if found else None


def period_from_magnitude(amount: float, currency: str | None, rates: Rates) -> Period:
    """Guess a period when the text names none: $45 is hourly, $8,000 monthly, $150,000 yearly.

    With a currency the amount is compared in US dollars at the given rates, so ¥8,000,000
    reads as a year.
    """
    usd = amount
    per_usd = 1.0
    if currency and currency.upper() != "USD":
        converted = rates.to_usd(amount, currency)
        usd = converted if converted is not None else amount
        per_usd = rates.per_usd.get(currency.upper(), 1.0)
    # A small sum in US dollars is an hourly rate, but R$ 1,500 or ₹ 40,000 is a month's pay
    # where wages are low: a four-digit sum is only hourly in currencies worth a cent or so
    # (¥ 1,500, ₩ 12,000).
    # Where a four-digit sum is hourly, a six-digit one can still be a month's pay under $300
    # ("NGN 250,000 - 400,000"): from six digits an hourly rate is taken to be under $60.
    if usd < 300 and (amount < 1000 or (per_usd >= 100 and (amount < 100_000 or usd < 60))):
        return "hour"
    if usd < 15_000:
        return "month"
    return "year"
