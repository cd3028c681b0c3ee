"""Ashby Posting API: ``GET /posting-api/job-board/{board}?includeCompensation=true``.

Completeness: the one body is the whole board (no paging), proven whole by parsing as JSON.
Shape: an object with a `jobs` list whose every element, listed or not, has `id` and `title`;
``{"jobs": []}`` is an empty board, and jobs marked ``isListed: false`` are left out by design.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from scrapers.http import Fetcher
from scrapers.models import BoardConfig, BoardSnapshot, NormalizedPosting, Pay, Period
from scrapers.normalize.locations import (
    normalize_employment_type,
    normalize_workplace,
    split_locations,
    workplace_from_locations,
)
from scrapers.normalize.text import clean_title, html_to_text
from scrapers.normalize.timestamps import parse_timestamp
from scrapers.sources.base import BoardSpec, BoardState, SpecChecked, api_root
from scrapers.sources.shape import require_item, require_list, shape_error

ATS = "ashby"
DEFAULT_API_BASE = "https://api.ashbyhq.com"

_INTERVAL = re.compile(r"^\s*1\s+(HOUR|DAY|WEEK|MONTH|YEAR)\s*$", re.IGNORECASE)


def interval_period(interval: Any) -> Period | None:
    """``"1 YEAR"`` → ``year``. Multi-unit intervals (``"6 MONTH"``) and ``NONE`` have no
    period the contract can express, so they give None."""
    match = _INTERVAL.match(str(interval or ""))
    return match[1].lower() if match else None  # type: ignore[return-value]


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def parse_compensation(compensation: Any) -> Pay | None:
    """The first ``Salary`` entry of ``summaryComponents`` that carries figures."""
    if not isinstance(compensation, dict):
        return None
    for item in compensation.get("summaryComponents") or []:
        if not isinstance(item, dict) or item.get("compensationType") != "Salary":
            continue
        low, high = _number(item.get("minValue")), _number(item.get("maxValue"))
        period = interval_period(item.get("interval"))
        if (low is None and high is None) or period is None or not item.get("currencyCode"):
            continue
        return Pay(
            min=low,
            max=high,
            currency=str(item["currencyCode"]).upper(),
            period=period,
            source="structured",
        )
    return None


def _locations(job: dict[str, Any]) -> list[str]:
    locations = split_locations(
        job.get("location") if isinstance(job.get("location"), str) else None
    )
    for item in job.get("secondaryLocations") or []:
        if isinstance(item, dict) and isinstance(item.get("location"), str):
            locations.extend(split_locations(item["location"]))
    return list(dict.fromkeys(locations))


def _workplace(job: dict[str, Any], locations: list[str]) -> Any:
    # `isRemote` is true for every Hybrid job, so `workplaceType` decides; isRemote only
    # speaks when workplaceType is missing and the locations say nothing.
    workplace = normalize_workplace(job.get("workplaceType")) or workplace_from_locations(locations)
    if workplace is None and job.get("isRemote") is True:
        return "remote"
    return workplace


def parse_job(job: Any) -> NormalizedPosting:
    job = require_item(job, ("id", "title"), ATS, "job")
    if not isinstance(job["title"], str):
        raise shape_error(ATS, f"job whose `title` is not a string: {str(job)[:200]}")
    locations = _locations(job)
    description = job.get("descriptionPlain")
    if not isinstance(description, str) or not description.strip():
        description = html_to_text(job.get("descriptionHtml"))
    description = description.strip()
    pay = parse_compensation(job.get("compensation"))
    return NormalizedPosting(
        external_id=str(job["id"]),
        title=clean_title(job["title"]),
        url=job.get("jobUrl"),
        team=job.get("team") or None,
        department=job.get("department") or None,
        locations=tuple(locations),
        workplace=_workplace(job, locations),
        employment_type=normalize_employment_type(job.get("employmentType")),
        pay=pay,
        pay_text=(description,),
        description=description,
        posted_at=parse_timestamp(job.get("publishedAt")),
    )


def parse_board(payload: Any) -> list[NormalizedPosting]:
    """Pure: a job-board body → normalised postings, unlisted jobs left out."""
    jobs = [
        require_item(job, ("id", "title"), ATS, "job") for job in require_list(payload, "jobs", ATS)
    ]
    return [parse_job(job) for job in jobs if job.get("isListed") is not False]


class AshbyScraper(SpecChecked):
    ats = ATS
    spec = BoardSpec("token", "the job board name")

    def board_url(self, board: BoardConfig) -> str:
        # Board names may hold spaces or dots ("flock safety", "mistral.ai").
        token = quote(board.token or "", safe=".")
        return f"{api_root(board, DEFAULT_API_BASE)}/posting-api/job-board/{token}"

    async def fetch(self, board: BoardConfig, fetcher: Fetcher, state: BoardState) -> BoardSnapshot:
        # Exactly lower-case `true`: `True` or `1` answer 200 without compensation.
        payload, response = await fetcher.get_json(
            self.board_url(board), etag=state.etag, params={"includeCompensation": "true"}
        )
        etag = response.headers.get("ETag")
        if payload is None:
            return BoardSnapshot(board=board, postings=(), not_modified=True, etag=etag)
        return BoardSnapshot(board=board, postings=tuple(parse_board(payload)), etag=etag)
