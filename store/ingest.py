"""Ingest: one transaction per board run, implementing the posting lifecycle rules.

- identity is (board, external_id); re-ingesting the same snapshot changes nothing;
- only a complete (``ok``) run may close, and only after two consecutive ok runs without it,
  two distinct observations: a run whose fetch started before the last counted run finished
  (they overlapped) counts for nothing; a ``skipped`` run (another held the board) never counts;
- a run that would remove more than half of at least 10 open postings, or empty a board, is
  suspicious: nothing closes until the drop persists for 3 runs spanning 24 hours;
- a closed posting that returns is reopened, never duplicated;
- changes to tracked fields are history rows; events go to the outbox in the same transaction;
- a listed posting whose detail could not be read is stored from its listing with its detail
  pending (retried with backoff); reading it later completes the posting (see ``_update``).

Ingest stores enriched postings (``scrapers.enrich``): their pay, annual figures and labels
arrive settled, so nothing here reads rates or a taxonomy.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import cache, cached_property
from types import SimpleNamespace
from typing import Any, cast

from sqlalchemy import Row, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, func, select

from scrapers.enrich import EnrichedPosting, EnrichedSnapshot
from scrapers.enrich.topics import Classification
from scrapers.models import (
    BoardConfig,
    BoardSnapshot,
    NormalizedPosting,
)
from scrapers.normalize.text import without_control_chars
from scrapers.pay import AnnualPay
from store import rollups
from store.events import emit, emit_many
from store.models import Board, Company, Posting, PostingChange, ScrapeRun, Subscription
from store.pay_columns import pay_columns, stored_pay
from store.posting_columns import content_columns, stored_content
from store.reposts import link_closed, link_new, repost_key
from store.schemas import posting_pay
from store.serialize import posting_dict
from store.subscriptions import active_subscriptions
from store.upsert import insert, insert_missing

CLOSE_AFTER_MISSING_RUNS = 2
SKIPPED_BUSY = "another run of this board is in progress"
OVERLAPPED = (
    "overlapped the previous counted run of this board: not a second observation, "
    "nothing counted towards closing"
)
MASS_DROP_MIN_OPEN = 10
MASS_DROP_CONFIRM_RUNS = 3
MASS_DROP_CONFIRM_SPAN = timedelta(hours=24)
TRACKED_FIELDS = ("title", "team", "locations", "workplace", "employment_type", "pay")
DETAIL_RETRY_FIRST = timedelta(minutes=30)
DETAIL_RETRY_MAX = timedelta(hours=24)


# Ids per IN (…) list: well inside SQLite's and PostgreSQL's limits on bound parameters.
_CHUNK = 500


def _chunks(values: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


class NewRow(SimpleNamespace):
    """A posting not stored yet, as its column values: far cheaper to fill than an ORM object
    (the insert returns those)."""


@cache
def _default_sources() -> tuple[dict[str, Any], dict[str, Callable[[], Any]]]:
    """``Posting``'s column defaults: plain values, and factories (a fresh list per row)."""
    values: dict[str, Any] = {}
    factories: dict[str, Callable[[], Any]] = {}
    for name, field_info in Posting.model_fields.items():
        if name == "id" or field_info.is_required():
            continue
        if field_info.default_factory is not None:
            factories[name] = cast(Callable[[], Any], field_info.default_factory)
        else:
            values[name] = field_info.default
    return values, factories


def _defaults() -> dict[str, Any]:
    """Every ``Posting`` column with a default, set to it (the primary key left to the database)."""
    values, factories = _default_sources()
    return {**values, **{name: make() for name, make in factories.items()}}


# What deciding a listed posting's fate needs of its stored row.
_DECIDING = (
    col(Posting.id),
    col(Posting.external_id),
    col(Posting.status),
    col(Posting.content_hash),
    col(Posting.listing_hash),
    col(Posting.raw_hash),
    col(Posting.detail_pending),
    col(Posting.listing_only),
)


