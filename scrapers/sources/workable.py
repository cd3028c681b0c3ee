"""Workable widget API: ``GET /api/v1/widget/accounts/{sub}?details=true``.

A job open in several places is listed once per location with the same ``shortcode``; those
rows are merged into one posting carrying every location.

Completeness: the one body is the whole account, proven whole by parsing as JSON. Shape: an
object with a `jobs` list whose every row has `shortcode` and `title`; ``{"jobs": []}`` is an
empty board.
"""

from __future__ import annotations

from typing import Any

from scrapers.http import Fetcher
from scrapers.models import BoardConfig, BoardSnapshot, NormalizedPosting, Workplace
from scrapers.normalize.locations import (
    expand_country,
    normalize_employment_type,
    normalize_workplace,
    workplace_from_locations,
)
from scrapers.normalize.text import clean_title, html_to_text
from scrapers.normalize.timestamps import parse_timestamp
from scrapers.sources.base import BoardSpec, BoardState, SpecChecked, api_root
from scrapers.sources.shape import require_item, require_list

ATS = "workable"
DEFAULT_API_BASE = "https://apply.workable.com"


def _place(city: Any, region: Any, country: Any) -> str | None:
    parts = [str(p).strip() for p in (city, region, country) if p and str(p).strip()]
    return ", ".join(dict.fromkeys(parts)) or None


def job_locations(job: dict[str, Any]) -> list[str]:
    """Every location of one job row: its ``locations[]`` (hidden ones skipped), else the
    top-level city/state/country."""
    found: list[str] = []
    for item in job.get("locations") or []:
        if isinstance(item, dict) and not item.get("hidden"):
            country = item.get("country") or expand_country(item.get("countryCode"))
            place = _place(item.get("city"), item.get("region"), country)
            if place:
                found.append(place)
    if not found:
        place = _place(job.get("city"), job.get("state"), job.get("country"))
        if place:
            found.append(place)
    return found


def parse_job(job: dict[str, Any], locations: list[str] | None = None) -> NormalizedPosting:
    job = require_item(job, ("shortcode", "title"), ATS, "job")
    locations = job_locations(job) if locations is None else locations
    description = html_to_text(job.get("description"))
    workplace: Workplace | None
    if job.get("telecommuting") is True:
        workplace = "remote"
    else:
        workplace = normalize_workplace(
            job.get("workplace") or job.get("workplace_type")
        ) or workplace_from_locations(locations)
    return NormalizedPosting(
        external_id=str(job["shortcode"]),
        title=clean_title(job["title"]),
        url=job.get("url") or job.get("shortlink") or job.get("application_url"),
        department=(str(job["department"]).strip() or None) if job.get("department") else None,
        locations=tuple(locations),
        workplace=workplace,
        employment_type=normalize_employment_type(job.get("employment_type")),
        pay_text=(description,),
        description=description,
        posted_at=parse_timestamp(job.get("published_on") or job.get("created_at")),
    )


def parse_account(payload: Any) -> list[NormalizedPosting]:
    """Pure: a widget ``accounts/{sub}`` body → postings, one per shortcode."""
    rows: dict[str, list[dict[str, Any]]] = {}
    for job in require_list(payload, "jobs", ATS):
        job = require_item(job, ("shortcode", "title"), ATS, "job")
        rows.setdefault(str(job["shortcode"]), []).append(job)
    postings = []
    for same_job in rows.values():
        locations = [place for row in same_job for place in job_locations(row)]
        postings.append(parse_job(same_job[0], list(dict.fromkeys(locations))))
    return postings


class WorkableScraper(SpecChecked):
    ats = ATS
    spec = BoardSpec("token", "the account subdomain")

    def account_url(self, board: BoardConfig) -> str:
        return f"{api_root(board, DEFAULT_API_BASE)}/api/v1/widget/accounts/{board.token}"

    async def fetch(self, board: BoardConfig, fetcher: Fetcher, state: BoardState) -> BoardSnapshot:
        payload, response = await fetcher.get_json(
            self.account_url(board), etag=state.etag, params={"details": "true"}
        )
        etag = response.headers.get("ETag")
        if payload is None:
            return BoardSnapshot(board=board, postings=(), not_modified=True, etag=etag)
        postings = parse_account(payload)
        return BoardSnapshot(board=board, postings=tuple(postings), etag=etag)
