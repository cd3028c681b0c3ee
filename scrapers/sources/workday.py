"""Workday CXS, the undocumented API behind ``{tenant}.wdN.myworkdayjobs.com`` career sites.

Listing: ``POST /wday/cxs/{tenant}/{site}/jobs`` in pages of at most 20, bounded by the
``total`` of page 0 and deduplicated by ``externalPath``. Large tenants report ``total: 2000``
and clamp; their listing is split by one facet (``appliedFacets``), whose counts are not
clamped. Detail: ``GET /wday/cxs/{tenant}/{site}{externalPath}``, only for postings that are
new, whose list row changed (``postedOn`` aside: it is relative text that ages daily), or whose
detail is due again. A failed page makes the snapshot partial; a failed detail keeps the
listed posting, stored from its row and retried later; a detail answering 404/410 leaves the
posting out, so it counts as missing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import Any
from urllib.parse import urlsplit

from scrapers.errors import ParseError
from scrapers.http import Fetcher, gather_partial
from scrapers.models import BoardConfig, BoardSnapshot, NormalizedPosting
from scrapers.normalize.locations import (
    normalize_employment_type,
    normalize_workplace,
    split_locations,
    workplace_from_locations,
)
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

ATS = "workday"
SHAPE = "unexpected response shape"
PAGE_SIZE = 20  # a larger limit answers 400 or an empty page
CLAMP = 2000  # large tenants report exactly this total and repeat pages past it
# Facets tried for splitting a clamped listing, most useful first; others follow in board order.
# Single-valued facets come first: a job counted under one value only keeps requests down.
SPLIT_FACETS = ("jobFamilyGroup", "timeType", "locationCountry", "locations", "workerSubType")

_LOCALE = re.compile(r"^[a-z]{2}(?:-[A-Za-z]{2,4})?$")
_LOCATION_COUNT = re.compile(r"^\d+\s+locations?$", re.IGNORECASE)


@dataclass(frozen=True)
class Site:
    """Where a career site lives: ``https://{tenant}.wdN.myworkdayjobs.com[/{locale}]/{site}``."""

    origin: str
    tenant: str
    site: str


def parse_board_url(url: str | None) -> Site:
    """Tenant and site from a career-site URL (the locale segment, if any, is dropped)."""
    parts = urlsplit(url or "")
    host = parts.hostname or ""
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) > 1 and _LOCALE.match(segments[0]):
        segments = segments[1:]
    if parts.scheme not in ("http", "https") or "." not in host or not segments:
        raise ValueError(
            f"workday board url {url!r} is not https://{{tenant}}.wdN.myworkdayjobs.com/{{site}}"
        )
    return Site(
        origin=f"{parts.scheme}://{parts.netloc}", tenant=host.split(".")[0], site=segments[0]
    )


def posting_id(external_path: str) -> str:
    """The stable id: the last segment of ``externalPath``, which equals the detail's
    ``jobPostingId``. It is unique per posting and known from the list alone (so stored
    postings need no detail call); ``jobReqId`` is shared by postings of one requisition."""
    return external_path.rstrip("/").rsplit("/", 1)[-1]


def row_signature(row: dict[str, Any]) -> str:
    """The list row's hash without ``postedOn`` ("Posted Today" → "Posted Yesterday" is no
    change to the posting)."""
    return listing_hash({key: value for key, value in row.items() if key != "postedOn"})


def _row_locations(row: dict[str, Any]) -> list[str]:
    listed = row.get("locationsText")
    if not isinstance(listed, str) or _LOCATION_COUNT.match(listed.strip()):
        return []  # "3 Locations" names none of them
    return split_locations(listed)


def list_posting(row: dict[str, Any], site: Site) -> NormalizedPosting:
    """The posting as its list row gives it: a stored one's details are kept; a new one whose
    detail fails is stored like this until the detail is read."""
    path = row["externalPath"]
    locations = _row_locations(row)
    return NormalizedPosting(
        external_id=posting_id(path),
        title=clean_title(row.get("title")),
        url=f"{site.origin}/{site.site}{path}",
        locations=tuple(locations),
        workplace=workplace_from_locations(locations),
        hydrated=False,
        listing_hash=row_signature(row),
    )


