"""Ingest: one transaction per board run, implementing the posting lifecycle rules.

- identity is (board, external_id); re-ingesting the same snapshot changes nothing;
- only a complete (``ok``) run may close, and only after two consecutive ok runs without it;
- a run that would remove more than half of at least 10 open postings, or empty a board, is
  suspicious: nothing closes until the drop persists for 3 runs spanning 24 hours;
- a closed posting that returns is reopened, never duplicated;
- changes to tracked fields are history rows; events go to the outbox in the same transaction.

Ingest stores enriched postings (``scrapers.enrich``): their pay, annual figures and labels
arrive settled, so nothing here reads rates or a taxonomy.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import cached_property
from typing import Any, cast

from sqlmodel import Session, col, select

from scrapers.enrich import EnrichedPosting, EnrichedSnapshot
from scrapers.enrich.topics import Classification
from scrapers.models import (
    BoardConfig,
    BoardSnapshot,
    EmploymentType,
    NormalizedPosting,
    Workplace,
)
from scrapers.normalize.text import without_control_chars
from scrapers.pay import AnnualPay
from store import rollups
from store.events import emit
from store.models import Board, Company, Posting, PostingChange, ScrapeRun, Subscription
from store.pay_columns import pay_columns, stored_pay
from store.reposts import link_closed, link_new, repost_key
from store.schemas import posting_pay
from store.serialize import posting_dict
from store.subscriptions import active_subscriptions

CLOSE_AFTER_MISSING_RUNS = 2
MASS_DROP_MIN_OPEN = 10
MASS_DROP_CONFIRM_RUNS = 3
MASS_DROP_CONFIRM_SPAN = timedelta(hours=24)
TRACKED_FIELDS = ("title", "team", "locations", "workplace", "employment_type", "pay")


def apply_labels(posting: Posting, labels: Classification | list[str]) -> None:
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
    company = session.exec(select(Company).where(Company.name == name)).first()
    if company is None:
        company = Company(name=name)
        session.add(company)
        session.flush()
    return company


def get_or_create_board(session: Session, config: BoardConfig) -> Board:
    board = session.exec(select(Board).where(Board.key == config.key)).first()
    company = get_or_create_company(session, config.company)
    if board is None:
        board = Board(
            key=config.key,
            company_id=company.id or 0,
            ats=config.ats,
            token=config.token,
            url=config.url,
            api_base=config.api_base,
        )
        session.add(board)
        session.flush()
    elif (board.company_id, board.api_base) != (company.id, config.api_base):
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
    return NormalizedPosting(
        external_id=posting.external_id,
        title=posting.title,
        url=posting.url,
        team=posting.team,
        department=posting.department,
        locations=tuple(posting.locations or ()),
        workplace=cast(Workplace | None, posting.workplace),
        employment_type=cast(EmploymentType | None, posting.employment_type),
        pay=pay,
        description=posting.description,
        posted_at=posting.posted_at,
        updated_at=posting.updated_at,
        company=company,
    )


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
    posting: Posting,
    item: NormalizedPosting,
    annual: AnnualPay | None,
    labels: Classification | list[str] | None,
) -> None:
    posting.title = item.title
    posting.team = item.team
    posting.department = item.department
    posting.locations = list(item.locations)
    posting.workplace = item.workplace
    posting.employment_type = item.employment_type
    posting.url = item.url
    posting.description = item.description
    posting.posted_at = item.posted_at or posting.posted_at
    posting.updated_at = item.updated_at
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

    def _emit(self, type_: str, posting: Posting, **extra: Any) -> None:
        data = {"posting": posting_dict(posting, self._company_name(posting), self.board.ats)}
        data.update(extra)
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
    def upsert(self, items: Sequence[EnrichedPosting]) -> set[str]:
        existing = {
            p.external_id: p
            for p in self.session.exec(select(Posting).where(Posting.board_id == self.board.id))
        }
        unique: dict[str, EnrichedPosting] = {}
        for item in items:
            clean = replace(item, posting=_storable(item.posting))
            unique[clean.posting.external_id] = clean  # one id listed twice is one posting
        inserted: list[Posting] = []
        for external_id, item in unique.items():
            self.counts.seen += 1
            posting = existing.get(external_id)
            if posting is None:
                inserted.append(self._insert(item))
            else:
                self._update(posting, item)
        if inserted:
            self.session.flush()  # one round trip assigns every new id
            link_new(self.session, inserted, self.now)
            for posting in inserted:
                self._emit("posting.opened", posting)
        return set(unique)

    def _insert(self, enriched: EnrichedPosting) -> Posting:
        item = enriched.posting
        posting = Posting(
            board_id=self.board.id or 0,
            company_id=self._company_for(item).id or 0,
            external_id=item.external_id,
            title=item.title,
            content_hash="",
            first_seen_at=self.now,
            last_seen_at=self.now,
            status="open",
            locations=[],
            topics=[],
        )  # set by _apply; skips default factories
        _apply(posting, item, enriched.annual, enriched.labels)
        rollups.touch(self.session, posting.company_id, self.now)
        self.session.add(posting)
        self.counts.new += 1
        return posting

    def _update(self, posting: Posting, enriched: EnrichedPosting) -> None:
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
            rollups.touch(self.session, posting.company_id, posting.closed_at)
            posting.status, posting.closed_at = "open", None
            self._history(posting, "status", "closed", "open")
            self.counts.reopened += 1
        if posting.content_hash != item.content_hash():
            before = _tracked(posting)
            previous_pay = posting_pay(posting)
            _apply(posting, item, annual, None if keep_labels else enriched.labels)
            rollups.touch_posting(self.session, posting)
            after = _tracked(posting)
            changed = [name for name in TRACKED_FIELDS if before[name] != after[name]]
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
        open_postings = list(
            self.session.exec(
                select(Posting).where(Posting.board_id == self.board.id, Posting.status == "open")
            )
        )
        missing = [p for p in open_postings if p.external_id not in present]
        self.counts.missing = len(missing)
        open_before = len(open_postings)
        mass_drop = open_before >= MASS_DROP_MIN_OPEN and len(missing) * 2 > open_before
        emptied = not present and open_before > 0
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
            for posting in missing:
                self._close(posting)
        else:
            self.board.drop_streak, self.board.drop_since = 0, None
            for posting in missing:
                posting.missing_runs += 1
                if posting.missing_runs >= CLOSE_AFTER_MISSING_RUNS:
                    self._close(posting)
                else:
                    self.session.add(posting)
        link_closed(self.session, [p for p in missing if p.status == "closed"], self.now)
        if not missing:
            self.board.drop_streak, self.board.drop_since = 0, None

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
        rollups.touch(self.session, posting.company_id, self.now)
        self._history(posting, "status", "open", "closed")
        self.session.add(posting)
        self.session.flush()
        self.counts.closed += 1
        self._emit("posting.closed", posting)

    def touch_open(self) -> None:
        """An unchanged board still lists its open postings: they were seen now."""
        for posting in self.session.exec(
            select(Posting).where(Posting.board_id == self.board.id, Posting.status == "open")
        ):
            posting.last_seen_at = self.now
            self.session.add(posting)
            self.counts.seen += 1

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
        and not has_pending_closures(session, board)
    ):
        work.touch_open()
        if snapshot.etag:
            board.etag = snapshot.etag
        return work.record("unchanged", started_at)
    present = work.upsert(enriched.postings)
    if snapshot.postings:
        board.ever_nonempty = True
    if not snapshot.complete:
        # Postings that were read are real; what was not read proves nothing.
        return work.record("partial", started_at, "; ".join(snapshot.warnings) or "incomplete")
    work.close_missing(present)
    board.etag = snapshot.etag
    board.content_hash = content_hash
    return work.record("ok", started_at, "; ".join(snapshot.warnings) or None)


def record_failure(
    session: Session, board: Board, error: str, *, started_at: datetime, now: datetime
) -> ScrapeRun:
    """A run that could not read the board: recorded, and nothing else is touched."""
    company = session.get(Company, board.company_id)
    assert company is not None
    return BoardIngest(session, board, company, now=now).record("failed", started_at, error)