def _only_seen(row: Row[Any], item: NormalizedPosting, fetched: NormalizedPosting) -> bool:
    """Whether being seen now is all that happens to a stored posting listed again: it is open,
    its content is as stored, and its listing signature and detail state stay as they are."""
    if row.status != "open" or not item.hydrated or row.content_hash != item.content_hash():
        return False
    if fetched.listing_hash is not None and fetched.listing_hash != row.listing_hash:
        return False
    if fetched.raw_hash is not None and fetched.raw_hash != row.raw_hash:
        return False
    if fetched.detail_pending:
        return False
    return not (_read(fetched) and (row.detail_pending or row.listing_only))


def detail_retry_delay(attempts: int) -> timedelta:
    """How long to wait after ``attempts`` failed detail requests: 30 min, doubling, ≤ 24 h."""
    return min(DETAIL_RETRY_FIRST * 2 ** min(max(attempts - 1, 0), 16), DETAIL_RETRY_MAX)


def apply_labels(posting: Posting | NewRow, labels: Classification | list[str]) -> None:
    if isinstance(labels, Classification):
        posting.topics = list(labels.topics)
        posting.function, posting.seniority = labels.function, labels.seniority
    else:
        posting.topics = list(labels)


@dataclass
class RunCounts:
    seen: int = 0
    new: int = 0
    changed: int = 0
    closed: int = 0
    reopened: int = 0
    missing: int = 0
    suspicious: bool = False
    notes: list[str] = field(default_factory=list)


def get_or_create_company(session: Session, name: str) -> Company:
    by_name = select(Company).where(Company.name == name)
    company = session.exec(by_name).first()
    if company is None:
        # Another process may be adding it too: whichever inserts it, both read the one row.
        insert_missing(session, Company(name=name), key=["name"])
        company = session.exec(by_name).one()
    return company


def get_or_create_board(session: Session, config: BoardConfig) -> Board:
    by_key = select(Board).where(Board.key == config.key)
    board = session.exec(by_key).first()
    company = get_or_create_company(session, config.company)
    if board is None:
        new = Board(
            key=config.key,
            company_id=company.id or 0,
            ats=config.ats,
            token=config.token,
            url=config.url,
            api_base=config.api_base,
        )
        insert_missing(session, new, key=["key"])
        board = session.exec(by_key).one()
    if (board.company_id, board.api_base) != (company.id, config.api_base):
        board.company_id, board.api_base = company.id or 0, config.api_base
        session.add(board)
    return board


def has_pending_closures(session: Session, board: Board) -> bool:
    """True while the board has postings counting towards closure or a drop being confirmed:
    then conditional requests and content-hash shortcuts are skipped, so runs can be ``ok``."""
    if board.drop_streak:
        return True
    pending = session.exec(
        select(Posting.id)
        .where(Posting.board_id == board.id, Posting.status == "open", Posting.missing_runs > 0)
        .limit(1)
    ).first()
    return pending is not None


def _pay_summary(posting: Posting) -> dict[str, Any] | None:
    """The band as history rows record it (the published figures only)."""
    stored = stored_pay(posting)
    if stored is None:
        return None
    pay = stored[0]
    return {"min": pay.min, "max": pay.max, "currency": pay.currency, "period": pay.period}


def _tracked(posting: Posting) -> dict[str, Any]:
    return {
        "title": posting.title,
        "team": posting.team,
        "locations": list(posting.locations or []),
        "workplace": posting.workplace,
        "employment_type": posting.employment_type,
        "pay": _pay_summary(posting),
    }


def stored_as_normalized(posting: Posting, company: str | None = None) -> NormalizedPosting:
    """The stored posting in the scrapers' shape (to merge list-only updates into it)."""
    stored = stored_pay(posting)
    pay = stored[0] if stored else None
    return stored_content(posting, pay=pay, company=company)


