"""Lever Postings API: ``GET /v0/postings/{site}?mode=json`` (a bare array, whole board at once).

Completeness: the one body is the whole board, proven whole by parsing as JSON. Shape: a JSON
array whose every element is an object with `id` and `text` (the title); ``[]`` is an empty
board, anything else (Lever's ``{"ok": false}`` error object, an HTML page) is
``unexpected response shape``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from scrapers.http import Fetcher
from scrapers.models import BoardConfig, BoardSnapshot, NormalizedPosting, Pay, Period
from scrapers.normalize.locations import (
    normalize_employment_type,
    normalize_workplace,
    split_locations,
    workplace_from_locations,
)
from scrapers.normalize.text import clean_title, html_to_text
from scrapers.sources.base import BoardSpec, BoardState, SpecChecked, api_root
from scrapers.sources.shape import require_item, require_list, shape_error

ATS = "lever"
DEFAULT_API_BASE = "https://api.lever.co"

# `salaryRange.interval` values seen in real payloads; `one-time-payment` has no period.
INTERVALS: dict[str, Period] = {
    "per-year-salary": "year",
    "per-month-salary": "month",
    "per-week-salary": "week",
    "per-day-wage": "day",
    "per-hour-wage": "hour",
}


def parse_created_at(value: Any) -> datetime | None:
    """``createdAt`` is epoch milliseconds."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        return datetime.fromtimestamp(value / 1000, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def parse_salary_range(salary: Any) -> Pay | None:
    """``salaryRange`` with a known interval and at least one figure, else None."""
    if not isinstance(salary, dict):
        return None
    period = INTERVALS.get(str(salary.get("interval") or "").strip().lower())
    low, high = _number(salary.get("min")), _number(salary.get("max"))
    if period is None or (low is None and high is None) or not salary.get("currency"):
        return None
    return Pay(
        min=low,
        max=high,
        currency=str(salary["currency"]).upper(),
        period=period,
        source="structured",
    )


def _lists_text(lists: Any) -> list[str]:
    """`lists[]` is `[{text, content}]` with `content` a bare `<li>` run (no plain variant)."""
    if not isinstance(lists, list):
        return []  # seen as a stringified list in one capture: not parseable as sections
    out: list[str] = []
    for item in lists:
        if not isinstance(item, dict):
            continue
        heading = clean_title(item.get("text"))
        body = html_to_text(f"<ul>{item.get('content') or ''}</ul>")
        out.append("\n".join(part for part in (heading, body) if part))
    return out


def _plain(job: dict[str, Any], field: str) -> str:
    plain = job.get(f"{field}Plain")
    if isinstance(plain, str) and plain.strip():
        return plain.strip()
    return html_to_text(job.get(field) if isinstance(job.get(field), str) else None)


def posting_description(job: dict[str, Any]) -> str:
    """``descriptionPlain`` + ``lists[]`` + ``additionalPlain``: pay often sits in the last."""
    parts = [_plain(job, "description"), *_lists_text(job.get("lists")), _plain(job, "additional")]
    return "\n\n".join(part for part in parts if part)


def parse_posting(job: Any) -> NormalizedPosting:
    job = require_item(job, ("id", "text"), ATS, "posting")
    if not isinstance(job["text"], str):
        raise shape_error(ATS, f"posting whose `text` is not a string: {str(job)[:200]}")
    raw_categories = job.get("categories")
    categories: dict[str, Any] = raw_categories if isinstance(raw_categories, dict) else {}
    all_locations = categories.get("allLocations")
    locations = (
        [str(loc).strip() for loc in all_locations if str(loc).strip()]
        if isinstance(all_locations, list)
        else []
    )
    if not locations:
        locations = split_locations(categories.get("location"))
    description = posting_description(job)
    pay = parse_salary_range(job.get("salaryRange"))
    pay_text = "\n".join(filter(None, [_plain(job, "salaryDescription"), description]))
    workplace = normalize_workplace(job.get("workplaceType")) or workplace_from_locations(locations)
    country = job.get("country")
    extra = {"country": country} if isinstance(country, str) and country else {}
    return NormalizedPosting(
        external_id=str(job["id"]),
        title=clean_title(job["text"]),
        url=job.get("hostedUrl"),
        team=categories.get("team") or None,
        department=categories.get("department") or None,
        locations=tuple(dict.fromkeys(locations)),
        workplace=workplace,
        employment_type=normalize_employment_type(categories.get("commitment")),
        pay=pay,
        pay_text=(pay_text,),
        description=description,
        posted_at=parse_created_at(job.get("createdAt")),
        extra=extra,
    )


def parse_postings(payload: Any) -> list[NormalizedPosting]:
    """Pure: a ``/v0/postings/{site}`` body (a JSON array) → normalised postings."""
    return [parse_posting(job) for job in require_list(payload, None, ATS)]


class LeverScraper(SpecChecked):
    ats = ATS
    spec = BoardSpec("token", "the site name")

    def postings_url(self, board: BoardConfig) -> str:
        return f"{api_root(board, DEFAULT_API_BASE)}/v0/postings/{board.token}"

    async def fetch(self, board: BoardConfig, fetcher: Fetcher, state: BoardState) -> BoardSnapshot:
        # Lever ignores If-None-Match, so no ETag is sent; without skip/limit one call is the board.
        payload, _ = await fetcher.get_json(self.postings_url(board), params={"mode": "json"})
        return BoardSnapshot(board=board, postings=tuple(parse_postings(payload)))
