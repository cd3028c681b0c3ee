"""Location, workplace and employment-type normalisation shared by every source."""

from __future__ import annotations

import re

from scrapers.models import EmploymentType, Workplace

# Commas separate city, region and country, never locations, so they are not split on.
_SPLIT = re.compile(r"\s*(?:\|)\s*|\s*;\s*|\s+or\s+|\s*\n\s*", re.IGNORECASE)

_WORKPLACE_WORDS: dict[str, Workplace] = {
    "onsite": "onsite",
    "on-site": "onsite",
    "on site": "onsite",
    "in office": "onsite",
    "in-office": "onsite",
    "office": "onsite",
    "hybrid": "hybrid",
    "remote": "remote",
    "fully remote": "remote",
    "remote-first": "remote",
    "telecommute": "remote",
    "work from home": "remote",
    "wfh": "remote",
}

_EMPLOYMENT_WORDS: list[tuple[re.Pattern[str], EmploymentType]] = [
    (re.compile(r"\bintern(ship)?\b|\bstage\b|\btrainee\b|\bwerkstudent", re.I), "intern"),
    (re.compile(r"\bcontract(or)?\b|\bfreelance\b|\bper[ _-]diem\b|\bcontingent\b", re.I),
     "contract"),
    (re.compile(r"\btemp(orary)?\b|\bseasonal\b|\bfixed[ -]term\b|\bcdd\b", re.I), "temporary"),
    (re.compile(r"\bpart[ _-]?time\b|\bteilzeit\b", re.I), "part_time"),
    (re.compile(r"\bfull[ _-]?time\b|\bpermanent\b|\bregular\b|\bcdi\b|\bvollzeit\b", re.I),
     "full_time"),
]


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


def normalize_workplace(value: str | None) -> Workplace | None:
    """Map a board's workplace word ("On-Site", "OnSite", "TELECOMMUTE", …) to the contract's."""
    if not value:
        return None
    key = re.sub(r"[_\s]+", " ", value.strip().lower())
    key = {"onsite": "onsite", "on site": "onsite"}.get(key, key)
    if key in _WORKPLACE_WORDS:
        return _WORKPLACE_WORDS[key]
    for word, workplace in (("hybrid", "hybrid"), ("remote", "remote"), ("on-site", "onsite"),
                            ("onsite", "onsite"), ("in office", "onsite")):
        if word in key:
            return workplace  # type: ignore[return-value]
    return None


def workplace_from_locations(locations: list[str]) -> Workplace | None:
    """Infer the workplace from location names when the board has no field for it."""
    joined = " ".join(locations).lower()
    if "hybrid" in joined:
        return "hybrid"
    if re.search(r"\bremote\b", joined):
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