def stored_details(
    session: Session, board: Board, snapshot: BoardSnapshot
) -> dict[str, NormalizedPosting]:
    """The stored versions of the snapshot's list-only postings (``hydrated`` False), by
    external id, for ``enrich`` to classify and price them whole."""
    bare = {p.external_id for p in snapshot.postings if not p.hydrated}
    if not bare:
        return {}
    rows = session.exec(
        select(Posting).where(col(Posting.board_id) == board.id, col(Posting.external_id).in_(bare))
    )
    return {p.external_id: stored_as_normalized(p) for p in rows}


@dataclass(frozen=True)
class ListingMemory:
    """What a board's next fetch needs to know of its stored postings."""

    known_ids: frozenset[str]
    listing_hashes: dict[str, str]  # by external id, where one is stored
    raw_hashes: dict[str, str]  # likewise
    # Details to read whatever the listing says: pending and due, or listed while closing or
    # closed (to see whether the posting is back).
    refresh_ids: frozenset[str]
    details_due: bool  # some pending detail is due: the listing must be read, not a 304


def listing_memory(session: Session, board: Board, now: datetime) -> ListingMemory:
    rows = session.execute(
        sa_select(
            col(Posting.external_id),
            col(Posting.listing_hash),
            col(Posting.raw_hash),
            col(Posting.status),
            col(Posting.missing_runs),
            col(Posting.detail_pending),
            col(Posting.detail_retry_at),
        ).where(col(Posting.board_id) == board.id)
    ).all()
    due = {
        row.external_id
        for row in rows
        if row.status == "open"
        and row.detail_pending
        and (row.detail_retry_at is None or row.detail_retry_at <= now)
    }
    returning = {r.external_id for r in rows if r.status == "closed" or r.missing_runs > 0}
    return ListingMemory(
        known_ids=frozenset(r.external_id for r in rows),
        listing_hashes={r.external_id: r.listing_hash for r in rows if r.listing_hash},
        raw_hashes={r.external_id: r.raw_hash for r in rows if r.raw_hash},
        refresh_ids=frozenset(due | returning),
        details_due=bool(due),
    )


def _read(fetched: NormalizedPosting) -> bool:
    """Whether the fetch read the whole posting (its detail, or a listing that has it all)."""
    return fetched.hydrated and not fetched.detail_pending


def _storable(item: NormalizedPosting) -> NormalizedPosting:
    """The posting with control characters removed from its text (boards do send them)."""

    def clean(text: str | None) -> str | None:
        return None if text is None else without_control_chars(text)

    return replace(
        item,
        external_id=without_control_chars(item.external_id),
        title=without_control_chars(item.title),
        url=clean(item.url),
        team=clean(item.team),
        department=clean(item.department),
        description=without_control_chars(item.description),
        locations=tuple(without_control_chars(x) for x in item.locations),
        company=clean(item.company),
    )


def _apply(
    posting: Posting | NewRow,
    item: NormalizedPosting,
    annual: AnnualPay | None,
    labels: Classification | list[str] | None,
) -> None:
    for key, value in content_columns(item, posting.posted_at).items():
        setattr(posting, key, value)
    if labels is not None:
        apply_labels(posting, labels)
    posting.content_hash = item.content_hash()
    posting.repost_key = repost_key(item.title, item.locations)
    for key, value in pay_columns(item.pay, annual).items():
        setattr(posting, key, value)


