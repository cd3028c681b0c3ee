"""Dated reference exchange rates, to express every pay band in US dollars."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

DEFAULT_RATES_FILE = Path(__file__).with_name("data") / "rates.toml"


class RatesError(ValueError):
    """A rates file that cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class Rates:
    """Units of each currency per one US dollar, as of `date`."""

    date: date
    per_usd: dict[str, float]

    def to_usd(self, amount: float | None, currency: str) -> float | None:
        """The amount in US dollars, or None when the currency has no rate (never a guess)."""
        rate = self.per_usd.get(currency.upper())
        if amount is None or rate is None or rate <= 0:
            return None
        return round(amount / rate, 2)

    def as_dict(self) -> dict[str, Any]:
        return {"date": self.date.isoformat(), "base": "USD", "per_usd": dict(self.per_usd)}


def _parse(data: dict[str, Any], path: Path) -> Rates:
    day = data.get("date")
    if isinstance(day, str):
        try:
            day = date.fromisoformat(day)
        except ValueError:
            raise RatesError(
                f"{path}: `date` must be an ISO date such as 2026-11-02, got {day!r}"
            ) from None
    if not isinstance(day, date):
        raise RatesError(f"{path}: missing `date` (the day the rates are from)")
    table = data.get("per_usd")
    if not isinstance(table, dict) or not table:
        raise RatesError(f"{path}: missing [per_usd] table (units of each currency per USD)")
    rates: dict[str, float] = {}
    for code, value in table.items():
        if len(code) != 3 or not code.isalpha():
            raise RatesError(f"{path}: {code!r} is not a three-letter currency code")
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise RatesError(f"{path}: rate for {code} must be a positive number, got {value!r}")
        rates[code.upper()] = float(value)
    rates.setdefault("USD", 1.0)
    return Rates(date=day, per_usd=rates)


@cache
def load_rates(path: Path = DEFAULT_RATES_FILE) -> Rates:
    """Read a rates file (the shipped one by default); raises RatesError on a bad file."""
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except OSError as exc:
        raise RatesError(f"{path}: cannot read the rates file: {exc.strerror or exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise RatesError(f"{path}: invalid TOML: {exc}") from exc
    return _parse(data, path)
