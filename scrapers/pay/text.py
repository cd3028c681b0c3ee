"""Pay published in a posting's free text.

Two steps: find money amounts (currency, number, multiplier) and pair neighbours joined by a
range word into bands; then keep the first band that reads as pay. A band is refused when the
words around it speak of something else (funding, budgets, stipends, allowances, bounties,
401(k), user counts, wage statistics), and a base salary is preferred to an on-target-earnings
figure. The period comes from words next to the band and, only when there are none, from its
size.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

from scrapers.currency import Rates
from scrapers.models import Pay, Period
from scrapers.pay.money import (
    CURRENCY,
    CURRENCY_OF_MULTIPLIER,
    INDIAN_GROUPING,
    MULTIPLIER,
    NUMBER,
    YEARLY_MULTIPLIERS,
    canonical_multiplier,
    currency_code,
    multiplier,
    to_number,
)
from scrapers.pay.periods import PERIOD_FACTORS, period_from_magnitude, period_in_text

# Digits may touch letters of scripts without spaces ("年収1000万円") and a capitalised word
# ("£ 182KJob location"), but not other Latin letters or another number: "$100,0000" is a
# typo, not $100.
_AMOUNT = re.compile(
    rf"(?<![A-Za-z0-9.,])(?:(?P<cur1>{CURRENCY})\s?)?(?P<num>{NUMBER})(?P<mult>{MULTIPLIER})?"
    rf"(?:\s?(?P<cur2>{CURRENCY}))?(?![a-z0-9%]|[A-Z](?![a-z])|[.,]\d)",
)
_UNIT = r"(?:hour|hr|h|day|week|wk|month|mo|year|yr|annum)"
# What may stand between the two ends of a range: "-", "to", "and", "a"/"e"/"até" (Portuguese),
# "y"/"hasta" (Spanish), "do" (Polish), "bis"/"und", "à"/"et" (French), "tot"/"en" (Dutch),
# "до" (Russian), "up to"/"upto" and "through", "->", optionally after a unit written on the
# first end ("$45/hour - $100/hour"), the rupee mark "/-" ("18,000/-25,000/-") or the ",-" of
# whole euros ("EUR 3091,- en maximaal EUR 5586,-").
_BETWEEN = re.compile(
    rf"(?:[,.]-{{1,2}})?\s*(?:/\s*{_UNIT}|(?:per|an?)\s+{_UNIT}|/(?=-))?\s*(?:->|=>|→|[-\u2010-\u2015~\u301c\uff5e]+|"
    r"(?:up\s*)?to|through|thru|and|a|e|y|et|en|und|até|hasta|do|bis|tot|à|до)"
    # "minimaal EUR 3091,- en maximaal EUR 5586,-": the upper end named as a maximum
    r"(?:\s*(?:max(?:imum|imal|imaal)?\.?|h[öo]chstens))?\s*$",
    re.IGNORECASE,
)
# Clause boundaries. Words before a band count back to the start of its sentence ("401(k)
# contributions you make, up to $10,000"); words after it only up to the next comma, since
# what follows is often a list of other benefits ("$150k, equity, 401(k) match").
# An abbreviation's full stop ("bzw.", "inkl.", "e.g.") ends no sentence.
_ABBREVIATION = (
    r"(?<!\bbzw\.)(?<!\binkl\.)(?<!\bca\.)(?<!\bvs\.)(?<!\betc\.)(?<!\bz\.B\.)"
    r"(?<!\be\.g\.)(?<!\bi\.e\.)(?<!\b[Mm]ax\.)(?<!\b[Mm]in\.)"
)
_SENTENCE_END = re.compile(
    rf"[|•·;\n\r\t]|(?<=[^\d\s][.!?]){_ABBREVIATION}\s|\s[-\u2013\u2014]\s(?=[A-Za-z])"
)
# After a band, " + " starts the other parts of a package ("150-250k USD/year gross salary +
# tokens (up to 750k total compensation by current valuation)").
# A capitalised label with a colon starts another field of a summary ("Base salary: $45-$65k
# Equity: We want you invested in ...").
_CLAUSE_END = re.compile(_SENTENCE_END.pattern + r"|,\s|\s\+\s|\s(?=[A-Z][A-Za-z]*:\s)")
# A line or sentence, without the " - " splits of "Company - Remote - $150k" headers: the
# reach of statements such as "National Living Wage will increase: for those 25 and over -
# from £8.21".
_LINE_END = re.compile(rf"[|•·;\n\r\t]|(?<=[^\d\s][.!?]){_ABBREVIATION}\s")
_LEFT_WINDOW = 150
_RIGHT_WINDOW = 80

_NOT_PAY = re.compile(
    r"401\s*\(?k\)?|403\s*\(?b\)?|stipend|allowance|reimburs|fund(?:ing|ed|raise)?\b|"
    # a budget, but not "the budgeted compensation amount for this role"
    r"budget(?!ed\s+(?:compensation|salary|pay|base)\b)|"
    r"raised?\b|raising|series\s+[a-f]\b|seed\b|\bround\b|valuation|revenue|\bARR\b|\bMRR\b|"
    r"\bGMV\b|\bAUM\b|under management|market cap|investors|invest(?:ed|ment)|backed by|acquir|"
    r"grants?\b|signing|sign[- ]on\b|onboarding\b|relocation|referral|"
    # credits given, not experience credited towards pay ("if we can credit your experience")
    r"credits?\b(?!\s+(?:\w+\s+)?experience)|discount|"
    r"\boff\b|prize|donat|\bgifts?\b|"
    # travel paid for in Russian ("Проезд работников оплачивается")
    r"проезд|"
    # German bonuses, referral rewards, holiday and Christmas pay
    r"empfehlung|(?:weihnachts|urlaubs)geld|"
    # allowances in German and Japanese ("Ausbildungszulage", "住宅手当")
    r"zulage|手当|"
    # allowances, subsidies and bonuses in Chinese ("公司补贴100元", "全勤奖300元", "餐补")
    r"补贴|補貼|津贴|津貼|[奖獎]|餐[补補]|"
    r"\bfees?\b|\bcosts?\b|\bprice|\bspend(?:s|ing)?\b|wellness|gym|equipment|home[- ]office|"
    r"commut|transit|\bmeals?\b|lunch|childcare|fertility|per cent|percent|\bworth\b|bount|"
    r"\brewards?\b|\bovertime\b|(?<![Nn]on-)(?<!for-)\bprofit|one[- ]time|one-off|"
    # a benefit's amount: "£1250 of savings available"
    r"\bof savings\b|"
    # sales deal sizes and fees paid per piece of work rather than for time
    r"\bdeals?\b|\bACV\b|contract value|\bquotas?\b|sales pipeline|book of business|"
    r"\b(?:per|each|for every) (?:pull request|pr|task|approv|accepted|completed|review|test|"
    r"submission|survey|article|video|sale|lead|closed|booking|placement|hire|pages?\b|"
    r"lesson|class|session|"
    r"(?:\d+\s+)?words?\b)|"
    # benefits and costs in Portuguese and Spanish: meal and transport vouchers, allowances,
    # benefit cards, an accountant's fee, a project's price
    r"aux[ií]lio|\bbolsa\b|\bvale\b|(?-i:\bV[RAT]\b)|alimenta[cç]|refei[cç]|cart[aã]o|contador|\bcusto|"
    r"\bpre[cç]o|\bcobr(?:ar|o|ei|amos)\b|\bentreg(?:ar|o|ei|amos)\b",
    re.IGNORECASE,
)
# Statements about wages rather than an offer: statistics, surveys, legal minimums, what a
# profession earns ("The highest salary of a Software Engineer is INR 2 Crore per annum").
_STATEMENT = re.compile(
    r"living wage|minimum wage|\bmedian\b|(?<!above )(?<!above-)(?<!than )\baverage\b|"
    # "statistics" as a field of work ("Data Scientist, Statistics — $110-$130k") is no statement
    r"\bstatistics? (?:show|suggest|from|on|for)\b|\b(?:labou?r|wage|salary|official|"
    r"government|national) statistic|\bsurvey|respondents|"
    # salary guides: what people can expect or have reported, examples gathered from postings
    r"\byou can expect\b|\bhave reported\b|\bcommonly\b|\bexamples? (?:from|of)\b|"
    # what someone else earns ("Junior SDE earns ₹4–10 LPA"), market salaries ("Gehälter"),
    # a form's placeholder text
    r"\bearns\b|\bgeh[äa]lter\b|placeholder|"
    # the ceiling of a public pay system rather than this job's band
    r"\b(?:pay|salary) (?:system|scale|table|cap)s?\b|"
    # advice and how-to: what pay should be, how to reach a figure ("...エンジニアになる方法")
    r"\bdeber[ií]a\b|\bdeveria\b|\bshould(?:n't| not| never)\b|\bhow to (?:earn|make|get)\b|方法|"
    r"according to|\bGDP\b|accommodation (?:offset|allowance|rate)|durchschnitt|"
    r"\bverdien(?:en|t)\b|"
    # worked examples, and what a group earns in French ("les développeurs juniors perçoivent",
    # "gagnent", "touchent", "moyen")
    r"\bfor (?:example|instance)\b|\b(?:pour donner un|par) exemple\b|\bzum beispiel\b|"
    r"\bpor ejemplo\b|\bpor exemplo\b|\bgagn(?:ent|ant)\b|\bper[çc]oivent\b|\btouchent\b|"
    r"\bmoyen(?:ne)?\b|"
    r"\b(?:salaire|rémunération|revenu)\b[^.]{0,30}\bd[’']une?\s+(?:\w+\s+){0,2}?"
    r"(?:développeu(?:r|se)|ingénieur|programmeu(?:r|se))|"
    # where pay may head ("kann es Richtung 4.000 € gehen"), what a level of seniority crosses
    r"\brichtung\b|\bcross(?:es|ing)\b|"
    r"em média|en promedio|en moyenne|\bganham\b|平均|\blaut\b|\bschnitt\b|"
    # a profession, not this role, earning ("Junior Entwickler (0-2 Jahre) erhalten etwa")
    r"\b(?:entwickler|programmierer|engineers|developers|(?-i:Developer))\b(?:\s*\([^)]*\))?\s+"
    r"(?:erhalten|verdienen|k(?:ö|oe)nnen|earn|make|typically earn)\b|"
    r"\b(?:salar(?:y|ies)|pay|earnings?) (?:of|for) (?:an? )?(?:[\w-]+ ){0,2}"
    r"(?:engineers?|developers?|programmers?|designers?|scientists?)\b",
    re.IGNORECASE,
)
# Counted things after a sum ("$5 per user", "$2M from 300 customers"). Before a sum such
# words are often the people paid ("Team members in this role earn ..."), so only after.
_COUNTED = re.compile(
    r"\busers?\b|customers?|clients?|members|employees|downloads|per seat", re.IGNORECASE
)
# A bonus named right next to a sum ("$5k annual bonus", "a bonus of $5,000", "Joining Bonus -
# INR 1.5 Lakhs"); a bonus mentioned after the pay band ("$150k + bonus") leaves the band alone.
# German "Prämie" likewise ("250 € Prämie", "Startprämie in Höhe von 1.000,00 €"); Czech pay
# "za lekci" is per lesson.
_BONUS_AFTER = re.compile(
    r"^\s*(?:[a-z-]+\s+)?bonus|^\s*(?:\w+\s+)?\w*pr[äa]mie|^\s*za\s+lekci", re.IGNORECASE
)
_BONUS_BEFORE = re.compile(
    r"(?:bonus(?:es)?\s*[-:\u2013]?\s*(?:of\s+)?(?:up\s+to\s+)?(?:an?\s+)?|"
    r"pr[äa]mie\s*(?:in\s+h[öo]he\s+von\s+)?(?:bis\s+zu\s+)?)$",
    re.IGNORECASE,
)
# An Ashby tier naming "Equity" alone after its sums is the value of a grant ("$101K – $138K
# Equity"), not pay; "$150k-$210k USD equity, benefits", "$150k + equity" and "Offers Equity"
# leave the band alone.
_EQUITY_AFTER = re.compile(r"^\s*Equity\s*$")
# Commission named right next to a sum ("$500 commission per sale", "commission of 10%").
_COMMISSION_AFTER = re.compile(r"^\s*(?:in\s+)?commissions?\b", re.IGNORECASE)
_COMMISSION_BEFORE = re.compile(r"commissions?\s*(?:of|:)?\s*(?:up\s+to\s+)?$", re.IGNORECASE)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_OTE = re.compile(
    r"\bOTE\b|on[- ]target|commission|total (?:target )?(?:cash|comp)|\bTTC\b|"
    r"variable|uncapped",
    re.IGNORECASE,
)
_MAX_ONLY = re.compile(
    r"(?:up\s*to|upto|\bup|max(?:imum)?\.?|as much as|not to exceed|under|"
    r"below|\bat[ée]|\bhasta|\bbis zu|jusqu'?\s?à|\bchegar a|\baž|\bдо|最高|最多|"
    # "the maximum salary offered if $65,000" (sic): a few words of pay between
    r"\bmax(?:imum)?(?:\s+(?:salary|pay|rate|base|compensation|annual|hourly|offered|offer|"
    r"is|if|of|will|would|be|available)){1,4})"
    r"\s*:?\s*$",
    re.IGNORECASE,
)
_MIN_ONLY = re.compile(
    r"(?:from|\bab|starting(?:\s+(?:at|from))?|starts?\s+at|at least|"
    r"min(?:imum)?(?:\s+of)?|over|above|more than|\ba partir de|\bdesde|\bот|"
    r"\binicial|"
    r"最低(?:年収|月収|年薪|月薪)?)\s*:?\s*$",
    re.IGNORECASE,
)
# A minimum named in German a few words before its sum ("Das Mindestgehalt beträgt …",
# "ein Einstiegsgehalt von EUR 2.500", "von mindestens EUR 90.500").
_MIN_NAMED = re.compile(r"\bmindest\w*|\beinstiegs(?:gehalt|lohn)\w*", re.IGNORECASE)
# Pay counted in 12 to 15 instalments a year is a month's pay, whatever period word follows
# ("€ 2.784,29 brutto (14 mal p.a.)", "14 Monatsgehälter").
_INSTALMENTS = re.compile(
    r"\b1[2-5]\s*(?:-?\s*mal|x|times)\b|\b1[2-5]\s+(?:monats)?geh[äa]lt(?:er|ern)\b",
    re.IGNORECASE,
)
# "+" opens a band upwards unless another part of the package follows it ("$500k+equity").
_PACKAGE = r"(?:equity|bonus|benefits|commission|stock|options|shares|esop|rsus?|tokens?)"
_OPEN_ABOVE = re.compile(
    rf"^\s*(?:\+(?!\s*{_PACKAGE})|and (?:up|above)|or (?:more|above)|"
    r"min(?:imum)?\b(?!\s+wage)|"  # "$105,000 Minimum Salary"
    r"\(?\s*inicial\b|以上|起|"
    r"plus\b(?!\s*(?:equity|bonus|benefits|commission)))",
    re.IGNORECASE,
)
# A word naming pay re-opens a sentence in which an earlier sum was refused ("Stipend: $500,
# salary $90k"); without one, the sums that follow share the refusal ("Living wage is now £9
# per hour, not £8.45 per hour").
_PAY_WORD = re.compile(
    r"salar|\bpay\b|compensation|\bbase\b|wage|remunera|sueldo|\brate\b|"
    r"wynagrodzenie|\bз/?п\b|зарплат|оклад|薪",
    re.IGNORECASE,
)
# The most a year's pay is believed to be, in USD: bigger figures are funding or revenue.
_MAX_ANNUAL_USD = 1_500_000
_MIN_AMOUNT = 7  # "$5 off", version numbers
# The least a year's pay is believed to be, in USD: an "annual salary range" of R$252,65 (about
# $47) is a garbled figure, while ₦30,000 a month or ₹300 a day are real, if low, wages.
_MIN_ANNUAL_USD = 75


@dataclass(frozen=True)
class _Amount:
    start: int
    end: int
    value: float
    raw_value: float  # before a multiplier written only on the other end of a range
    scaled: bool
    currency: str | None
    dollar: bool  # a bare "$", which may stand for the dollars named on the other end
    yearly: bool  # written with a yearly unit such as lakhs ("12 LPA")
    thousands: bool  # written with "k" ("150-250k")


@dataclass(frozen=True)
class _Band:
    start: int
    end: int
    low: float
    high: float | None
    currency: str
    yearly: bool
    context_end: int  # where the words after the band begin to count
    dollar: bool = False  # written with a bare "$" only


def _currency(m: re.Match[str]) -> tuple[str | None, bool]:
    """The amount's currency and whether it was written only as a bare "$"."""
    first, second = (m["cur1"] or "").strip(), (m["cur2"] or "").strip()
    if first == "$" and second and currency_code(second):
        return currency_code(second), False  # "$194,000 CAD", "$4000 SGD"
    code = currency_code(first) or currency_code(second)
    if code is None and not (first or second):
        mult = canonical_multiplier(m["mult"])
        if mult in CURRENCY_OF_MULTIPLIER:
            code = CURRENCY_OF_MULTIPLIER[mult]  # "3.5lpa", "25tr"
        elif INDIAN_GROUPING.match(m["num"]):
            code = "INR"  # "2,00,000 - 3,00,000 P.A"
    return code, (first or second) == "$"