class BoardIngest:
    """Applies one snapshot (or one failure) of one board inside the caller's session."""

    def __init__(self, session: Session, board: Board, company: Company, *, now: datetime) -> None:
        self.session = session
        self.board = board
        self.company = company
        self.now = now
        self.counts = RunCounts()
        self._companies: dict[str, Company] = {company.name: company}
        self._to_insert: dict[str, EnrichedPosting] = {}  # postings to insert, by external id

    @cached_property
    def subscriptions(self) -> list[Subscription]:
        """Active webhook subscriptions, read once per run rather than once per event."""
        return active_subscriptions(self.session)

    # -- events -------------------------------------------------------------------------
    def _company_name(self, posting: Posting) -> str:
        for company in self._companies.values():
            if company.id == posting.company_id:
                return company.name
        return self.company.name

    def _event_data(self, posting: Posting, **extra: Any) -> dict[str, Any]:
        data = {"posting": posting_dict(posting, self._company_name(posting), self.board.ats)}
        data.update(extra)
        return data

    def _emit(self, type_: str, posting: Posting, **extra: Any) -> None:
        data = self._event_data(posting, **extra)
        emit(
            self.session,
            type_,
            data,
            at=self.now,
            posting_id=posting.id,
            subscriptions=self.subscriptions,
        )

    def _history(self, posting: Posting, field_name: str, old: Any, new: Any) -> None:
        self.session.add(
            PostingChange(
                posting_id=posting.id or 0, at=self.now, field=field_name, old=old, new=new
            )
        )

    def _company_for(self, item: NormalizedPosting) -> Company:
        if not item.company:
            return self.company
        if item.company not in self._companies:
            self._companies[item.company] = get_or_create_company(self.session, item.company)
        return self._companies[item.company]

    # -- the rules ----------------------------------------------------------------------
    def upsert(
        self, items: Sequence[EnrichedPosting], fetched: Sequence[NormalizedPosting] = ()
    ) -> set[str]:
        """Store the snapshot's postings. ``fetched`` are the postings as fetched, before
        enrich completed list-only ones from the store: they tell whether each detail was
        read, is pending, or was skipped, and carry the listing signatures.

        Set-wise: the stored state of the board is read as plain rows; a posting whose content
        hash and detail state are as stored is only *seen* (one UPDATE for all of them); only
        new, changed, returning or detail-changing postings go through the ORM, one by one."""
        as_fetched = {without_control_chars(p.external_id): p for p in fetched}
        unique: dict[str, EnrichedPosting] = {}
        for item in items:
            clean = replace(item, posting=_storable(item.posting))
            unique[clean.posting.external_id] = clean  # one id listed twice is one posting
        stored = self._stored_rows()
        seen: list[int] = []
        slow: list[str] = []
        new: list[str] = []
        for external_id, item in unique.items():
            self.counts.seen += 1
            row = stored.get(external_id)
            how = as_fetched.get(external_id, item.posting)
            if row is None:
                new.append(external_id)
            elif _only_seen(row, item.posting, how):
                seen.append(row.id)
            else:
                slow.append(external_id)
        self._mark_seen(seen)
        for posting in self._load(slow):
            item = unique[posting.external_id]
            how = as_fetched.get(posting.external_id, item.posting)
            self._update(posting, item, first_details=posting.listing_only and _read(how))
            self._note_detail(posting, how, new=False)
        if new:
            fresh: list[NewRow] = []
            for external_id in new:
                item = unique[external_id]
                fresh.append(self._insert(item))
                self._note_detail(fresh[-1], as_fetched.get(external_id, item.posting), new=True)
            inserted = self._write_new(fresh)
            link_new(self.session, inserted, self.now)
            emit_many(
                self.session,
                "posting.opened",
                [(self._event_data(posting), posting.id) for posting in inserted],
                at=self.now,
                subscriptions=self.subscriptions,
            )
        return set(unique)

    def _stored_rows(self) -> dict[str, Row[Any]]:
        """The board's stored postings as plain rows (what deciding needs), by external id."""
        rows = self.session.execute(
            sa_select(*_DECIDING).where(col(Posting.board_id) == self.board.id)
        )
        return {row.external_id: row for row in rows}

    def _mark_seen(self, ids: Sequence[int]) -> None:
        """Postings listed again as they are: seen now, and no longer counting towards closing."""
        for chunk in _chunks(ids):
            self.session.execute(
                update(Posting)
                .where(col(Posting.id).in_(chunk))
                .values(last_seen_at=self.now, missing_runs=0)
                .execution_options(synchronize_session=False)
            )

    def _load(self, values: Sequence[Any], key: str = "external_id") -> list[Posting]:
        """The board's postings whose ``key`` column is one of ``values`` (external ids by
        default), as ORM objects, in the order of ``values``."""
        column = col(getattr(Posting, key))
        found: dict[Any, Posting] = {}
        for chunk in _chunks(values):
            for posting in self.session.exec(
                select(Posting).where(Posting.board_id == self.board.id, column.in_(chunk))
            ):
                found[getattr(posting, key)] = posting
        return [found[v] for v in values if v in found]

    def _insert(self, enriched: EnrichedPosting) -> NewRow:
        item = enriched.posting
        row = NewRow(
            **{
                **_defaults(),
                "board_id": self.board.id or 0,
                "company_id": self._company_for(item).id or 0,
                "external_id": item.external_id,
                "first_seen_at": self.now,
                "last_seen_at": self.now,
                "status": "open",
            }
        )
        _apply(row, item, enriched.annual, enriched.labels)
        self._to_insert[item.external_id] = enriched
        rollups.touch(self.session, row.company_id, self.now)
        self.counts.new += 1
        return row  # written by _write_new, with every other new one, in one statement

    def _write_new(self, rows: list[NewRow]) -> list[Posting]:
        """Insert the new postings in one statement, skipping any another process inserted
        meanwhile (those are updated like any stored posting). Returns the rows inserted."""
        stmt = (
            insert(self.session, Posting)
            .on_conflict_do_nothing(index_elements=["board_id", "external_id"])
            .returning(Posting)
        )
        params = [vars(row) for row in rows]
        written: list[Posting] = list(self.session.exec(stmt, params=params).scalars())
        taken = {p.external_id for p in written}
        raced = [row.external_id for row in rows if row.external_id not in taken]
        for posting in self._load(raced):
            self.counts.new -= 1
            self._update(posting, self._to_insert[posting.external_id])
        self._to_insert.clear()
        return written

    def _note_detail(
        self, posting: Posting | NewRow, fetched: NormalizedPosting, *, new: bool
    ) -> None:
        """Keep the listing signature and the detail's state: pending after a failed request
        (the next attempt backs off), cleared once a run read the whole posting."""
        if fetched.listing_hash is not None:
            posting.listing_hash = fetched.listing_hash
        if fetched.raw_hash is not None:
            posting.raw_hash = fetched.raw_hash
        if fetched.detail_pending:
            posting.detail_pending = True
            posting.detail_attempts += 1
            posting.detail_retry_at = self.now + detail_retry_delay(posting.detail_attempts)
            posting.listing_only = posting.listing_only or new
        elif _read(fetched) and (posting.detail_pending or posting.listing_only):
            posting.detail_pending, posting.listing_only = False, False
            posting.detail_attempts, posting.detail_retry_at = 0, None

    def _update(
        self, posting: Posting, enriched: EnrichedPosting, *, first_details: bool = False
    ) -> None:
        """Apply a posting seen again. ``first_details``: the stored version came from its
        listing alone and this one has the details read at last."""
        item, annual = enriched.posting, enriched.annual
        keep_labels = False
        if not item.hydrated:
            # not completed by with_stored_details: keep the stored details, band and labels
            item = replace(
                stored_as_normalized(posting, item.company),
                title=item.title,
                url=item.url or posting.url,
            )
            stored = stored_pay(posting)
            annual, keep_labels = (stored[1] if stored else None), True
        posting.last_seen_at = self.now
        posting.missing_runs = 0
        reopened = posting.status == "closed"
        if reopened:
            rollups.touch(self.session, posting.company_id, posting.closed_at, closed=True)
            posting.status, posting.closed_at = "open", None
            self._history(posting, "status", "closed", "open")
            self.counts.reopened += 1
        if posting.content_hash != item.content_hash():
            before = _tracked(posting)
            previous_pay = posting_pay(posting)
            _apply(posting, item, annual, None if keep_labels else enriched.labels)
            rollups.touch_posting(self.session, posting)
            after = _tracked(posting)
            # Reading a listing-only posting's detail is the first publication of what only
            # the detail says (team, locations, pay, …), not a change: no history rows, and no
            # `posting.pay_changed` for a pay that was merely unknown until now. Its
            # `posting.opened` went out, with the listing's fields, when it was first stored.
            changed = (
                []
                if first_details
                else [name for name in TRACKED_FIELDS if before[name] != after[name]]
            )
            for name in changed:
                self._history(posting, name, before[name], after[name])
            if changed:
                self.counts.changed += 1
            if "pay" in changed and not reopened:
                self._emit(
                    "posting.pay_changed",
                    posting,
                    previous_pay=(previous_pay.model_dump() if previous_pay else None),
                )
        self.session.add(posting)
        if reopened:
            self.session.flush()
            self._emit("posting.opened", posting, reopened=True)

    def close_missing(self, present: set[str]) -> None:
        open_rows = self.session.execute(
            sa_select(col(Posting.id), col(Posting.external_id), col(Posting.missing_runs)).where(
                col(Posting.board_id) == self.board.id, col(Posting.status) == "open"
            )
        ).all()
        missing = [row for row in open_rows if row.external_id not in present]
        self.counts.missing = len(missing)
        open_before = len(open_rows)
        mass_drop = open_before >= MASS_DROP_MIN_OPEN and len(missing) * 2 > open_before
        emptied = not present and open_before > 0
        closing: list[int] = []
        if missing and (mass_drop or emptied):
            if not self._drop_confirmed():
                self.counts.suspicious = True
                self.counts.notes.append(
                    f"suspicious: {len(missing)} of {open_before} open postings vanished at once "
                    f"(run {self.board.drop_streak} of {MASS_DROP_CONFIRM_RUNS}); nothing closed"
                )
                return
            self.counts.notes.append(
                f"drop of {len(missing)} postings persisted for {self.board.drop_streak} runs; "
                "accepted"
            )
            closing = [row.id for row in missing]
        else:
            self.board.drop_streak, self.board.drop_since = 0, None
            closing = [r.id for r in missing if r.missing_runs + 1 >= CLOSE_AFTER_MISSING_RUNS]
            counting = [r.id for r in missing if r.missing_runs + 1 < CLOSE_AFTER_MISSING_RUNS]
            for chunk in _chunks(counting):
                self.session.execute(
                    update(Posting)
                    .where(col(Posting.id).in_(chunk))
                    .values(missing_runs=col(Posting.missing_runs) + 1)
                    .execution_options(synchronize_session=False)
                )
        closed = self._load(sorted(closing), key="id")
        for posting in closed:
            self._close(posting)
        link_closed(self.session, closed, self.now)

    def _drop_confirmed(self) -> bool:
        self.board.drop_streak += 1
        self.board.drop_since = self.board.drop_since or self.now
        confirmed = (
            self.board.drop_streak >= MASS_DROP_CONFIRM_RUNS
            and self.now - self.board.drop_since >= MASS_DROP_CONFIRM_SPAN
        )
        if confirmed:
            self.board.drop_streak, self.board.drop_since = 0, None
        return confirmed

    def _close(self, posting: Posting) -> None:
        posting.status, posting.closed_at, posting.missing_runs = "closed", self.now, 0
        rollups.touch_closing(self.session, posting)
        self._history(posting, "status", "open", "closed")
        self.session.add(posting)
        self.session.flush()
        self.counts.closed += 1
        self._emit("posting.closed", posting)

    def touch_open(self) -> None:
        """An unchanged board still lists its open postings: they were seen now."""
        result = self.session.execute(
            update(Posting)
            .where(col(Posting.board_id) == self.board.id, col(Posting.status) == "open")
            .values(last_seen_at=self.now)
            .execution_options(synchronize_session=False)
        )
        self.counts.seen += int(getattr(result, "rowcount", 0) or 0)

    def details_pending(self) -> int:
        """Open postings of the board whose detail is still to be read."""
        return int(
            self.session.exec(
                select(func.count())
                .select_from(Posting)
                .where(
                    Posting.board_id == self.board.id,
                    Posting.status == "open",
                    col(Posting.detail_pending),
                )
            ).one()
        )

    def record(self, outcome: str, started_at: datetime, error: str | None = None) -> ScrapeRun:
        notes = "; ".join(self.counts.notes) or None
        message = "; ".join(part for part in (error, notes) if part) or None
        run = ScrapeRun(
            board_id=self.board.id or 0,
            started_at=started_at,
            finished_at=self.now,
            outcome=outcome,
            suspicious=self.counts.suspicious,
            seen=self.counts.seen,
            new=self.counts.new,
            changed=self.counts.changed,
            closed=self.counts.closed,
            reopened=self.counts.reopened,
            missing=self.counts.missing,
            details_pending=self.details_pending(),
            error=message,
        )
        self.board.last_run_at = self.now
        if outcome in ("ok", "unchanged"):
            self.board.last_ok_at = self.now
        self.session.add(self.board)
        self.session.add(run)
        self.session.flush()
        return run


