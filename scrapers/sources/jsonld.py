"""schema.org ``JobPosting`` JSON-LD on career pages (``ats = "jsonld"``).

Parsing is pure: page HTML in, postings out. Every ``application/ld+json`` script is read; a
JobPosting may sit at the top level, in ``@graph``, in an array or in an ``ItemList``, and
``@type`` may be a list. The crawl (robots.txt, link following, page cap) is in
``scrapers/sources/jsonld_crawl.py``.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

from selectolax.lexbor import LexborHTMLParser

from scrapers.models import EmploymentType, NormalizedPosting, Pay, Period, Workplace
from scrapers.normalize.locations import (
    expand_country,
    normalize_employment_type,
    workplace_from_locations,
)
from scrapers.normalize.text import clean_title, html_to_text
from scrapers.normalize.timestamps import parse_timestamp
from scrapers.pay import period_from_words

ATS = "jsonld"
_NESTED_KEYS = ("@graph", "itemListElement", "item", "mainEntity", "hasPart")
_SCHEMA_EMPLOYMENT: dict[str, EmploymentType | None] = {
    "FULL_TIME": "full_time",
    "PART_TIME": "part_time",
    "CONTRACTOR": "contract",
    "TEMPORARY": "temporary",
    "INTERN": "intern",
    "PER_DIEM": "contract",
    "VOLUNTEER": None,
    "OTHER": None,
}
_UNIT_PERIODS: dict[str, Period] = {
    "HOUR": "hour",
    "DAY": "day",
    "WEEK": "week",
    "MONTH": "month",
    "YEAR": "year",
}
_NUMBER = re.compile(r"^[^\d]*?(\d[\d,.\s']*)\s*$")


@dataclass
class PageData:
    """What one page's JSON-LD yielded: postings, and scripts that could not be read."""

    postings: list[NormalizedPosting] = field(default_factory=list)
    broken_scripts: int = 0
    broken_job_scripts: int = 0  # unreadable scripts that mention JobPosting


def ld_scripts(page_html: str) -> Iterator[str]:
    tree = LexborHTMLParser(page_html)
    for node in tree.css("script"):
        kind = (node.attributes.get("type") or "").split(";")[0].strip().lower()
        if kind == "application/ld+json":
            yield node.text(deep=True) or ""


def load_ld(text: str) -> Any:
    """One script's JSON; tolerates HTML comment/CDATA wrappers and raw control characters."""
    cleaned = re.sub(r"^\s*(?:<!--|<!\[CDATA\[)|(?:-->|\]\]>)\s*$", "", text.strip())
    return json.loads(cleaned, strict=False)


