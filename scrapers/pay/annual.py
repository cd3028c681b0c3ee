"""Annual and US-dollar equivalents of a pay band, as the contract defines them."""

from __future__ import annotations

from dataclasses import dataclass

from scrapers.currency import Rates
from scrapers.models import Pay
from scrapers.pay.periods import PERIOD_FACTORS


@dataclass(frozen=True)
class AnnualPay:
    annual_min: float | None
    annual_max: float | None
    annual_min_usd: float | None
    annual_max_usd: float | None


def annualise(pay: Pay, rates: Rates) -> AnnualPay:
    """Scale the band to a year (2080 h, 260 d, 52 w, 12 m) and convert it to USD.

    USD values are None when the currency is missing from the rate table: an unknown rate
    must not pass for a real figure.
    """
    if pay.period is None:
        raise ValueError("annualise needs a pay period; enrich settles it first")
    factor = PERIOD_FACTORS[pay.period]
    annual_min = round(pay.min * factor, 2) if pay.min is not None else None
    annual_max = round(pay.max * factor, 2) if pay.max is not None else None
    return AnnualPay(
        annual_min=annual_min,
        annual_max=annual_max,
        annual_min_usd=rates.to_usd(annual_min, pay.currency),
        annual_max_usd=rates.to_usd(annual_max, pay.currency),
    )
