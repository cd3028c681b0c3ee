"""Running the enrich step in tests with the shipped rates and taxonomy, chosen explicitly."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlmodel import Session

from scrapers.currency import Rates, load_rates
from scrapers.enrich import Classifier, enrich, settle_pay
from scrapers.enrich.topics import taxonomy_at
from scrapers.models import BoardSnapshot, NormalizedPosting, Pay
from store.ingest import ingest_snapshot, stored_details
from store.models import Board, ScrapeRun


def settled(posting: NormalizedPosting, rates: Rates | None = None) -> NormalizedPosting:
    """The parsed posting with its pay settled as enrich settles it (shipped rates)."""
    return replace(posting, pay=settle_pay(posting, rates or load_rates()), pay_text=())


def store_snapshot(
    session: Session,
    board: Board,
    snap: BoardSnapshot,
    *,
    started_at: datetime,
    now: datetime,
    classify: Classifier | None = None,
    rates: Rates | None = None,
) -> ScrapeRun:
    """What a scrape does between fetch and commit: complete list-only postings, enrich, ingest."""
    enriched = enrich(
        snap, classify or taxonomy_at(), rates or load_rates(), stored_details(session, board, snap)
    )
    return ingest_snapshot(session, board, enriched, started_at=started_at, now=now)


def settled_pay(pay: Pay | None, rates: Rates | None = None) -> Pay | None:
    """A parsed structured band with the period enrich gives it when the board names none."""
    if pay is None:
        return None
    return settle_pay(NormalizedPosting(external_id="x", title="x", pay=pay), rates or load_rates())