def parse_detail(detail: Any, row: dict[str, Any], site: Site) -> NormalizedPosting:
    """Pure: a detail body (plus its list row) → a normalised posting."""
    info = detail.get("jobPostingInfo") if isinstance(detail, dict) else None
    if not isinstance(info, dict):
        raise ParseError(
            f"workday detail of {row.get('externalPath')}: {SHAPE}: no `jobPostingInfo`"
        )
    locations = split_locations(
        info.get("location") if isinstance(info.get("location"), str) else None
    )
    for extra_location in info.get("additionalLocations") or []:
        if isinstance(extra_location, str):
            locations.extend(split_locations(extra_location))
    locations = list(dict.fromkeys(locations or _row_locations(row)))
    description = html_to_text(info.get("jobDescription"))
    country = (info.get("jobRequisitionLocation") or {}).get("country") or {}
    extra = {
        key: value
        for key, value in (
            ("job_req_id", info.get("jobReqId")),
            ("country", country.get("alpha2Code")),
        )
        if value
    }
    path = row["externalPath"]
    return NormalizedPosting(
        external_id=posting_id(path),
        title=clean_title(info.get("title") or row.get("title")),
        url=info.get("externalUrl") or f"{site.origin}/{site.site}{path}",
        locations=tuple(locations),
        workplace=normalize_workplace(info.get("remoteType"))
        or workplace_from_locations(locations),
        employment_type=normalize_employment_type(info.get("timeType")),
        pay_text=(description,),  # Workday has no structured pay
        description=description,
        # `startDate` is the real posting date; `postedOn` is relative text ("Posted Today").
        posted_at=parse_timestamp(info.get("startDate")),
        extra=extra,
    )


def parse_page(payload: Any) -> tuple[int | None, list[dict[str, Any]], list[Any]]:
    """Pure: one ``/jobs`` page → (total, rows, facets)."""
    if not isinstance(payload, dict) or not isinstance(payload.get("jobPostings"), list):
        raise ParseError(f"workday: {SHAPE}: no `jobPostings` list")
    rows = payload["jobPostings"]
    if not all(isinstance(r, dict) and isinstance(r.get("externalPath"), str) for r in rows):
        raise ParseError(f"workday: {SHAPE}: posting row without `externalPath`")
    total = payload.get("total")
    facets = payload.get("facets")
    return (
        total if isinstance(total, int) and not isinstance(total, bool) else None,
        rows,
        facets if isinstance(facets, list) else [],
    )


def facet_groups(facets: list[Any]) -> list[tuple[str, list[dict[str, Any]]]]:
    """(parameter, values) for every facet, nested groups (``locationMainGroup``) flattened."""
    groups: list[tuple[str, list[dict[str, Any]]]] = []
    for facet in facets:
        if not isinstance(facet, dict) or not isinstance(facet.get("values"), list):
            continue
        values = [v for v in facet["values"] if isinstance(v, dict)]
        if any("facetParameter" in v for v in values):
            groups.extend(facet_groups(values))
        elif isinstance(facet.get("facetParameter"), str):
            groups.append((facet["facetParameter"], values))
    return groups


def choose_split(facets: list[Any]) -> tuple[str, list[str]] | None:
    """A facet whose every value lists fewer than CLAMP jobs and whose counts add up to at
    least CLAMP (fewer would certainly miss jobs): (parameter, value ids), or None."""
    groups = facet_groups(facets)
    order = {name: i for i, name in enumerate(SPLIT_FACETS)}
    for name, values in sorted(groups, key=lambda g: order.get(g[0], len(order))):
        counts = [v.get("count") for v in values]
        ids = [str(v["id"]) for v in values if v.get("id")]
        if not ids or len(ids) != len(values):
            continue
        numbers = [c for c in counts if isinstance(c, int) and not isinstance(c, bool)]
        if len(numbers) == len(counts) and max(numbers) < CLAMP and sum(numbers) >= CLAMP:
            return name, ids
    return None