def _types(node: dict[str, Any]) -> set[str]:
    kinds = node.get("@type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return {str(k).rsplit("/", 1)[-1] for k in kinds if k}


def find_job_postings(data: Any) -> Iterator[dict[str, Any]]:
    """Every JobPosting object in a JSON-LD document, wherever it is nested."""
    if isinstance(data, list):
        for item in data:
            yield from find_job_postings(item)
    elif isinstance(data, dict):
        if "JobPosting" in _types(data):
            yield data
            return
        for key in _NESTED_KEYS:
            if key in data:
                yield from find_job_postings(data[key])


def _str(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value") or value.get("value")
    if isinstance(value, list):
        value = next((v for v in (_str(x) for x in value) if v), None)
    if value is None or isinstance(value, bool):
        return None
    text = html.unescape(str(value)).strip()
    return text or None


def _place(location: Any) -> str | None:
    if isinstance(location, str):
        return location.strip() or None
    if not isinstance(location, dict):
        return None
    address = location.get("address", location)
    if isinstance(address, list):
        address = address[0] if address else None
    if isinstance(address, str):
        return address.strip() or _str(location.get("name"))
    if not isinstance(address, dict):
        return _str(location.get("name"))
    parts = [
        _str(address.get("addressLocality")),
        _str(address.get("addressRegion")),
        expand_country(_str(address.get("addressCountry"))),
    ]
    joined = ", ".join(dict.fromkeys(p for p in parts if p))
    return joined or _str(address.get("name")) or _str(location.get("name"))


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def job_locations(job: dict[str, Any], remote: bool) -> list[str]:
    places = [p for p in (_place(loc) for loc in _as_list(job.get("jobLocation"))) if p]
    if not places and remote:
        regions = [
            expand_country(_str(r)) for r in _as_list(job.get("applicantLocationRequirements"))
        ]
        places = [f"Remote, {r}" for r in regions if r] or ["Remote"]
    return list(dict.fromkeys(places))


def employment_type(value: Any) -> EmploymentType | None:
    for item in _as_list(value):
        key = re.sub(r"[\s-]+", "_", str(item).strip().upper())
        if key in _SCHEMA_EMPLOYMENT:
            kind = _SCHEMA_EMPLOYMENT[key]
        else:
            kind = normalize_employment_type(str(item))
        if kind:
            return kind
    return None


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    match = _NUMBER.match(str(value))
    if not match:
        return None
    digits = re.sub(r"[\s',]", "", match.group(1))
    if digits.count(".") > 1:  # "70.000.00" style thousands separators
        digits = digits.replace(".", "")
    try:
        return float(digits)
    except ValueError:
        return None


def _period(unit: Any) -> Period | None:
    """The period ``unitText`` names; None leaves it to enrich, which sizes the amount."""
    key = str(unit or "").strip().upper()
    return _UNIT_PERIODS.get(key) or period_from_words(key.lower())


def _salary_value(job: dict[str, Any]) -> Any:
    salary = job.get("baseSalary")
    if isinstance(salary, list):
        salary = salary[0] if salary else None
    return salary.get("value", salary) if isinstance(salary, dict) else salary


def base_salary_text(job: dict[str, Any]) -> str | None:
    """``baseSalary`` written as a sentence ("$120,000 - $150,000 per year"), which enrich reads
    like any pay text; None when it is a number or a structure."""
    value = _salary_value(job)
    return value if isinstance(value, str) and _number(value) is None else None


def parse_base_salary(job: dict[str, Any]) -> Pay | None:
    """``baseSalary`` in its real shapes: MonetaryAmount/QuantitativeValue with ``value`` or
    ``minValue``/``maxValue`` and ``unitText``, untyped dicts, bare numbers or strings, and a
    top-level ``salaryCurrency``."""
    salary = job.get("baseSalary")
    if isinstance(salary, list):
        salary = salary[0] if salary else None
    currency = _str(job.get("salaryCurrency"))
    unit: Any = None
    value: Any = salary
    if isinstance(salary, dict):
        currency = _str(salary.get("currency")) or currency
        unit = salary.get("unitText")
        value = salary.get("value", salary)
    if isinstance(value, dict):
        unit = value.get("unitText") or unit
        currency = _str(value.get("currency")) or currency
        low = _number(value.get("minValue"))
        high = _number(value.get("maxValue"))
        if low is None and high is None:
            low = high = _number(value.get("value"))
    elif isinstance(value, str) and _number(value) is None:
        return None  # a sentence: see base_salary_text
    else:
        low = high = _number(value)
    if (low is None and high is None) or not currency or len(currency) != 3:
        return None
    low, high = (low if low is not None else high), (high if high is not None else low)
    if low is not None and high is not None and low > high:
        low, high = high, low
    return Pay(
        min=low, max=high, currency=currency.upper(), period=_period(unit), source="structured"
    )


def _identifier(job: dict[str, Any]) -> str | None:
    """The posting's own id; a value that merely repeats the employer's name (seen on real
    pages, identical on every posting) is no identity."""
    employer = (_str(job.get("hiringOrganization")) or "").casefold()
    for item in _as_list(job.get("identifier")):
        value = item.get("value") if isinstance(item, dict) else item
        if value in (None, "", [], {}) or isinstance(value, dict | list):
            continue
        text = str(value).strip()
        if text and text.casefold() != employer:
            return text
    return None


def _description(value: Any) -> str:
    text = _str(value) if not isinstance(value, str) else value
    if not text:
        return ""
    # Sites entity-escape the HTML inside JSON ("&lt;p&gt;"); decode that layer first.
    if re.search(r"&lt;\s*/?\s*[a-zA-Z]", text):
        text = html.unescape(text)
    return html_to_text(text)


def parse_job_posting(job: dict[str, Any], page_url: str) -> NormalizedPosting | None:
    """One JobPosting object → a posting; None when it has no title."""
    title = clean_title(_str(job.get("title")) or _str(job.get("name")))
    if not title:
        return None
    url = _str(job.get("url"))
    url = urljoin(page_url, url) if url else page_url
    location_types = {str(t).upper() for t in _as_list(job.get("jobLocationType"))}
    remote = "TELECOMMUTE" in location_types
    locations = job_locations(job, remote)
    workplace: Workplace | None = "remote" if remote else workplace_from_locations(locations)
    description = _description(job.get("description"))
    return NormalizedPosting(
        external_id=_identifier(job) or url.split("#", 1)[0],
        title=title,
        url=url,
        locations=tuple(locations),
        workplace=workplace,
        employment_type=employment_type(job.get("employmentType")),
        pay=parse_base_salary(job),
        pay_text=tuple(filter(None, (base_salary_text(job), description))),
        description=description,
        posted_at=parse_timestamp(_str(job.get("datePosted"))),
    )


def parse_page(page_html: str, page_url: str) -> PageData:
    """Pure: one page's HTML → the JobPostings in its JSON-LD scripts."""
    data = PageData()
    for script in ld_scripts(page_html):
        try:
            document = load_ld(script)
        except ValueError:
            data.broken_scripts += 1
            data.broken_job_scripts += "JobPosting" in script
            continue
        for job in find_job_postings(document):
            posting = parse_job_posting(job, page_url)
            if posting is not None:
                data.postings.append(posting)
    return data
