"""Value types passed from scrapers to the store: boards, snapshots and normalised postings.

Parsing is pure and rate-free: a source reports the pay its board states and nothing it would
have to guess. A structured band whose board names no period has ``Pay.period`` None; pay that
is only written in free text is left as ``NormalizedPosting.pay_text`` (the texts to read, in
order of preference). The enrich step (``scrapers.enrich``) settles both with the configured
rates before anything is stored.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

Workplace = Literal["onsite", "hybrid", "remote"]
EmploymentType = Literal["full_time", "part_time", "contract", "intern", "temporary"]
Period = Literal["hour", "day", "week", "month", "year"]
PaySource = Literal["structured", "text"]


@dataclass(frozen=True)
class BoardConfig:
    """One board of one company, as written in `sources.toml`."""

    company: str
    ats: str
    token: str | None = None
    url: str | None = None
    api_base: str | None = None

    @property
    def key(self) -> str:
        """Stable identity of the board across runs (``ats:token`` or ``ats:url``)."""
        return f"{self.ats}:{self.token or self.url or self.company}"


@dataclass(frozen=True)
class Pay:
    """A published pay band in the board's own currency and period.

    ``period`` is None only between parse and enrich, when the board gave a band without a
    period; enrich guesses it from the amount's size in the configured rates.
    """

    min: float | None
    max: float | None
    currency: str
    period: Period | None
    source: PaySource = "structured"


def _hashable(value: Any) -> str:
    """Instants by their UTC time, so a posting read back from the store (in UTC) hashes as it
    did when parsed (in the board's offset)."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).isoformat()
    return str(value)


@dataclass(frozen=True)
class NormalizedPosting:
    """One job posting in the shape every source is normalised to."""

    external_id: str
    title: str
    url: str | None = None
    team: str | None = None
    department: str | None = None
    locations: tuple[str, ...] = ()
    workplace: Workplace | None = None
    employment_type: EmploymentType | None = None
    pay: Pay | None = None
    description: str = ""
    posted_at: datetime | None = None
    updated_at: datetime | None = None
    company: str | None = None  # set only by sources that list several companies (Hacker News)
    # False when only the listing was read (the detail was skipped for a posting already
    # stored, or could not be read): ingest keeps the stored details, if there are any.
    hydrated: bool = True
    # True when the detail request failed (not 404/410): the posting is stored from its listing
    # and its detail is fetched again on a later run. Not hashed: it is fetch state, not content.
    detail_pending: bool = False
    # A signature of the posting's listing entry (Greenhouse ``updated_at``, else a hash of the
    # list row): an unchanged one needs no detail request. Not hashed for the same reason.
    listing_hash: str | None = None
    # A hash of the whole raw entry the posting was parsed from, where the source keeps one:
    # an entry hashing as the stored one is not parsed again (the posting is as stored).
    raw_hash: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    # Texts that may publish pay, best first, read by enrich when `pay` is None ("Salary:
    # $150k" header lines, then the description). Not hashed: the pay read from them is.
    pay_text: tuple[str, ...] = ()

    def content_hash(self) -> str:
        """A hash of everything the store keeps, used to skip unchanged postings cheaply."""
        pay = self.pay
        data = [
            self.external_id,
            *(getattr(self, name) for name in CONTENT_FIELDS),
            None if pay is None else [pay.min, pay.max, pay.currency, pay.period, pay.source],
            self.company,
        ]
        return hashlib.sha256(json.dumps(data, default=_hashable).encode()).hexdigest()


# What a posting says, beyond its id, pay and company: hashed above, and stored by ingest in the
# ``Posting`` columns of the same names (``store.posting_columns``). A new posting field is
# added here, on ``Posting``, on ``store.schemas.PostingOut`` and in a migration.
CONTENT_FIELDS = (
    "title",
    "url",
    "team",
    "department",
    "locations",
    "workplace",
    "employment_type",
    "description",
    "posted_at",
    "updated_at",
)


@dataclass(frozen=True)
class BoardSnapshot:
    """What one fetch of a board returned.

    `complete` is true only when every page was fetched and parsed and the totals agree;
    only complete snapshots may close postings. `not_modified` means the board answered 304.
    A posting whose detail could not be read is still listed (``detail_pending``); one whose
    detail answered 404/410 is left out, so the store counts it as missing.
    """

    board: BoardConfig
    postings: tuple[NormalizedPosting, ...]
    complete: bool = True
    not_modified: bool = False
    etag: str | None = None
    reported_total: int | None = None
    warnings: tuple[str, ...] = ()

    @property
    def pending_details(self) -> int:
        """Postings stored from their listing alone because their detail could not be read."""
        return sum(1 for p in self.postings if p.detail_pending)

    def content_hash(self) -> str:
        # Listing signatures are part of the board's hash: a changed listing entry must reach
        # the store (which remembers it) even when the posting's content did not change.
        digest = hashlib.sha256()
        for posting in sorted(self.postings, key=lambda p: p.external_id):
            digest.update(posting.content_hash().encode())
            digest.update((posting.listing_hash or "").encode())
        return digest.hexdigest()