@dataclass
class Listing:
    """What a (possibly split) listing yielded; ``warnings`` non-empty means partial."""

    rows: dict[str, dict[str, Any]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    total: int | None = None

    def add(self, rows: Iterable[dict[str, Any]]) -> None:
        for row in rows:
            self.rows.setdefault(row["externalPath"], row)


class WorkdayScraper(SpecChecked):
    ats = ATS
    spec = BoardSpec("url", "the career site")

    def validate(self, board: BoardConfig) -> str | None:
        problem = super().validate(board)
        if problem:
            return problem
        try:
            parse_board_url(board.url)
        except ValueError as exc:
            return str(exc)
        return None

    def cxs_root(self, board: BoardConfig) -> tuple[Site, str]:
        site = parse_board_url(board.url)
        root = api_root(board, site.origin)
        return site, f"{root}/wday/cxs/{site.tenant}/{site.site}"

    async def fetch(self, board: BoardConfig, fetcher: Fetcher, state: BoardState) -> BoardSnapshot:
        try:
            site, cxs = self.cxs_root(board)
        except ValueError as exc:
            raise ParseError(str(exc)) from exc
        listing = await self.read_listing(fetcher, f"{cxs}/jobs")
        details = await read_details(
            (
                Listed(list_posting(row, site), partial(self._detail, fetcher, cxs, site, row))
                for row in listing.rows.values()
            ),
            state,
        )
        postings: dict[str, NormalizedPosting] = {}
        for posting in details.postings:
            postings.setdefault(posting.external_id, posting)
        return BoardSnapshot(
            board=board,
            postings=tuple(postings.values()),
            complete=not listing.warnings,
            reported_total=listing.total,
            warnings=(*listing.warnings, *details.warnings),
        )

    async def _detail(
        self, fetcher: Fetcher, cxs: str, site: Site, row: dict[str, Any]
    ) -> NormalizedPosting:
        detail, _ = await fetcher.get_json(f"{cxs}{row['externalPath']}")
        return parse_detail(detail, row, site)

    async def _page(
        self, fetcher: Fetcher, url: str, applied: dict[str, list[str]], offset: int
    ) -> tuple[int | None, list[dict[str, Any]], list[Any]]:
        body = {"appliedFacets": applied, "limit": PAGE_SIZE, "offset": offset, "searchText": ""}
        return parse_page(await fetcher.post_json(url, body))

    async def _first_page(
        self, fetcher: Fetcher, url: str, applied: dict[str, list[str]]
    ) -> tuple[int, list[dict[str, Any]], list[Any]]:
        """Page 0, the only one whose ``total`` counts (later pages say ``total: 0``)."""
        total, rows, facets = await self._page(fetcher, url, applied, 0)
        where = f" ({applied})" if applied else ""
        if total is None:
            raise ParseError(f"workday: {SHAPE}: page 0{where} has no `total`")
        if total and not rows:
            raise ParseError(f"workday: {SHAPE}: page 0{where} reports total={total}, lists none")
        return total, rows, facets

    async def _facet_page(
        self, fetcher: Fetcher, url: str, name: str, value: str
    ) -> tuple[str, tuple[int, list[dict[str, Any]], list[Any]]]:
        return value, await self._first_page(fetcher, url, {name: [value]})

    async def read_listing(self, fetcher: Fetcher, url: str) -> Listing:
        """The whole listing; when it is clamped, the union of one facet's sub-listings."""
        total, rows, facets = await self._first_page(fetcher, url, {})
        listing = Listing(total=total)
        if total < CLAMP:
            await self._read_rest(fetcher, url, {}, total, rows, listing)
            return listing
        split = choose_split(facets)
        if split is None:
            await self._read_rest(fetcher, url, {}, total, rows, listing)
            listing.warnings.append(
                f"listing clamped at total={total} and no facet splits it; "
                f"read {len(listing.rows)} postings"
            )
            return listing
        name, ids = split
        firsts, failed = await gather_partial(
            (f"facet {name}={value}", self._facet_page(fetcher, url, name, value)) for value in ids
        )
        listing.warnings.extend(failed)
        for value, (sub_total, sub_rows, _) in firsts:
            if sub_total >= CLAMP:
                listing.warnings.append(f"facet {name}={value} is itself clamped")
            await self._read_rest(fetcher, url, {name: [value]}, sub_total, sub_rows, listing)
        if len(listing.rows) < CLAMP:
            listing.warnings.append(
                f"split by {name} found {len(listing.rows)} postings, fewer "
                f"than the clamped total {CLAMP}"
            )
        return listing

    async def _read_rest(
        self,
        fetcher: Fetcher,
        url: str,
        applied: dict[str, list[str]],
        total: int,
        first_rows: list[dict[str, Any]],
        listing: Listing,
    ) -> None:
        """Pages after page 0, bounded by its total (offsets past the end repeat pages; their
        own ``total`` is 0 and is never read)."""
        bound = min(total, CLAMP)
        offsets = list(range(PAGE_SIZE, bound, PAGE_SIZE))
        before = len(listing.rows)
        listing.add(first_rows)
        pages, failed = await gather_partial(
            (
                f"page at offset {offset}{f' ({applied})' if applied else ''}",
                self._page(fetcher, url, applied, offset),
            )
            for offset in offsets
        )
        listing.warnings.extend(failed)
        for page in pages:
            listing.add(page[1])
        read = len(listing.rows) - before
        if not applied and total < CLAMP and read < total:
            listing.warnings.append(f"total={total} but {read} distinct postings listed")
