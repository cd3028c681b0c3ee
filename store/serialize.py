"""The public JSON shape of stored rows (the contract's "A posting"), shared by API and events."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from store.models import Posting
from store.schemas import posting_pay, whole


def iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


# Kept for callers of the older name.
number = whole


def pay_dict(posting: Posting) -> dict[str, Any] | None:
    pay = posting_pay(posting)
    return None if pay is None else pay.model_dump()


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
