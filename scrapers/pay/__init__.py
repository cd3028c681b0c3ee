"""Pay bands: structured values from boards, pay found in posting text, and annualisation.

Public names live here so scrapers import them from one place:
``from scrapers.pay import parse_pay_text, period_from_words, annualise``.
"""

from __future__ import annotations

from scrapers.pay.annual import AnnualPay, annualise
from scrapers.pay.periods import (
    HOURS_PER_YEAR,
    PERIOD_FACTORS,
    period_from_magnitude,
    period_from_words,
)
from scrapers.pay.text import parse_pay_text

__all__ = [
    "HOURS_PER_YEAR",
    "PERIOD_FACTORS",
    "AnnualPay",
    "annualise",
    "parse_pay_text",
    "period_from_magnitude",
    "period_from_words",
]
