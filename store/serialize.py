"""The public JSON shape of stored rows (the contract's "A posting"), shared by API and events."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from store.models import Posting
from store.pay_columns import stored_pay


def iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def number(value: float | None) -> float | int | None:
    """Whole amounts as integers (180000, not 180000.0), others as they are."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def pay_dict(posting: Posting) -> dict[str, Any] | None:
    stored = stored_pay(posting)
    if stored is None:
        return None
    pay, annual = stored
    return {
        "min": number(pay.min),
        "max": number(pay.max),
        "currency": pay.currency,
        "period": pay.period,
        "annual_min": number(annual.annual_min),
        "annual_max": number(annual.annual_max),
        "annual_min_usd": number(annual.annual_min_usd),
        "annual_max_usd": number(annual.annual_max_usd),
        "source": pay.source,
    }


def posting_dict(posting: Posting, company: str, ats: str) -> dict[str, Any]:
    return {
        "id": posting.id,
        "company": company,
        "ats": ats,
        "external_id": posting.external_id,
        "title": posting.title,
        "team": posting.team,
        "department": posting.department,
        "locations": list(posting.locations or []),
        "workplace": posting.workplace,
        "employment_type": posting.employment_type,
        "pay": pay_dict(posting),
        "topics": list(posting.topics or []),
        "function": posting.function,
        "seniority": posting.seniority,
        "url": posting.url,
        "posted_at": iso(posting.posted_at),
        "first_seen_at": iso(posting.first_seen_at),
        "last_seen_at": iso(posting.last_seen_at),
        "closed_at": iso(posting.closed_at),
        "status": posting.status,
        "repost_of": posting.repost_of,
    }