# Characters only traditional Chinese writes: "元" there is the New Taiwan dollar.
_TRADITIONAL = re.compile(r"[時資給職員險週個萬與會們經驗務業優歡學際鐘數]")


def _amounts(text: str) -> list[_Amount]:
    found = []
    taiwan = _TRADITIONAL.search(text) is not None
    for m in _AMOUNT.finditer(text):
        cur, dollar = _currency(m)
        if cur == "CNY" and taiwan and "元" in (m["cur1"] or "") + (m["cur2"] or ""):
            cur = "TWD"
        if (m["cur1"] or m["cur2"]) and cur is None:
            continue
        raw = to_number(m["num"])
        mult = canonical_multiplier(m["mult"])
        factor = multiplier(mult, cur)
        found.append(
            _Amount(
                m.start(),
                m.end(),
                round(raw * factor, 2),
                raw,
                m["mult"] is not None,
                cur,
                dollar,
                # lakhs, or a sum of lakhs grouped the Indian way ("₹ 3,00,000 - 3,60,000"),
                # which Indian postings write for a year's pay (CTC)
                mult in YEARLY_MULTIPLIERS
                or (cur == "INR" and INDIAN_GROUPING.match(m["num"]) is not None),
                mult == "k",
            )
        )
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


def _bands(text: str, amounts: list[_Amount], default: str | None) -> Iterator[_Band]:
    """Ranges and single sums with a currency. `default` is the currency of a range written
    with "k" and no currency at all ("SmarterDx | 150-250k+ + equity"), when the text names
    none anywhere."""
    i = 0
    while i < len(amounts):
        a = amounts[i]
        b = amounts[i + 1] if i + 1 < len(amounts) else None
        joined = b is not None and _BETWEEN.match(text[a.end : b.start]) is not None
        if b is not None and joined:
            low = a.value
            if not a.scaled and b.scaled and a.raw_value < b.raw_value:
                low = round(a.value * (b.value / b.raw_value), 2)  # "$90-110k", "R$ 4 e R$ 6k"
            elif _shares_thousands(a, b):
                low = a.value * 1000  # "35–45 000 Kč"
            currency = _common_currency(a, b)
            if currency is None and a.currency is None and b.thousands:
                currency = default
            if currency and low <= b.value <= max(low, 1) * 20:
                dollar = a.dollar or b.dollar
                yield _Band(
                    a.start, b.end, low, b.value, currency, a.yearly or b.yearly, b.end, dollar
                )
                i += 2
                continue
            if a.currency and b.currency and b.value < low and not (a.scaled or b.scaled):
                i += 2  # "€25.600 - €3.500": one end is garbled, neither can be trusted
                continue
        if a.currency:
            # an end of a range that did not hold ("$50-$10,000 bounty range") reads the
            # words after its partner too
            context_end = b.end if b is not None and joined else a.end
            yield _Band(a.start, a.end, a.value, None, a.currency, a.yearly, context_end, a.dollar)
        i += 1


