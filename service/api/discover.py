"""``POST /api/sources/discover``: find a company's public boards (key needed).

A careers-page URL given here is fetched by the server, so every request discovery makes goes
through :class:`service.discover.guard.GuardedTransport`: loopback and private addresses are
refused unless ``TALENTFLOW_ALLOW_PRIVATE_DISCOVERY`` is set.
"""

from __future__ import annotations

from typing import Annotated, Any

import httpx
from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel, ConfigDict, Field, model_validator

from service.api.auth import WriteKeyDep
from service.api.deps import SettingsDep
from service.api.errors import BODY_ERRORS, KEY_ERRORS, errors
from service.api.params import PAGE_URL, NamedText
from service.discover import Discovery, discover, looks_like_url
from service.discover.core import normalise_url
from service.discover.guard import ANY_PORT, PUBLIC_PORTS, GuardedTransport
from service.settings import Settings
from service.webhooks.ssrf import (
    MAX_URL_LENGTH,
    Resolver,
    UnsafeTarget,
    check_target,
    system_resolver,
)
from store.schemas import DiscoveryOut

router = APIRouter(tags=["sources"])


class DiscoverIn(BaseModel):
    # One of `query` and `url` is needed; the schema says so too.
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "anyOf": [
                {"required": ["query"], "properties": {"query": {"type": "string"}}},
                {"required": ["url"], "properties": {"url": {"type": "string"}}},
            ]
        },
    )

    query: Annotated[
        NamedText | None,
        Field(min_length=1, max_length=200, description="company name, or a careers-page URL"),
    ] = None
    url: Annotated[
        NamedText | None,
        # Room for the `https://` that a URL written without a scheme is given.
        Field(
            min_length=1,
            max_length=MAX_URL_LENGTH - len("https://"),
            description="the company's careers page",
            json_schema_extra={"pattern": PAGE_URL},
        ),
    ] = None
    name: Annotated[
        NamedText | None,
        Field(min_length=1, max_length=200, description="company name to use for the result"),
    ] = None

    @model_validator(mode="after")
    def _something(self) -> DiscoverIn:
        if not (self.query or "").strip() and not (self.url or "").strip():
            raise ValueError("give `query` (a company name) or `url` (a careers page)")
        return self


def guarded(request: Request, settings: Settings) -> tuple[GuardedTransport, Resolver]:
    """The outbound transport for discovery started over HTTP (tests set the inner one)."""
    inner: httpx.AsyncBaseTransport | None = getattr(request.app.state, "discover_transport", None)
    resolver: Resolver = getattr(request.app.state, "discover_resolver", None) or system_resolver
    return GuardedTransport(
        inner, allow_private=settings.allow_private_discovery, resolver=resolver
    ), resolver


async def checked_url(url: str, settings: Settings, resolver: Resolver) -> str:
    """The URL, normalised; raises UnsafeTarget when it may not be fetched."""
    url = normalise_url(url)
    try:
        httpx.URL(url)  # stricter than the standard library (IDNA 2008 host names)
    except httpx.InvalidURL as exc:
        raise UnsafeTarget(f"not a valid URL: {exc}") from exc
    ports = ANY_PORT if settings.allow_private_discovery else PUBLIC_PORTS
    await check_target(
        url, allow_private=settings.allow_private_discovery, ports=ports, resolver=resolver
    )
    return url


async def run_discovery(
    request: Request,
    settings: Settings,
    query: str | None,
    url: str | None,
    name: str | None = None,
) -> Discovery:
    """Discovery behind the SSRF guard; raises UnsafeTarget for a refused URL."""
    transport, resolver = guarded(request, settings)
    if query and not url and looks_like_url(query):
        url, query = query, None
    if url:
        url = await checked_url(url, settings, resolver)
    try:
        return await discover(settings, query, url, name=name, transport=transport)
    finally:
        await transport.shutdown()


@router.post(
    "/api/sources/discover",
    response_model=DiscoveryOut,
    responses=errors(*KEY_ERRORS, *BODY_ERRORS, 422, notes={422: "a bad body or a refused url"}),
)
async def discover_boards(
    body: DiscoverIn, request: Request, settings: SettingsDep, key: WriteKeyDep
) -> dict[str, Any]:
    """Candidates for a company's public boards, best first (`found` false when none)."""
    try:
        found = await run_discovery(
            request,
            settings,
            (body.query or "").strip() or None,
            (body.url or "").strip() or None,
            body.name,
        )
    except UnsafeTarget as exc:
        field = "url" if body.url else "query"
        raise HTTPException(
            422, [{"loc": ["body", field], "msg": str(exc), "type": "value_error"}]
        ) from exc
    return found.as_dict()
