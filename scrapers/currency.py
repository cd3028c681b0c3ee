"""Dated reference exchange rates, to express every pay band in US dollars."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

DEFAULT_RATES_FILE = Path(__file__).with_name("data") / "rates.toml"


@dataclass(frozen=True)
class Rates:
    date: date
    per_usd: dict[str, float]

    def to_usd(self, amount: float | None, currency: str) -> float | None:
        rate = self.per_usd.get(currency.upper())
        if amount is None or rate is None or rate <= 0:
            return None
        return round(amount / rate, 2)


@cache
def load_rates(path: Path = DEFAULT_RATES_FILE) -> Rates:
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    try:
        day = data["date"]
        rates = {code.upper(): float(value) for code, value in data["per_usd"].items()}
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"{path}: expected `date` and a [per_usd] table of numbers") from exc
    if isinstance(day, str):
        day = date.fromisoformat(day)
    return Rates(date=day, per_usd=rates)