def _shares_thousands(a: _Amount, b: _Amount) -> bool:
    """ "35–45 000", "15-20.000": the thousands written once, on the upper end."""
    if a.scaled or b.scaled or a.raw_value != int(a.raw_value) or not 1 <= a.raw_value < 1000:
        return False
    return b.raw_value % 1000 == 0 and a.raw_value < b.raw_value / 1000 < 1000


def _clause(
    text: str, start: int, end: int, money: tuple[list[int], list[int]]
) -> tuple[str, str, str]:
    """The words before and after a band, up to a boundary or another sum of money, and the
    words before it back to the start of its line.

    `money` holds the start and end offsets of amounts with a currency, in text order; bare
    numbers such as the "401" of "401(k)" do not end a clause.
    """
    starts, ends = money
    lower = max(0, start - _LEFT_WINDOW)
    before = bisect_right(ends, start)
    if before:
        lower = max(lower, ends[before - 1])
    left_limit = max([lower] + [m.end() for m in _SENTENCE_END.finditer(text, lower, start)])
    # A statement covers its whole sentence, earlier sums included ("minimum wage of $7.25/hour
    # (a full-time salary of $15,000 a year)"), so the line is not cut at the sum before.
    line_lower = max(0, start - _LEFT_WINDOW)
    line_limit = max([line_lower] + [m.end() for m in _LINE_END.finditer(text, line_lower, start)])
    right_limit = min(len(text), end + _RIGHT_WINDOW)
    after = bisect_left(starts, end)
    if after < len(starts):
        right_limit = min(right_limit, starts[after])
    stop = _CLAUSE_END.search(text, end, right_limit)
    if stop is not None:
        right_limit = stop.start()
    return text[left_limit:start], text[end : max(end, right_limit)], text[line_limit:start]


