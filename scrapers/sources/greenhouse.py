"""Greenhouse Job Board API: ``GET /v1/boards/{token}/jobs?content=true&pay_transparency=true``.

The list is the whole board, checked against ``meta.total``. Boards that ignore
``pay_transparency`` on the list have their pay in each job's detail (``/jobs/{id}``); those
details are read only for jobs that are new, whose ``updated_at`` changed, or whose earlier
detail request failed, and a failed one never costs the listed job (``scrapers.sources.base``).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime
from functools import partial
from typing import Any

from scrapers.errors import ParseError
from scrapers.http import Fetcher
from scrapers.models import BoardConfig, BoardSnapshot, NormalizedPosting, Pay
from scrapers.normalize.locations import (
    normalize_employment_type,
    normalize_workplace,
    split_locations,
    workplace_from_locations,
)
from scrapers.normalize.text import clean_title, escaped_html_to_text
from scrapers.pay import period_from_words
from scrapers.sources.base import (
    BoardSpec,
    BoardState,
    Listed,
    SpecChecked,
    api_root,
    listing_hash,
    read_details,
)

ATS = "greenhouse"
DEFAULT_API_BASE = "https://boards-api.greenhouse.io"
SHAPE = "unexpected response shape"

_NON_BASE_RANGE = re.compile(
    r"bonus|ote|on[- ]target|commission|equity|stock|variable|incentive", re.IGNORECASE
)
_WORKPLACE_KEYS = (
    "location type",
    "workplace type",
    "workplace",
    "remote",
    "work location type",
    "remote status",
    "work arrangement",
)
_EMPLOYMENT_KEYS = ("employment type", "job type", "commitment", "employment", "time type")
_TEAM_KEYS = ("team", "sub-team", "subteam")


def parse_datetime(value: Any) -> datetime | None:
    if not value or not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _metadata(job: dict[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in job.get("metadata") or []:
        if not isinstance(item, dict) or not item.get("name"):
            continue
        value = item.get("value")
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value if v)
        if value not in (None, ""):
            out[str(item["name"]).strip().lower()] = str(value)
    return out


def _first(meta: dict[str, str], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        if key in meta:
            return meta[key]
    return None


def parse_pay_ranges(ranges: list[dict[str, Any]] | None) -> Pay | None:
    """The first base-pay range (cents → units); bonus/OTE/commission/equity ranges skipped."""
    for item in ranges or []:
        title = str(item.get("title") or "")
        if _NON_BASE_RANGE.search(title):
            continue
        low, high = item.get("min_cents"), item.get("max_cents")
        if not isinstance(low, int | float) or not isinstance(high, int | float):
            continue
        low_units, high_units = low / 100, high / 100
        period = period_from_words(title)  # None: enrich sizes it
        return Pay(
            min=low_units,
            max=high_units,
            currency=str(item.get("currency_type") or "USD").upper(),
            period=period,
            source="structured",
        )
    return None


def _departments(job: dict[str, Any]) -> tuple[str | None, str | None]:
    """(department, team): the top of the department tree and its most specific leaf."""
    departments = [d for d in job.get("departments") or [] if isinstance(d, dict) and d.get("name")]
    if not departments:
        return None, None
    ids = {d.get("id") for d in departments}
    roots = [d for d in departments if d.get("parent_id") not in ids]
    leaves = [d for d in departments if not set(d.get("child_ids") or []) & ids]
    root = (roots or departments)[0]["name"].strip()
    leaf = (leaves or departments)[-1]["name"].strip()
    return root, (leaf if leaf != root else None)


def parse_job(job: dict[str, Any]) -> NormalizedPosting:
    if not isinstance(job, dict) or "id" not in job or "title" not in job:
        raise ParseError(f"greenhouse: {SHAPE}: job without id/title: {str(job)[:200]}")
    meta = _metadata(job)
    location = (
        (job.get("location") or {}).get("name") if isinstance(job.get("location"), dict) else None
    )
    locations = split_locations(location)
    if not locations:
        locations = [
            str(o.get("location") or o.get("name"))
            for o in job.get("offices") or []
            if isinstance(o, dict) and (o.get("location") or o.get("name"))
        ]
    description = escaped_html_to_text(job.get("content"))
    pay = parse_pay_ranges(job.get("pay_input_ranges"))
    department, team = _departments(job)
    team = _first(meta, _TEAM_KEYS) or team
    workplace = normalize_workplace(_first(meta, _WORKPLACE_KEYS)) or workplace_from_locations(
        locations
    )
    return NormalizedPosting(
        external_id=str(job["id"]),
        title=clean_title(job.get("title")),
        url=job.get("absolute_url"),
        team=team,
        department=department,
        locations=tuple(locations),
        workplace=workplace,
        employment_type=normalize_employment_type(_first(meta, _EMPLOYMENT_KEYS)),
        pay=pay,
        pay_text=(description,),
        description=description,
        posted_at=parse_datetime(job.get("first_published")),
        updated_at=parse_datetime(job.get("updated_at")),
    )


def parse_jobs(payload: Any, state: BoardState | None = None) -> list[NormalizedPosting]:
    """Pure: a ``/jobs`` response body → normalised postings, each with its listing signature
    and raw hash. A job whose raw entry is the one its stored posting was parsed from (by
    ``state``) is not parsed again: it comes as a listing-only posting, which enrich completes
    from the store."""
    if not isinstance(payload, dict) or not isinstance(payload.get("jobs"), list):
        raise ParseError(f"greenhouse: {SHAPE}: no `jobs` list")
    out = []
    for job in payload["jobs"]:
        raw = listing_hash(job)
        if state is not None and isinstance(job, dict) and "id" in job and "title" in job:
            external_id = str(job["id"])
            if state.unchanged(external_id, raw):
                out.append(
                    NormalizedPosting(
                        external_id=external_id,
                        title=clean_title(job.get("title")),
                        url=job.get("absolute_url"),
                        hydrated=False,
                        listing_hash=job_signature(job),
                        raw_hash=raw,
                    )
                )
                continue
        out.append(replace(parse_job(job), listing_hash=job_signature(job), raw_hash=raw))
    return out


def listed_total(payload: dict[str, Any], parsed: int) -> int:
    """``meta.total`` of a ``/jobs`` body, the board's own completeness check. A body without
    it, or one that reports jobs but lists none, is not Greenhouse's shape."""
    meta = payload.get("meta")
    total = meta.get("total") if isinstance(meta, dict) else None
    if not isinstance(total, int) or isinstance(total, bool) or total < 0:
        raise ParseError(f"greenhouse: {SHAPE}: no `meta.total`")
    if total and not parsed:
        raise ParseError(f"greenhouse: {SHAPE}: meta.total={total} but no jobs")
    return total


