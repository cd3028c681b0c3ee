"""Locations, workplace and employment type, normalised the same way for every source."""

from __future__ import annotations

import pytest

from scrapers.normalize.locations import (
    expand_country,
    is_remote,
    normalize_employment_type,
    normalize_workplace,
    split_locations,
    with_country,
    workplace_from_locations,
)


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("DE", "Germany"),
        ("de", "Germany"),
        (" US ", "United States"),
        ("GB", "United Kingdom"),
        ("UK", "United Kingdom"),
        ("KR", "South Korea"),
        ("CH", "Switzerland"),
        ("IN", "India"),
        ("CA", "Canada"),
        ("AE", "United Arab Emirates"),
        ("EMEA", "EMEA"),
        ("", None),
        (None, None),
    ],
)
def test_expand_country(code: str | None, name: str | None) -> None:
    assert expand_country(code) == name


def test_every_iso_code_has_a_name() -> None:
    names = [
        expand_country(f"{a}{b}")
        for a in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
        for b in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    ]
    known = [n for n in names if n is not None and len(n) > 2]
    assert len(known) == 250  # the 249 ISO codes, plus "UK" as people write it


@pytest.mark.parametrize(
    ("location", "code", "expected"),
    [
        ("Berlin", "DE", "Berlin, Germany"),
        ("Dover, DE", "DE", "Dover, Germany"),  # the board said the country is DE: Germany
        ("Berlin, Germany", "DE", "Berlin, Germany"),
        ("London", None, "London"),
        ("", "FR", "France"),
    ],
)
def test_with_country(location: str, code: str | None, expected: str) -> None:
    assert with_country(location, code) == expected


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("San Francisco, CA | New York, NY", ["San Francisco, CA", "New York, NY"]),
        ("London; Paris; Berlin", ["London", "Paris", "Berlin"]),
        ("Remote or New York", ["Remote", "New York"]),
        ("Seattle, WA, United States", ["Seattle, WA, United States"]),  # commas never split
        ("Portland, Oregon or Boise, Idaho", ["Portland, Oregon", "Boise, Idaho"]),
        ("London\nDublin", ["London", "Dublin"]),
        ("London | london", ["London"]),
        ("  ", []),
        (None, []),
        ("", []),
    ],
)
def test_split_locations(text: str | None, parts: list[str]) -> None:
    assert split_locations(text) == parts


@pytest.mark.parametrize(
    ("location", "remote"),
    [
        ("Remote", True),
        ("Remote, US", True),
        ("Remote - Europe", True),
        ("Remote \u2013 EMEA", True),
        ("US (Remote)", True),
        ("Anywhere", True),
        ("Worldwide", True),
        ("Fully Remote", True),
        ("Remote (Canada)", True),
        ("Work from home", True),
        ("San Francisco, CA", False),
        ("Remotely, Idaho", False),
        ("Not remote", False),
        ("", False),
        (None, False),
    ],
)
def test_is_remote(location: str | None, remote: bool) -> None:
    assert is_remote(location) is remote


@pytest.mark.parametrize(
    ("value", "workplace"),
    [
        ("onsite", "onsite"),
        ("on-site", "onsite"),
        ("On-Site", "onsite"),
        ("OnSite", "onsite"),
        ("ON_SITE", "onsite"),
        ("In Office", "onsite"),
        ("remote", "remote"),
        ("Remote", "remote"),
        ("TELECOMMUTE", "remote"),
        ("Remote (US)", "remote"),
        ("hybrid", "hybrid"),
        ("Hybrid", "hybrid"),
        ("Flexible", "hybrid"),
        ("Not remote", "onsite"),
        ("unspecified", None),
        ("", None),
        (None, None),
    ],
)
def test_normalize_workplace(value: str | None, workplace: str | None) -> None:
    assert normalize_workplace(value) == workplace


@pytest.mark.parametrize(
    ("locations", "workplace"),
    [
        (["Remote, US"], "remote"),
        (["New York, NY", "Remote - Europe"], "remote"),
        (["London (Hybrid)"], "hybrid"),
        (["Berlin, Germany"], None),
        ([], None),
        (["Remotely, Idaho"], None),
    ],
)
def test_workplace_from_locations(locations: list[str], workplace: str | None) -> None:
    assert workplace_from_locations(locations) == workplace


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("Full-time", "full_time"),
        ("FULL_TIME", "full_time"),
        ("FullTime", "full_time"),
        ("Full time", "full_time"),
        ("Permanent", "full_time"),
        ("Regular", "full_time"),
        ("CDI", "full_time"),
        ("Vollzeit", "full_time"),
        ("Part-time", "part_time"),
        ("PartTime", "part_time"),
        ("Teilzeit", "part_time"),
        ("Contract", "contract"),
        ("CONTRACTOR", "contract"),
        ("Freelance", "contract"),
        ("Contract to hire", "contract"),
        ("PER_DIEM", "contract"),
        ("Intern", "intern"),
        ("Internship", "intern"),
        ("Summer Internship 2027", "intern"),
        ("Werkstudent", "intern"),
        ("Co-op", "intern"),
        ("Temporary", "temporary"),
        ("Fixed-term", "temporary"),
        ("Seasonal", "temporary"),
        ("Part-time internship", "intern"),
        ("International", None),
        ("Internal", None),
        ("Volunteer", None),
        ("", None),
        (None, None),
    ],
)
def test_normalize_employment_type(value: str | None, kind: str | None) -> None:
    assert normalize_employment_type(value) == kind