# A single payment written after its sum ("$60.00 once").
_ONCE_AFTER = re.compile(r"^\s*(?:\w+\s+)?once\b", re.IGNORECASE)
# A range cut short where the text was truncated ("(€100k-€..."): its other end is unknown.
_TRUNCATED_AFTER = re.compile(r"^\s*[-\u2013\u2014]\s*\S{0,2}?\s*(?:\.{2,}|\u2026)")
# Superannuation is paid on top of Australian salaries: "$" beside it is Australian dollars
# ("$70,000 - $110,000 plus superannuation", "$50k + super", "$39.21 per hour Super |").
_SUPER = re.compile(
    r"\bsuperannuation\b|(?:\+|\bplus|&|\band)\s*super\b|\bSuper\s*$", re.IGNORECASE
)


_MARKDOWN_ESCAPE = re.compile(r"\\([-+|*_#.!()\[\]~`>])")

# US dollars named in words or by code anywhere in a text.
_NAMES_USD = re.compile(r"\bUSD\b|\bUS\s?\$|\bU\.?S\.? dollars?\b", re.IGNORECASE)


def _refused(left: str, right: str, line: str) -> bool:
    return bool(
        _NOT_PAY.search(left)
        or _NOT_PAY.search(right)
        or _COUNTED.search(right)
        or _ONCE_AFTER.match(right)
        or _TRUNCATED_AFTER.match(right)
        or _STATEMENT.search(line)
        or _STATEMENT.search(right)
        or _BONUS_AFTER.match(right)
        or _BONUS_BEFORE.search(line)
        or _COMMISSION_AFTER.match(right)
        or _EQUITY_AFTER.match(right)
        or _COMMISSION_BEFORE.search(left)
    )