def job_signature(job: dict[str, Any]) -> str:
    """The job's ``updated_at`` (it changes on any edit), or the whole entry without one."""
    updated = job.get("updated_at")
    return listing_hash(updated if isinstance(updated, str) and updated else job)


class GreenhouseScraper(SpecChecked):
    ats = ATS
    spec = BoardSpec("token")

    def jobs_url(self, board: BoardConfig) -> str:
        return f"{api_root(board, DEFAULT_API_BASE)}/v1/boards/{board.token}/jobs"

    async def fetch(self, board: BoardConfig, fetcher: Fetcher, state: BoardState) -> BoardSnapshot:
        payload, response = await fetcher.get_json(
            self.jobs_url(board),
            etag=state.etag,
            params={"content": "true", "pay_transparency": "true"},
        )
        etag = response.headers.get("ETag")
        if payload is None:
            return BoardSnapshot(board=board, postings=(), not_modified=True, etag=etag)
        postings = parse_jobs(payload, state)
        total = listed_total(payload, len(postings))
        jobs: list[dict[str, Any]] = payload["jobs"]
        warnings: list[str] = []
        if jobs and not any("pay_input_ranges" in job for job in jobs):
            # The board ignores `pay_transparency` on the list: the pay is in each detail.
            details = await read_details(
                (
                    Listed(replace(p, hydrated=False), partial(self._with_pay, board, fetcher, j))
                    for p, j in zip(postings, jobs, strict=True)
                ),
                state,
            )
            postings, warnings = list(details.postings), list(details.warnings)
        complete = total == len(jobs)
        if not complete:
            warnings.insert(0, f"meta.total={total} but {len(jobs)} jobs listed")
        return BoardSnapshot(
            board=board,
            postings=tuple(postings),
            complete=complete,
            etag=etag,
            reported_total=total,
            warnings=tuple(warnings),
        )

    async def _with_pay(
        self, board: BoardConfig, fetcher: Fetcher, job: dict[str, Any]
    ) -> NormalizedPosting:
        """The listed job completed with the pay ranges of its detail (none when it has none)."""
        detail, _ = await fetcher.get_json(
            f"{self.jobs_url(board)}/{job['id']}", params={"pay_transparency": "true"}
        )
        if not isinstance(detail, dict) or "id" not in detail:
            raise ParseError(f"greenhouse job {job['id']}: {SHAPE}: {str(detail)[:200]}")
        ranges = detail.get("pay_input_ranges")
        return parse_job(job if ranges is None else {**job, "pay_input_ranges": ranges})
