"""`GET /feeds/new-roles.atom`: an Atom feed of newly seen roles for any posting filter."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from feedgen.feed import FeedGenerator

from service.api.deps import SessionDep
from service.api.errors import errors
from service.api.filters import feed_filter
from service.pay_text import format_pay
from store.queries import PostingFilter, list_postings
from store.schemas import PostingOut

router = APIRouter(tags=["feeds"])

ATOM_MEDIA_TYPE = "application/atom+xml"
# A fixed "updated" for an empty feed keeps the document identical between polls.
EMPTY_FEED_UPDATED = datetime(2026, 1, 1, tzinfo=UTC)


def _describe(flt: PostingFilter) -> str:
    parts = []
    if flt.companies:
        parts.append(", ".join(flt.companies))
    if flt.topics:
        parts.append("topics " + ", ".join(flt.topics))
    if flt.q:
        parts.append(f"matching {flt.q!r}")
    for label, values in (("function", flt.functions), ("seniority", flt.seniorities)):
        if values:
            parts.append(f"{label} " + ", ".join(values))
    if flt.workplace:
        parts.append(flt.workplace)
    if flt.min_annual_pay is not None:
        parts.append(f"paying at least ${flt.min_annual_pay:,.0f} a year")
    return "new roles" + (f" — {'; '.join(parts)}" if parts else "")


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


def _summary(item: PostingOut) -> str:
    lines = [f"{item.company}: {item.title}"]
    for label, value in (
        ("Team", item.team),
        ("Locations", "; ".join(item.locations) or None),
        ("Workplace", item.workplace),
        ("Pay", format_pay(item.pay, "feed") or None),
        ("Topics", ", ".join(item.topics) or None),
    ):
        if value:
            lines.append(f"{label}: {value}")
    return "\n".join(lines)


def build_feed(
    items: Sequence[PostingOut | Mapping[str, Any]], *, title: str, self_url: str, base_url: str
) -> bytes:
    """Atom XML for postings (``PostingOut``, or its JSON), newest first."""
    postings = [i if isinstance(i, PostingOut) else PostingOut.model_validate(i) for i in items]
    fg = FeedGenerator()
    fg.id(self_url)
    fg.title(f"talentflow: {title}")
    fg.author({"name": "talentflow"})
    fg.link(href=self_url, rel="self", type=ATOM_MEDIA_TYPE)
    fg.link(href=base_url, rel="alternate")
    fg.generator("talentflow")
    seen = [_when(p.first_seen_at) for p in postings]
    fg.updated(max((s for s in seen if s), default=EMPTY_FEED_UPDATED))
    for item, first_seen in zip(postings, seen, strict=True):
        entry = fg.add_entry(order="append")
        entry.id(f"{base_url}api/postings/{item.id}")
        entry.title(f"{item.company}: {item.title}")
        entry.link(href=item.url or f"{base_url}api/postings/{item.id}", rel="alternate")
        entry.updated(first_seen or EMPTY_FEED_UPDATED)
        published = _when(item.posted_at) or first_seen
        if published:
            entry.published(published)
        entry.summary(_summary(item))
        for topic in item.topics:
            entry.category(term=topic)
    return bytes(fg.atom_str(pretty=True))


@router.get(
    "/feeds/new-roles.atom",
    response_class=Response,
    responses={200: {"content": {ATOM_MEDIA_TYPE: {"schema": {"type": "string"}}}}, **errors(503)},
)
def new_roles(
    request: Request,
    session: SessionDep,
    flt: Annotated[PostingFilter, Depends(feed_filter)],
    limit: Annotated[int, Query(ge=1, le=200, description="entries (at most 200)")] = 50,
) -> Response:
    """The newest roles first seen for this filter, e.g. `?company=xAI&topic=games`."""
    page = list_postings(session, flt, limit=limit)
    body = build_feed(
        page.items, title=_describe(flt), self_url=str(request.url), base_url=str(request.base_url)
    )
    return Response(content=body, media_type=ATOM_MEDIA_TYPE)