def _to_pay(band: _Band, left: str, right: str, rest: str, rates: Rates, dollar: str) -> Pay | None:
    """The band as pay, read with the words of its clause (``left``, ``right``) and the rest
    of its line (``rest``); a bare "$" is ``dollar``."""
    low: float | None = band.low
    high: float | None = band.high
    if high is None:
        if _MAX_ONLY.search(left):
            low, high = None, band.low
        elif _MIN_ONLY.search(left) or _MIN_NAMED.search(left) or _OPEN_ABOVE.match(right):
            high = None
        else:
            high = band.low
    top = high if high is not None else band.low
    if top < _MIN_AMOUNT:
        return None
    currency = band.currency
    if band.dollar and currency == "USD":
        currency = "AUD" if _SUPER.search(rest) else dollar
    period: Period = (
        ("month" if _INSTALMENTS.search(right) else None)
        or period_in_text(right)
        or period_in_text(left)
        or ("year" if band.yearly else None)
        or period_from_magnitude(top, currency, rates)
    )
    usd = rates.to_usd(top * PERIOD_FACTORS[period], currency)
    if usd is not None and not _MIN_ANNUAL_USD <= usd <= _MAX_ANNUAL_USD:
        return None
    return Pay(min=low, max=high, currency=currency, period=period, source="text")


