"""Currencies and numbers as job postings write them."""

from __future__ import annotations

import re

# Symbols with a country prefix come first so "CA$" is not read as "$".
SYMBOLS: dict[str, str] = {
    "US$": "USD",
    "USD$": "USD",
    "CA$": "CAD",
    "CAD$": "CAD",
    "C$": "CAD",
    "A$": "AUD",
    "AU$": "AUD",
    "AUD$": "AUD",
    "NZ$": "NZD",
    "S$": "SGD",
    "SG$": "SGD",
    "HK$": "HKD",
    "R$": "BRL",
    "MX$": "MXN",
    "NT$": "TWD",
    "CN¥": "CNY",
    "RMB": "CNY",
    "$": "USD",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "￥": "JPY",
    "₹": "INR",
    "₩": "KRW",
    "₪": "ILS",
    "₺": "TRY",
    "₱": "PHP",
    "zł": "PLN",
    "Fr.": "CHF",
    "Rs.": "INR",
    "Rs": "INR",
    "円": "JPY",
    "元": "CNY",  # yuan; in traditional script, New Taiwan dollars (``scrapers.pay.text``)
    "人民币": "CNY",
    "台幣": "TWD",
    "新台幣": "TWD",
    "新台币": "TWD",
    "EURO": "EUR",
    "EUROS": "EUR",
    "REAIS": "BRL",
    "DOLLAR": "USD",
    "DOLLARS": "USD",
    "RUPEES": "INR",
    "FRANKEN": "CHF",
    "RM": "MYR",
    "Rp": "IDR",
    "원": "KRW",
    "₫": "VND",
    "₦": "NGN",
    "₴": "UAH",
    "฿": "THB",
    "Kč": "CZK",
    "₽": "RUB",
    "руб": "RUB",
    "руб.": "RUB",
    "рублей": "RUB",
    "₸": "KZT",
    "₾": "GEL",
    "৳": "BDT",
    "₼": "AZN",
    "Ft": "HUF",
    "lei": "RON",
    "/-": "INR",  # "18,000/-": Indian notation for a sum in rupees
}
# ISO 4217 codes recognised in text; a code for a currency missing from the rate table
# still parses, it just gets no USD value.
CODES: frozenset[str] = frozenset(
    (
        "USD",
        "EUR",
        "GBP",
        "CAD",
        "AUD",
        "NZD",
        "CHF",
        "JPY",
        "CNY",
        "HKD",
        "SGD",
        "INR",
        "KRW",
        "SEK",
        "NOK",
        "DKK",
        "PLN",
        "CZK",
        "ILS",
        "AED",
        "BRL",
        "MXN",
        "ZAR",
        "TWD",
        "TRY",
        "HUF",
        "RON",
        "PHP",
        "IDR",
        "MYR",
        "THB",
        "VND",
        "ARS",
        "CLP",
        "COP",
        "PEN",
        "NGN",
        "KES",
        "EGP",
        "SAR",
        "UAH",
        "BGN",
        "ISK",
        "RUB",
        "KZT",
        "GEL",
        "AZN",
        "AMD",
        "BYN",
        "RSD",
        "PKR",
        "BDT",
        "LKR",
        "NPR",
        "QAR",
        "KWD",
        "BHD",
        "OMR",
        "MAD",
        "TND",
        "UZS",
        "GHS",
        "UYU",
    )
)
# Codes may be glued to the number ("500EUR", "145kUSD", "USD115,000"), so they are delimited
# by letters rather than by word boundaries (digits are word characters).
CURRENCY = (
    r"(?:(?<![A-Za-z])(?:USD|CAD|AUD|NZD|SGD|HKD|MXN)\s\$|(?<![A-Za-z])(?:US|USD|CAD?|C|AUD?|A|NZ|SG?"
    r"|HK|R|MX|NT)\$|(?<![A-Za-z])CN¥|[$€£¥￥₹₩₪₺₱円元원₫₦₴฿₽₸₾৳₼]|人民币|新?台[幣币]"
    r"|(?<![A-Za-z])(?:RM|Rp|Kč|Ft|lei)(?![A-Za-z])|/-(?![\d-])"
    # roubles written as a word ("150 000 руб.", "рублей")
    r"|(?<![А-Яа-яЁё])(?:рублей|руб\.?)(?![А-Яа-яЁё])"
    r"|(?:(?<![A-Za-z])|(?<=\d[kKmM]))(?:"
    + "|".join(sorted(CODES))
    + r"|RMB|Rs\.?|zł|Fr\.|(?i:euros?|reais|dollars?|rupees|franken))(?![A-Za-z]))"
)
# Thousands grouped by "," "." "'" (straight or curly) or (thin) spaces, with optional
# decimals; Indian grouping (25,00,000) too. Otherwise a run of digits with optional decimals.
# A lone "0" opens no group of thousands: "$0.034 per word" is three cents, not $34.
NUMBER = (
    r"(?!0[,.'\u2018\u2019 \u00a0\u202f])\d{1,3}"
    r"(?:(?:[,.'\u2018\u2019]|[ \u00a0\u202f](?=\d{3}\b))\d{2,3})+"
    r"(?:[.,]\d{1,2}(?!\d))?"
    r"|\d+(?:[.,]\d{1,2}(?!\d))?"
)
INDIAN_GROUPING = re.compile(r"^\d{1,2},\d{2},\d{3}\b")
MULTIPLIERS: dict[str, float] = {
    "k": 1e3,
    "thousand": 1e3,
    "m": 1e6,
    "mm": 1e6,
    "mn": 1e6,
    "million": 1e6,
    "b": 1e9,
    "bn": 1e9,
    "billion": 1e9,
    "l": 1e5,
    "lakh": 1e5,
    "lakhs": 1e5,
    "lac": 1e5,
    "lacs": 1e5,
    "lpa": 1e5,
    "cr": 1e7,
    "crore": 1e7,
    "万": 1e4,
    "萬": 1e4,
    "만": 1e4,
    "mil": 1e3,
    "tr": 1e6,
    "triệu": 1e6,
    "trillion": 1e12,
    "tys": 1e3,
    "tsd": 1e3,
    "тыс": 1e3,
    "млн": 1e6,
    "тр": 1e3,
    "труб": 1e3,
    "тысруб": 1e3,
    "тыср": 1e3,
}
# "K" glued to a capitalised word is still a multiplier ("£ 182KJob location").
# Polish "tys.", German "Tsd." and Russian "тыс." are thousands ("15 tys. zł", "от 150 тыс.");
# Russian "т.р." / "т.руб" / "тыс. руб." are thousands of roubles in one word.
MULTIPLIER = (
    r"(?:\s?(?i:thousand|million|billion|trillion|lakhs?|lacs?|crore|mm|mn|bn|lpa|cr|mil"
    r"|triệu|tys\.?|tsd\.?|(?:т\.\s?|тыс\.?\s?)р(?:уб)?\.?|тыс\.?|млн|tr|[kmbl万萬만])"
    # not before a letter with a diacritic either: the "K" of "45 000 Kč" is the currency's
    r"(?=$|[^A-Za-z\u00c0-\u024f]|[A-Z][a-z]|(?:" + "|".join(sorted(CODES)) + r"|RMB)(?![A-Za-z])))"
)
# Multipliers that name their currency when the text names none, and the period they imply
# ("3.5lpa", "12 lakhs" are yearly rupees; "25tr" is millions of dong).
CURRENCY_OF_MULTIPLIER: dict[str, str] = {
    "l": "INR",
    "lakh": "INR",
    "lakhs": "INR",
    "lac": "INR",
    "lacs": "INR",
    "lpa": "INR",
    "cr": "INR",
    "crore": "INR",
    "tr": "VND",
    "triệu": "VND",
    "тр": "RUB",
    "труб": "RUB",
    "тысруб": "RUB",
    "тыср": "RUB",
}
YEARLY_MULTIPLIERS = frozenset(("l", "lakh", "lakhs", "lac", "lacs", "lpa", "cr", "crore"))
# "mil" is a thousand in Portuguese and Spanish ("R$ 8 mil") but a million in English
# slang ("$71mil").
_MIL_IS_MILLION = frozenset(("USD", "GBP", "CAD", "AUD", "NZD"))


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
    """Read "180,000", "70.000", "140'000", "21‘150", "25,00,000", "55 000", "100,000.00" or
    "211.4"."""
    text = re.sub(r"[\s\u00a0\u202f'\u2018\u2019]", ",", raw)
    last = max(text.rfind(","), text.rfind("."))
    if last >= 0 and len(text) - last - 1 in (1, 2):
        # the final separator is a decimal mark ("211.4", "100.000,50", "1,5")
        whole, decimals = text[:last], text[last + 1 :]
        return float(re.sub(r"[,.]", "", whole) + "." + decimals)
    return float(re.sub(r"[,.]", "", text))


def canonical_multiplier(word: str | None) -> str:
    """A multiplier as written, lower-cased and without spaces or dots ("тыс. руб." → "тысруб")."""
    return re.sub(r"[\s.]", "", word or "").lower()


def multiplier(word: str | None, currency: str | None = None) -> float:
    if not word:
        return 1.0
    word = canonical_multiplier(word)
    if word == "mil" and currency in _MIL_IS_MILLION:
        return 1e6
    return MULTIPLIERS.get(word, 1.0)
