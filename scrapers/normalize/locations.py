"""Location, workplace and employment-type normalisation shared by every source."""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path

from scrapers.models import EmploymentType, Workplace

COUNTRIES_FILE = Path(__file__).resolve().parents[1] / "data" / "countries.csv"
# Codes people write that are not ISO 3166-1 alpha-2 but mean one country unambiguously.
_COUNTRY_ALIASES = {"UK": "United Kingdom", "USA": "United States", "UAE": "United Arab Emirates"}

# Commas separate city, region and country, never locations, so they are not split on.
_SPLIT = re.compile(r"\s*\|\s*|\s*;\s*|\s+or\s+|\s*\n\s*", re.IGNORECASE)

# A location that is no place but a way of working: "Remote", "Remote, US", "Remote - Europe",
# "US (Remote)", "Anywhere", "Worldwide", "Work from home".
_REMOTE = re.compile(
    r"^(?:fully\s+)?remote\b|\bremote\s*(?:\)|$|[-,\u2013\u2014(/:])|\(\s*remote|^anywhere\b|^worldwide\b|"
    r"^work\s+from\s+(?:home|anywhere)\b|^wfh\b|^telecommut|^distributed\b|^global(?:ly)?\s*"
    r"(?:\(remote\))?$",
    re.IGNORECASE,
)
_NOT_REMOTE = re.compile(r"\b(?:not|non|no)[\s-]+remote\b", re.IGNORECASE)

_WORKPLACE_WORDS: dict[str, Workplace] = {
    "onsite": "onsite",
    "on site": "onsite",
    "in office": "onsite",
    "office": "onsite",
    "office based": "onsite",
    "in person": "onsite",
    "on premises": "onsite",
    "hybrid": "hybrid",
    "flexible": "hybrid",
    "partially remote": "hybrid",
    "remote": "remote",
    "fully remote": "remote",
    "remote first": "remote",
    "telecommute": "remote",
    "telecommuting": "remote",
    "work from home": "remote",
    "wfh": "remote",
    "anywhere": "remote",
    "distributed": "remote",
    "home based": "remote",
}

_EMPLOYMENT_WORDS: list[tuple[re.Pattern[str], EmploymentType]] = [
    (
        re.compile(
            r"\bintern(ship)?s?\b|\bstage\b|\btrainee\b|\bwerkstudent|\bworking student\b|"
            r"\bco-?op\b|\bapprentice(ship)?\b|\bpraktikum\b|\bstagiaire\b",
            re.I,
        ),
        "intern",
    ),
    (
        re.compile(
            r"\bcontract(or|ors)?\b|\bfreelanc|\bper[ _-]diem\b|\bcontingent\b|"
            r"\bconsultant\b|\bb2b\b",
            re.I,
        ),
        "contract",
    ),
    (
        re.compile(r"\btemp(orary)?\b|\bseasonal\b|\bfixed[ _-]term\b|\bcdd\b|\bbefristet", re.I),
        "temporary",
    ),
    (re.compile(r"\bpart[ _-]?time\b|\bteilzeit\b|\bcasual\b|\bminijob\b", re.I), "part_time"),
    (
        re.compile(
            r"\bfull[ _-]?time\b|\bpermanent\b|\bregular\b|\bcdi\b|\bvollzeit\b|"
            r"\bunbefristet|\bsalaried\b",
            re.I,
        ),
        "full_time",
    ),
]


@cache
def _countries() -> dict[str, str]:
    with COUNTRIES_FILE.open(encoding="utf-8", newline="") as fh:
        rows = csv.DictReader(line for line in fh if not line.startswith("#"))
        return {row["code"]: row["name"] for row in rows}


def expand_country(code: str | None) -> str | None:
    """The English name of an ISO 3166-1 alpha-2 code ("DE" → "Germany", not Delaware).

    Anything that is not a known code (a name already, "EMEA") comes back stripped and as
    written; empty input gives None.
    """
    if code is None or not code.strip():
        return None
    key = code.strip().upper()
    return _COUNTRY_ALIASES.get(key) or _countries().get(key) or code.strip()


def with_country(location: str, code: str | None) -> str:
    """A location with its country spelled out when a board gives the country separately.

    "Berlin" + "DE" → "Berlin, Germany"; a location already naming the country is kept.
    """
    country = expand_country(code)
    if not country or country.lower() in location.lower():
        return location
    if code and re.search(rf",\s*{re.escape(code.strip())}$", location):
        return location[: location.rstrip().rfind(",")] + f", {country}"
    return f"{location}, {country}" if location.strip() else country


def split_locations(text: str | None) -> list[str]:
    """Split a free-text location list on ` | `, `;`, ` or ` and new lines (not on commas)."""
    if not text:
        return []
    parts = [part.strip(" ,") for part in _SPLIT.split(text)]
    seen: dict[str, None] = {}
    for part in parts:
        if part and part.lower() not in {p.lower() for p in seen}:
            seen[part] = None
    return list(seen)


def is_remote(location: str | None) -> bool:
    """True for locations that name a way of working rather than only a place."""
    if not location or _NOT_REMOTE.search(location):
        return False
    return bool(_REMOTE.search(location.strip()))


def normalize_workplace(value: str | None) -> Workplace | None:
    """Map a board's workplace word ("On-Site", "OnSite", "TELECOMMUTE", …) to the contract's."""
    if not value:
        return None
    if _NOT_REMOTE.search(value):
        return "onsite"
    text = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", value.strip())  # OnSite -> On Site
    key = re.sub(r"[_\s-]+", " ", text.lower()).strip()
    if key in _WORKPLACE_WORDS:
        return _WORKPLACE_WORDS[key]
    for word, workplace in (
        ("hybrid", "hybrid"),
        ("remote", "remote"),
        ("on site", "onsite"),
        ("onsite", "onsite"),
        ("in office", "onsite"),
        ("telecommut", "remote"),
    ):
        if word in key:
            return workplace  # type: ignore[return-value]
    return None


def workplace_from_locations(locations: list[str] | tuple[str, ...]) -> Workplace | None:
    """Infer the workplace from location names when the board has no field for it."""
    if any(re.search(r"\bhybrid\b", loc, re.IGNORECASE) for loc in locations):
        return "hybrid"
    if any(is_remote(loc) for loc in locations):
        # "Remote" alongside office cities still means the role can be done remotely.
        return "remote"
    return None


def normalize_employment_type(value: str | None) -> EmploymentType | None:
    """Map free-text commitment ("Full-time", "FullTime", "CONTRACTOR", "CDI") to the contract's."""
    if not value:
        return None
    text = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", value.strip())  # FullTime -> Full Time
    for pattern, kind in _EMPLOYMENT_WORDS:
        if pattern.search(text):
            return kind
    return None