def parse_pay_text(text: str | None, rates: Rates, *, dollar: str = "USD") -> Pay | None:
    """The first pay band published in free text, or None when the text publishes none.

    Base pay wins over on-target earnings; among several zones the first listed is taken.
    `rates` size a band whose text names no period and refuse yearly figures too big to be pay.
    `dollar` is the currency of a bare "$" (and of "150-250k" when no currency is written):
    the dollars of where the posting is (``scrapers.pay.local.local_dollar``).
    """
    if not text:
        return None
    # compatibility forms (mathematical bold or fullwidth digits, as in decorated titles)
    # are digits like any other
    text = unicodedata.normalize("NFKC", text)
    # Markdown escapes ("£60k \\- £80k \\+ Pension") are the characters they escape
    text = _MARKDOWN_ESCAPE.sub(r"\1", text)
    if dollar != "USD" and _NAMES_USD.search(text):
        dollar = "USD"  # "(all figures in USD)": the text says which dollars it means
    amounts = _amounts(text)
    # A bare "150-250k" is read as the local dollars only when no currency is written anywhere
    # and the text is not in a script whose postings count in yuan, yen or won.
    default = None if any(a.currency for a in amounts) or _CJK.search(text) else dollar
    money = ([a.start for a in amounts if a.currency], [a.end for a in amounts if a.currency])
    fallback: Pay | None = None
    refused_until = -1
    for band in _bands(text, amounts, default):
        left, right, line = _clause(text, band.start, band.context_end, money)
        if band.start < refused_until and not _PAY_WORD.search(left):
            continue
        if _refused(left, right, line):
            stop = _LINE_END.search(text, band.end)
            refused_until = stop.start() if stop is not None else len(text)
            continue
        line_end = _LINE_END.search(text, band.end)
        rest = text[band.end : line_end.start() if line_end is not None else len(text)]
        pay = _to_pay(band, left, right, rest, rates, dollar)
        if pay is None:
            continue
        if not (_OTE.search(left) or _OTE.search(right)):
            return pay
        fallback = fallback or pay
    return fallback
