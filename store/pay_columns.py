"""The one mapping between a pay band (``Pay`` + ``AnnualPay``) and the posting's pay columns."""

from __future__ import annotations

from typing import Any, cast

from scrapers.models import Pay, Period
from scrapers.pay import AnnualPay
from store.models import Posting

PAY_COLUMNS = (
    "pay_min",
    "pay_max",
    "pay_currency",
    "pay_period",
    "pay_annual_min",
    "pay_annual_max",
    "pay_annual_min_usd",
    "pay_annual_max_usd",
    "pay_source",
)


def pay_columns(pay: Pay | None, annual: AnnualPay | None) -> dict[str, Any]:
    """Column values for a band and its annual/USD figures (all None when nothing is published)."""
    if pay is None or annual is None:
        return dict.fromkeys(PAY_COLUMNS)
    return {
        "pay_min": pay.min,
        "pay_max": pay.max,
        "pay_currency": pay.currency,
        "pay_period": pay.period,
        "pay_annual_min": annual.annual_min,
        "pay_annual_max": annual.annual_max,
        "pay_annual_min_usd": annual.annual_min_usd,
        "pay_annual_max_usd": annual.annual_max_usd,
        "pay_source": pay.source,
    }


def stored_pay(posting: Posting) -> tuple[Pay, AnnualPay] | None:
    """The band stored on a posting, or None when it publishes none."""
    if posting.pay_currency is None or posting.pay_period is None:
        return None
    pay = Pay(
        min=posting.pay_min,
        max=posting.pay_max,
        currency=posting.pay_currency,
        period=cast(Period, posting.pay_period),
        source="text" if posting.pay_source == "text" else "structured",
    )
    annual = AnnualPay(
        annual_min=posting.pay_annual_min,
        annual_max=posting.pay_annual_max,
        annual_min_usd=posting.pay_annual_min_usd,
        annual_max_usd=posting.pay_annual_max_usd,
    )
    return pay, annual
