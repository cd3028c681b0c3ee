"""SmartRecruiters Posting API: ``GET /v1/companies/{id}/postings?limit=100&offset=``.

The list has no description; the detail ``/v1/companies/{id}/postings/{postingId}`` has it in
``jobAd.sections`` and is fetched only for postings that are new, whose list entry changed, or
whose detail is due again. A failed detail keeps the listed posting (stored from its entry and
retried later); one answering 404/410 leaves it out, so it counts as missing. An unknown
company id answers 200 with ``totalFound: 0``, indistinguishable from an empty board: that is
an empty snapshot, and the store's empty-board guard keeps the history.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import Any
from urllib.parse import quote

from scrapers.errors import ParseError
from scrapers.http import Fetcher, gather_partial
from scrapers.models import BoardConfig, BoardSnapshot, NormalizedPosting, Workplace
from scrapers.normalize.locations import normalize_employment_type, normalize_workplace
from scrapers.normalize.text import clean_title, html_to_text
from scrapers.normalize.timestamps import parse_timestamp
from scrapers.sources.base import (
    BoardSpec,
    BoardState,
    Listed,
    SpecChecked,
    api_root,
    listing_hash,
    read_details,
)

ATS = "smartrecruiters"
SHAPE = "unexpected response shape"
DEFAULT_API_BASE = "https://api.smartrecruiters.com"
PAGE_SIZE = 100  # the API's maximum
# jobAd sections in reading order.
SECTIONS = ("companyDescription", "jobDescription", "qualifications", "additionalInformation")


def _label(value: Any) -> str | None:
    if isinstance(value, dict) and isinstance(value.get("label"), str) and value["label"].strip():
        return value["label"].strip()
    return None


def _custom_field(item: dict[str, Any], label: str) -> str | None:
    for field in item.get("customField") or []:
        if isinstance(field, dict) and str(field.get("fieldLabel", "")).strip().lower() == label:
            value = field.get("valueLabel")
            return value if isinstance(value, str) and value.strip() else None
    return None


def _location(location: Any) -> str | None:
    if not isinstance(location, dict):
        return None
    if isinstance(location.get("fullLocation"), str) and location["fullLocation"].strip():
        return location["fullLocation"].strip()
    parts = [location.get(k) for k in ("city", "region", "country")]
    joined = ", ".join(str(p).strip() for p in parts if isinstance(p, str) and p.strip())
    return joined or None


def _workplace(item: dict[str, Any]) -> Workplace | None:
    raw = item.get("location")
    location: dict[str, Any] = raw if isinstance(raw, dict) else {}
    if location.get("remote") is True:
        return "remote"
    if location.get("hybrid") is True:
        return "hybrid"
    flexibility = _custom_field(item, "work flexibility")
    if flexibility:
        found = normalize_workplace(flexibility)
        if found is not None:
            return found
        if "office" in flexibility.lower():  # "Office-based"
            return "onsite"
    # Both flags present and false is how the board marks an on-site job.
    if location.get("remote") is False and location.get("hybrid") is False:
        return "onsite"
    return None


def posting_url(item: dict[str, Any]) -> str:
    if isinstance(item.get("postingUrl"), str):
        return item["postingUrl"]
    company = (item.get("company") or {}).get("identifier") or ""
    return f"https://jobs.smartrecruiters.com/{company}/{item['id']}"


def detail_description(detail: Any) -> str:
    """Plain text of ``jobAd.sections``, section titles kept as headings."""
    sections = (
        ((detail or {}).get("jobAd") or {}).get("sections") if isinstance(detail, dict) else None
    )
    if not isinstance(sections, dict):
        raise ParseError(f"smartrecruiters detail: {SHAPE}: no `jobAd.sections`")
    parts: list[str] = []
    for key in SECTIONS:
        section = sections.get(key)
        if not isinstance(section, dict):
            continue
        body = html_to_text(section.get("text") if isinstance(section.get("text"), str) else None)
        if body:
            title = (
                clean_title(section.get("title")) if isinstance(section.get("title"), str) else ""
            )
            parts.append(f"{title}\n{body}" if title else body)
    return "\n\n".join(parts)


def _check(item: Any) -> dict[str, Any]:
    if not isinstance(item, dict) or not item.get("id") or not isinstance(item.get("name"), str):
        raise ParseError(f"smartrecruiters: {SHAPE}: posting without id/name: {str(item)[:200]}")
    return item


def list_posting(item: Any, *, stored: bool = False) -> NormalizedPosting:
    """The posting as its list entry gives it (everything but the description): a stored
    one's details are kept; a new one whose detail fails is stored like this until it is read.
    The list names no posting URL, so a ``stored`` posting keeps the one its detail gave."""
    posting = replace(parse_posting(item), hydrated=False, listing_hash=listing_hash(item))
    return replace(posting, url=None) if stored and "postingUrl" not in item else posting


def parse_posting(item: Any, detail: Any = None) -> NormalizedPosting:
    """Pure: a list entry (and its detail, when fetched) → a normalised posting."""
    item = _check(item)
    description = detail_description(detail) if detail is not None else ""
    location = _location(item.get("location"))
    employment = item.get("typeOfEmployment")
    return NormalizedPosting(
        external_id=str(item["id"]),
        title=clean_title(item["name"]),
        url=posting_url(detail if isinstance(detail, dict) and detail.get("postingUrl") else item),
        team=_label(item.get("function")),
        department=_label(item.get("department")) or _custom_field(item, "department"),
        locations=(location,) if location else (),
        workplace=_workplace(item),
        employment_type=normalize_employment_type(_label(employment))
        or normalize_employment_type(
            (employment or {}).get("id") if isinstance(employment, dict) else None
        ),
        pay_text=(description,),  # no structured pay in this API
        description=description,
        posted_at=parse_timestamp(item.get("releasedDate")),
        extra={"ref_number": item["refNumber"]} if item.get("refNumber") else {},
    )


def parse_page(payload: Any) -> tuple[int, list[dict[str, Any]]]:
    """Pure: one list page → (totalFound, entries)."""
    if not isinstance(payload, dict) or not isinstance(payload.get("content"), list):
        raise ParseError(f"smartrecruiters: {SHAPE}: no `content` list")
    total = payload.get("totalFound")
    if not isinstance(total, int) or isinstance(total, bool):
        raise ParseError(f"smartrecruiters: {SHAPE}: no `totalFound`")
    return total, [_check(item) for item in payload["content"]]


class SmartRecruitersScraper(SpecChecked):
    ats = ATS
    spec = BoardSpec("token", "the company id")

    def postings_url(self, board: BoardConfig) -> str:
        token = quote(board.token or "", safe="")
        return f"{api_root(board, DEFAULT_API_BASE)}/v1/companies/{token}/postings"

    async def _page(
        self, fetcher: Fetcher, board: BoardConfig, offset: int
    ) -> tuple[int, list[dict[str, Any]]]:
        payload, _ = await fetcher.get_json(
            self.postings_url(board), params={"limit": PAGE_SIZE, "offset": offset}
        )
        return parse_page(payload)

    async def fetch(self, board: BoardConfig, fetcher: Fetcher, state: BoardState) -> BoardSnapshot:
        total, first = await self._page(fetcher, board, 0)
        if total and not first:
            raise ParseError(f"smartrecruiters: {SHAPE}: totalFound={total}, content empty")
        warnings: list[str] = []
        entries: dict[str, dict[str, Any]] = {str(item["id"]): item for item in first}
        offsets = list(range(PAGE_SIZE, total, PAGE_SIZE))
        pages, failed = await gather_partial(
            (f"page at offset {o}", self._page(fetcher, board, o)) for o in offsets
        )
        warnings.extend(failed)
        for page in pages:
            for item in page[1]:
                entries.setdefault(str(item["id"]), item)
        if not warnings and len(entries) < total:
            warnings.append(f"totalFound={total} but {len(entries)} distinct postings listed")
        complete = not warnings
        details = await read_details(
            (
                Listed(
                    list_posting(item, stored=item_id in state.known_ids),
                    partial(self._detail, fetcher, board, item),
                )
                for item_id, item in entries.items()
            ),
            state,
        )
        return BoardSnapshot(
            board=board,
            postings=details.postings,
            complete=complete,
            reported_total=total,
            warnings=(*warnings, *details.warnings),
        )

    async def _detail(
        self, fetcher: Fetcher, board: BoardConfig, item: dict[str, Any]
    ) -> NormalizedPosting:
        detail, _ = await fetcher.get_json(f"{self.postings_url(board)}/{item['id']}")
        return parse_posting(item, detail)
