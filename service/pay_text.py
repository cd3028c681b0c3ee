"""One wording of a pay band for people: the dashboard, the Atom feed and chat messages.

Each place keeps its established look (a compact table cell, a feed line, a chat line), but the
rules (which ends are shown, how a one-sided band reads, the posting's own currency and period)
live only here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from store.schemas import PayOut

Style = Literal["compact", "feed", "chat"]
SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£"}


def fmt_money(value: float | None, currency: str = "USD") -> str:
    """ "$180k" (thousands) or "$45.50" in the currency's symbol, else its code."""
    if value is None:
        return "—"
    symbol = SYMBOLS.get(currency, f"{currency} ")
    if abs(value) >= 1000:
        return f"{symbol}{value / 1000:,.0f}k"
    return f"{symbol}{value:,.2f}".replace(".00", "")


@dataclass(frozen=True)
class _Look:
    amount: Callable[[float, str], str]
    joiner: str
    tail: str  # formatted with the currency and the period
    same_once: bool  # a band whose ends are equal shows one figure


LOOKS: dict[Style, _Look] = {
    "compact": _Look(fmt_money, "\u2013", " / {period}", True),
    "feed": _Look(lambda v, _: f"{v:,}", " to ", " {currency} per {period}", False),
    "chat": _Look(lambda v, _: f"{float(v):,.0f}", " - ", " {currency}/{period}", False),
}


def format_pay(pay: PayOut | Mapping[str, Any] | None, style: Style = "compact") -> str:
    """The band in words, or "" when none is published."""
    if pay is None:
        return ""
    band = (
        pay
        if isinstance(pay, PayOut)
        else PayOut.model_validate(
            {name: pay.get(name) for name in PayOut.model_fields}
            | {"currency": pay.get("currency") or "USD", "period": pay.get("period") or "year"}
        )
    )
    look = LOOKS[style]
    ends = [v for v in (band.min, band.max) if v is not None]
    if not ends:
        return ""
    if look.same_once and len(ends) == 2 and ends[0] == ends[1]:
        ends = ends[:1]
    span = look.joiner.join(look.amount(v, band.currency) for v in ends)
    return span + look.tail.format(currency=band.currency, period=band.period)
