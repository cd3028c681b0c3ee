"""The dollars a bare "$" stands for, from where a posting is.

A Toronto posting's "$120,000 - $150,000" is Canadian dollars and a Sydney one's Australian:
read as US dollars they would be a quarter to a third too high once converted. A posting whose
places all lie in one country that counts in dollars of its own gets that country's dollar;
one with places in several countries, in the United States, or nowhere in particular
("Remote") keeps US dollars, as before.

A place's country is read from its parts, last first ("Victoria, BC" is in Canada, "Melbourne,
VIC" in Australia, "Melbourne, FL" in the United States): a country's name, a US state's or
Canadian province's code or name, an Australian state's, or else a city's name, taken as the
largest city so named (GeoNames, through ``scrapers.normalize.gazetteer``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from scrapers.normalize.gazetteer import city_countries, country_codes, us_state_codes

# Countries whose postings write their own currency as "$".
DOLLARS = {"CA": "CAD", "AU": "AUD", "NZ": "NZD", "SG": "SGD", "HK": "HKD"}
DEFAULT_DOLLAR = "USD"

# Codes and names that follow a city. Codes shared by two countries ("NT", "WA", "SA") are
# left out; none of Canada's province codes is a US state's.
_REGIONS = {
    **dict.fromkeys(("AB", "BC", "MB", "NB", "NL", "NS", "ON", "PE", "QC", "SK", "YT", "NU"), "CA"),
    **dict.fromkeys(
        (
            "alberta",
            "british columbia",
            "manitoba",
            "new brunswick",
            "newfoundland and labrador",
            "nova scotia",
            "ontario",
            "prince edward island",
            "quebec",
            "québec",
            "saskatchewan",
            "yukon",
        ),
        "CA",
    ),
    **dict.fromkeys(("NSW", "VIC", "QLD", "TAS", "ACT"), "AU"),
    **dict.fromkeys(
        (
            "new south wales",
            "queensland",
            "tasmania",
            "western australia",
            "south australia",
            "australian capital territory",
            "northern territory",
        ),
        "AU",
    ),
    **dict.fromkeys(("usa", "u.s.", "u.s.a.", "united states of america", "america"), "US"),
    **dict.fromkeys(("uk", "u.k.", "england", "scotland", "wales"), "GB"),
}
# Words around a place that are no part of it: "Remote - Canada", "Toronto (Hybrid)".
_NOISE = re.compile(
    r"\b(?:remote|hybrid|on-?site|in[- ]office|office|based|only|anywhere|in|from)\b|[()\[\]]",
    re.IGNORECASE,
)
_PARTS = re.compile(r"\s*(?:,|\s[-\u2013\u2014/]\s|\s*\|\s*)\s*")


def _part_country(part: str) -> str | None:
    words = " ".join(_NOISE.sub(" ", part).split()).strip(" .-:")
    if not words:
        return None
    if words in _REGIONS:  # codes are matched as written: "ON", not "on"
        return _REGIONS[words]
    if len(words) == 2 and words.isupper() and words in us_state_codes():
        return "US"
    if words == "US":
        return "US"
    named = words.lower()
    return _REGIONS.get(named) or country_codes().get(named) or city_countries().get(named)


def location_country(location: str) -> str | None:
    """The ISO code of the country a location names, or None ("Remote", "EMEA")."""
    for part in reversed(_PARTS.split(location.strip())):
        found = _part_country(part)
        if found:
            return found
    return None


def local_dollar(locations: Iterable[str]) -> str:
    """The currency a bare "$" means for a posting at these places."""
    countries = {c for c in map(location_country, locations) if c}
    if len(countries) == 1:
        return DOLLARS.get(countries.pop(), DEFAULT_DOLLAR)
    return DEFAULT_DOLLAR