def ingest_snapshot(
    session: Session,
    board: Board,
    enriched: EnrichedSnapshot,
    *,
    started_at: datetime,
    now: datetime,
) -> ScrapeRun:
    """Apply one fetched, enriched snapshot; returns the recorded run. The caller commits."""
    company = session.get(Company, board.company_id)
    assert company is not None
    work = BoardIngest(session, board, company, now=now)
    snapshot = enriched.snapshot
    content_hash = enriched.content_hash()
    if snapshot.not_modified or (
        snapshot.complete
        and content_hash == board.content_hash
        and not snapshot.pending_details  # failed attempts are counted, even on a same listing
        and not has_pending_closures(session, board)
    ):
        work.touch_open()
        if snapshot.etag:
            board.etag = snapshot.etag
        return work.record("unchanged", started_at)
    present = work.upsert(enriched.postings, snapshot.postings)
    if snapshot.postings:
        board.ever_nonempty = True
    if not snapshot.complete:
        # Postings that were read are real; what was not read proves nothing.
        return work.record("partial", started_at, "; ".join(snapshot.warnings) or "incomplete")
    if board.last_counted_at is not None and started_at < board.last_counted_at:
        # Fetched while the last counted run was still going: the same observation again. The
        # board keeps that run's etag and hash, so the next run is read in full and can count.
        work.counts.notes.append(OVERLAPPED)
    else:
        work.close_missing(present)
        board.last_counted_at = now
        # A listed posting left out (its detail answered 404/410) may come back through its
        # detail alone, with the listing unchanged: the next run must read it, not get a 304.
        left_out = (snapshot.reported_total or 0) > len(snapshot.postings)
        board.etag = None if left_out else snapshot.etag
        board.content_hash = content_hash
    return work.record("ok", started_at, "; ".join(snapshot.warnings) or None)


def record_failure(
    session: Session, board: Board, error: str, *, started_at: datetime, now: datetime
) -> ScrapeRun:
    """A run that could not read the board: recorded, and nothing else is touched."""
    company = session.get(Company, board.company_id)
    assert company is not None
    return BoardIngest(session, board, company, now=now).record("failed", started_at, error)


def record_skipped(
    session: Session, board: Board, *, started_at: datetime, now: datetime
) -> ScrapeRun:
    """A run turned away because another run of the board is in progress. Recorded so that it
    shows, and nothing else is touched: not the board (its last run and last ok stay the other
    run's), not a posting, and it never counts towards closing anything."""
    run = ScrapeRun(
        board_id=board.id or 0,
        started_at=started_at,
        finished_at=now,
        outcome="skipped",
        error=SKIPPED_BUSY,
    )
    session.add(run)
    session.flush()
    return run
