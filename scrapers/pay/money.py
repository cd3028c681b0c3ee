"""Currencies and numbers as job postings write them."""

from __future__ import annotations

import re

# Symbols with a country prefix come first so "CA$" is not read as "$".
SYMBOLS: dict[str, str] = {
    "US$": "USD", "USD$": "USD", "CA$": "CAD", "CAD$": "CAD", "C$": "CAD", "A$": "AUD",
    "AU$": "AUD", "AUD$": "AUD", "NZ$": "NZD", "S$": "SGD", "SG$": "SGD", "HK$": "HKD",
    "R$": "BRL", "MX$": "MXN", "NT$": "TWD", "CN¥": "CNY", "RMB": "CNY", "$": "USD", "€": "EUR",
    "£": "GBP", "¥": "JPY", "￥": "JPY", "₹": "INR", "₩": "KRW", "₪": "ILS", "₺": "TRY",
    "₱": "PHP", "zł": "PLN", "Fr.": "CHF", "Rs.": "INR", "Rs": "INR",
}
# ISO 4217 codes recognised in text; a code for a currency missing from the rate table
# still parses, it just gets no USD value.
CODES: frozenset[str] = frozenset(
    ("USD", "EUR", "GBP", "CAD", "AUD", "NZD", "CHF", "JPY", "CNY", "HKD", "SGD", "INR", "KRW",
     "SEK", "NOK", "DKK", "PLN", "CZK", "ILS", "AED", "BRL", "MXN", "ZAR", "TWD", "TRY", "HUF",
     "RON", "PHP", "IDR", "MYR", "THB", "VND", "ARS", "CLP", "COP", "PEN", "NGN", "KES", "EGP",
     "SAR", "UAH", "BGN", "ISK")
)
CURRENCY = (
    r"(?:\b(?:USD|CAD|AUD|NZD|SGD|HKD|MXN)\s\$|\b(?:US|USD|CAD?|C|AUD?|A|NZ|SG?|HK|R|MX|NT)\$"
    r"|\bCN¥|[$€£¥￥₹₩₪₺₱]"
    r"|\b(?:" + "|".join(sorted(CODES)) + r"|RMB|Rs\.?|zł|Fr\.)(?![A-Za-z]))"
)
# Thousands grouped by "," "." "'" (straight or curly) or (thin) spaces, with optional
# decimals; Indian grouping (25,00,000) too. Otherwise a run of digits with optional decimals.
NUMBER = (r"\d{1,3}(?:(?:[,.'\u2019]|[ \u00a0\u202f](?=\d{3}\b))\d{2,3})+(?:[.,]\d{1,2}(?!\d))?"
          r"|\d+(?:[.,]\d{1,2}(?!\d))?")
MULTIPLIERS: dict[str, float] = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mm": 1e6, "mn": 1e6,
                                 "million": 1e6, "b": 1e9, "bn": 1e9, "billion": 1e9,
                                 "l": 1e5, "lakh": 1e5, "lakhs": 1e5, "lac": 1e5, "lpa": 1e5,
                                 "cr": 1e7, "crore": 1e7, "万": 1e4}
MULTIPLIER = (r"(?:\s?(?i:thousand|million|billion|lakhs?|lac|crore|mm|mn|bn|lpa|cr|[kmbl万])"
              r"(?![A-Za-z]))")


def currency_code(symbol: str | None) -> str | None:
    """ISO code for a symbol or code as written ("CA$" → CAD, "CAD $" → CAD, "chf" → CHF)."""
    if not symbol:
        return None
    symbol = re.sub(r"^([A-Z]{3})\s\$$", r"\1", symbol.strip())
    if symbol in SYMBOLS:
        return SYMBOLS[symbol]
    upper = symbol.upper()
    if upper in SYMBOLS:
        return SYMBOLS[upper]
    return upper if upper in CODES else None


def to_number(raw: str) -> float:
    """Read "180,000", "70.000", "140'000", "25,00,000", "55 000", "100,000.00" or "211.4"."""
    text = re.sub(r"[\s\u00a0\u202f'\u2019]", ",", raw)
    last = max(text.rfind(","), text.rfind("."))
    if last >= 0 and len(text) - last - 1 in (1, 2):
        # the final separator is a decimal mark ("211.4", "100.000,50", "1,5")
        whole, decimals = text[:last], text[last + 1:]
        return float(re.sub(r"[,.]", "", whole) + "." + decimals)
    return float(re.sub(r"[,.]", "", text))


def multiplier(word: str | None) -> float:
    if not word:
        return 1.0
    return MULTIPLIERS.get(word.strip().lower(), 1.0)
