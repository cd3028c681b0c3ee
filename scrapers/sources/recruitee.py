"""Recruitee careers API: ``GET https://{sub}.recruitee.com/api/offers/``.

``api_base`` replaces ``https://{sub}.recruitee.com``. Salary bounds arrive as strings (or null);
the workplace comes from the ``remote``/``hybrid``/``on_site`` booleans.

Completeness: the one body is the whole board, proven whole by parsing as JSON. Shape: an object
with an `offers` list whose every element has `id` and `title`; ``{"offers": []}`` is an empty
board. The public endpoint lists published offers, so a non-empty list without one published
offer means the `status` vocabulary changed: ``unexpected response shape`` too.
"""

from __future__ import annotations

import re
from typing import Any

from scrapers.http import Fetcher
from scrapers.models import (
    BoardConfig,
    BoardSnapshot,
    EmploymentType,
    NormalizedPosting,
    Pay,
    Workplace,
)
from scrapers.normalize.locations import normalize_employment_type, workplace_from_locations
from scrapers.normalize.text import clean_title, html_to_text
from scrapers.normalize.timestamps import parse_timestamp
from scrapers.pay import period_from_words
from scrapers.sources.base import BoardSpec, BoardState, SpecChecked
from scrapers.sources.shape import require_item, require_list, shape_error

ATS = "recruitee"
DEFAULT_API_BASE = "https://{token}.recruitee.com"

# `employment_type_code` values: fulltime(_permanent|_fixed_term), parttime(...), freelance,
# internship, traineeship, volunteer, other.
_CODE_PREFIXES: tuple[tuple[str, EmploymentType], ...] = (
    ("fulltime_fixed_term", "temporary"),
    ("fulltime", "full_time"),
    ("parttime", "part_time"),
    ("freelance", "contract"),
    ("internship", "intern"),
    ("traineeship", "intern"),
)
_NUMBER = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*$")


def _amount(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    match = _NUMBER.match(str(value).replace(" ", "").replace("_", ""))
    return float(match.group(1).replace(",", ".")) if match else None


def parse_salary(salary: Any) -> Pay | None:
    """``salary{min,max,period,currency}`` with string bounds; None when neither bound is set."""
    if not isinstance(salary, dict) or not salary.get("currency"):
        return None
    low, high = _amount(salary.get("min")), _amount(salary.get("max"))
    if low is None and high is None:
        return None
    low, high = (low if low is not None else high), (high if high is not None else low)
    if low is not None and high is not None and low > high:
        low, high = high, low
    period = period_from_words(str(salary.get("period") or ""))  # None: enrich sizes it
    return Pay(
        min=low,
        max=high,
        currency=str(salary["currency"]).upper(),
        period=period,
        source="structured",
    )


def _workplace(offer: dict[str, Any], locations: list[str]) -> Workplace | None:
    remote, hybrid, on_site = (offer.get(k) is True for k in ("remote", "hybrid", "on_site"))
    if hybrid or (remote and on_site):
        return "hybrid"
    if remote:
        return "remote"
    if on_site:
        return "onsite"
    return workplace_from_locations(locations)


def _locations(offer: dict[str, Any]) -> list[str]:
    found = []
    for item in offer.get("locations") or []:
        if not isinstance(item, dict):
            continue
        parts = [item.get("city") or item.get("name"), item.get("state"), item.get("country")]
        place = ", ".join(dict.fromkeys(str(p).strip() for p in parts if p and str(p).strip()))
        if place:
            found.append(place)
    if not found and offer.get("location"):
        found.append(str(offer["location"]).strip())
    return list(dict.fromkeys(found))


def employment_type(code: Any) -> EmploymentType | None:
    text = str(code or "").strip().lower()
    for prefix, kind in _CODE_PREFIXES:
        if text.startswith(prefix):
            return kind
    return normalize_employment_type(text.replace("_", " "))


def parse_offer(offer: Any) -> NormalizedPosting:
    offer = require_item(offer, ("id", "title"), ATS, "offer")
    locations = _locations(offer)
    description = "\n\n".join(
        text
        for text in (
            html_to_text(offer.get("description")),
            html_to_text(offer.get("requirements")),
        )
        if text
    )
    return NormalizedPosting(
        external_id=str(offer["id"]),
        title=clean_title(offer["title"]),
        url=offer.get("careers_url") or offer.get("url"),
        department=(str(offer["department"]).strip() or None) if offer.get("department") else None,
        locations=tuple(locations),
        workplace=_workplace(offer, locations),
        employment_type=employment_type(offer.get("employment_type_code")),
        pay=parse_salary(offer.get("salary")),
        pay_text=(description,),
        description=description,
        posted_at=parse_timestamp(offer.get("published_at") or offer.get("created_at")),
        updated_at=parse_timestamp(offer.get("updated_at")),
    )


def parse_offers(payload: Any) -> list[NormalizedPosting]:
    """Pure: an ``/api/offers/`` body → postings (only published offers)."""
    offers = [
        require_item(offer, ("id", "title"), ATS, "offer")
        for offer in require_list(payload, "offers", ATS)
    ]
    published = [offer for offer in offers if offer.get("status") in (None, "published")]
    if offers and not published:
        statuses = sorted({str(offer.get("status")) for offer in offers})
        raise shape_error(ATS, f"{len(offers)} offers, none published (status: {statuses})")
    return [parse_offer(offer) for offer in published]


class RecruiteeScraper(SpecChecked):
    ats = ATS
    spec = BoardSpec("token", "the company subdomain")

    def offers_url(self, board: BoardConfig) -> str:
        root = (board.api_base or DEFAULT_API_BASE.format(token=board.token)).rstrip("/")
        return f"{root}/api/offers/"

    async def fetch(self, board: BoardConfig, fetcher: Fetcher, state: BoardState) -> BoardSnapshot:
        payload, response = await fetcher.get_json(self.offers_url(board), etag=state.etag)
        etag = response.headers.get("ETag")
        if payload is None:
            return BoardSnapshot(board=board, postings=(), not_modified=True, etag=etag)
        return BoardSnapshot(board=board, postings=tuple(parse_offers(payload)), etag=etag)
