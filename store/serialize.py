"""The public JSON shape of stored rows (the contract's "A posting"), shared by API and events."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, get_origin

from store.models import Posting
from store.schemas import PostingOut, posting_pay, whole


def iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


# Kept for callers of the older name.
number = whole


def pay_dict(posting: Posting) -> dict[str, Any] | None:
    pay = posting_pay(posting)
    return None if pay is None else pay.model_dump()


# Fields of ``PostingOut`` that are not columns of ``Posting`` of the same name.
DERIVED = frozenset({"company", "ats", "pay"})
LIST_FIELDS = frozenset(
    name for name, f in PostingOut.model_fields.items() if get_origin(f.annotation) is list
)


def row_value(posting: Posting, name: str) -> Any:
    """A ``Posting`` column as JSON shows it: instants as ISO strings, lists never null."""
    value = getattr(posting, name)
    if isinstance(value, datetime):
        return iso(value)
    if name in LIST_FIELDS:
        return list(value or [])
    return value


def posting_dict(posting: Posting, company: str, ats: str) -> dict[str, Any]:
    """The posting as ``PostingOut`` (key order included), built from its row."""
    derived = {"company": company, "ats": ats, "pay": pay_dict(posting)}
    return {
        name: derived[name] if name in DERIVED else row_value(posting, name)
        for name in PostingOut.model_fields
    }
