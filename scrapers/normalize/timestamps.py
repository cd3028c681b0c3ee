"""Timestamps as boards write them, read into aware UTC datetimes."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

_TRAILING_UTC = re.compile(r"\s*(?:UTC|GMT|Z)$", re.IGNORECASE)


def parse_timestamp(value: Any) -> datetime | None:
    """ISO-8601 (with or without zone, or a bare date), ``2026-09-18 13:27:28 UTC`` or unix
    seconds; None for anything else. A value without a zone is taken as UTC."""
    if isinstance(value, bool) or value is None or value == "":
        return None
    if isinstance(value, int | float):
        try:
            return datetime.fromtimestamp(value, UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str):
        return None
    text = value.strip()
    text = _TRAILING_UTC.sub("", text)
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)
