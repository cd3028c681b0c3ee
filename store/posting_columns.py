"""The one mapping between a normalised posting's content and its ``Posting`` columns.

Both directions read ``scrapers.models.CONTENT_FIELDS``: the column of each field has the field's
name; tuples are stored as lists. Pay has its own mapping (``store.pay_columns``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from scrapers.models import CONTENT_FIELDS, NormalizedPosting, Pay
from store.models import Posting


def content_columns(item: NormalizedPosting, stored_posted_at: datetime | None) -> dict[str, Any]:
    """The column values of the posting's content (a missing ``posted_at`` keeps the stored one:
    boards drop it on some reads)."""
    values = {name: getattr(item, name) for name in CONTENT_FIELDS}
    values["locations"] = list(item.locations)
    values["posted_at"] = item.posted_at or stored_posted_at
    return values


def stored_content(
    posting: Posting, *, pay: Pay | None, company: str | None = None
) -> NormalizedPosting:
    """The stored posting in the scrapers' shape."""
    values: dict[str, Any] = {name: getattr(posting, name) for name in CONTENT_FIELDS}
    values["locations"] = tuple(posting.locations or ())
    return NormalizedPosting(external_id=posting.external_id, pay=pay, company=company, **values)
