"""Webhook subscriptions: create (secret shown once), list, delete, delivery log, replay.

Every route needs an API key (``X-API-Key``). Subscriptions are shared by all keys of this
installation; the key that created one is remembered.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from service.api.auth import WriteKeyDep
from service.api.deps import CursorQuery, LimitQuery, RowId, SessionDep, SettingsDep
from service.api.errors import BODY_ERRORS, KEY_ERRORS, errors
from service.api.params import WEBHOOK_URL, IsoDateTime, NamedText
from service.api.postings import cursor_or_422
from service.webhooks.messages import new_secret
from service.webhooks.ssrf import (
    MAX_URL_LENGTH,
    Resolver,
    UnsafeTarget,
    check_target,
    parse_ports,
    system_resolver,
)
from store.models import Delivery, DeliveryAttempt, Subscription
from store.queries import CursorError, decode_cursor, encode_cursor
from store.schemas import (
    DeliveryPage,
    ErrorOut,
    ReplayOut,
    SubscriptionCreatedOut,
    SubscriptionOut,
    SubscriptionPage,
    ValidationErrorOut,
)
from store.serialize import iso, number
from store.subscriptions import all_subscriptions, delete_subscription, delivery_log, replay
from store.types import utcnow
from store.vocab import EventType, WebhookFormat, Workplace

router = APIRouter(tags=["subscriptions"])

Name = Annotated[NamedText, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


def default_events() -> list[EventType]:
    return [EventType.posting_opened]


class SubscriptionFilter(BaseModel):
    model_config = ConfigDict(extra="forbid")

    companies: list[Name] | None = Field(default=None, max_length=200)
    topics: list[Name] | None = Field(default=None, max_length=100)
    q: (
        Annotated[NamedText, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
        | None
    ) = None
    # strict: a JSON number only (lax mode reads `false` as 0)
    min_annual_pay: float | None = Field(
        default=None, ge=0, le=100_000_000, allow_inf_nan=False, strict=True
    )
    workplace: Workplace | None = None


class SubscriptionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str = Field(
        min_length=1, max_length=MAX_URL_LENGTH, json_schema_extra={"pattern": WEBHOOK_URL}
    )
    events: list[EventType] = Field(default_factory=default_events, min_length=1, max_length=4)
    filter: SubscriptionFilter = Field(default_factory=SubscriptionFilter)
    format: WebhookFormat = WebhookFormat.standard


def subscription_dict(sub: Subscription) -> dict[str, Any]:
    return {
        "id": sub.id,
        "url": sub.url,
        "events": list(sub.events),
        "filter": dict(sub.filter),
        "format": sub.format,
        "status": "disabled" if sub.disabled_at else "active",
        "created_at": iso(sub.created_at),
        "disabled_at": iso(sub.disabled_at),
        "disabled_reason": sub.disabled_reason,
        "failing_since": iso(sub.failing_since),
    }


def attempt_dict(attempt: DeliveryAttempt) -> dict[str, Any]:
    latency = None if attempt.latency_ms is None else round(attempt.latency_ms, 1)
    return {
        "at": iso(attempt.attempted_at),
        "status_code": attempt.status_code,
        "latency_ms": number(latency),
        "error": attempt.error,
    }


def delivery_dict(delivery: Delivery, attempts: list[DeliveryAttempt]) -> dict[str, Any]:
    return {
        "id": delivery.id,
        "event_id": delivery.event_id,
        "webhook_id": delivery.msg_id,
        "status": delivery.status,
        "created_at": iso(delivery.created_at),
        "next_attempt_at": iso(delivery.next_attempt_at) if delivery.status == "pending" else None,
        "finished_at": iso(delivery.finished_at),
        "attempts": [attempt_dict(a) for a in attempts],
    }


NOT_FOUND = errors(404, notes={404: "no such subscription"})


def get_or_404(session: SessionDep, subscription_id: RowId) -> Subscription:
    sub = session.get(Subscription, subscription_id)
    if sub is None:
        raise HTTPException(404, f"no subscription {subscription_id}")
    return sub


@router.post(
    "/api/subscriptions",
    status_code=201,
    response_model=SubscriptionCreatedOut,
    response_model_exclude_unset=True,
    responses=errors(
        *KEY_ERRORS,
        *BODY_ERRORS,
        422,
        notes={422: "a bad body (a list of fields), or a refused url (a sentence)"},
        models={422: ValidationErrorOut | ErrorOut},
    ),
)
async def create_subscription(
    body: SubscriptionIn,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    key: WriteKeyDep,
) -> dict[str, Any]:
    # Tests give the app a resolver that answers without DNS.
    resolver: Resolver = getattr(request.app.state, "webhook_resolver", None) or system_resolver
    try:
        await check_target(
            body.url,
            allow_private=settings.allow_private_webhooks,
            ports=parse_ports(settings.webhook_ports),
            resolver=resolver,
        )
    except UnsafeTarget as exc:
        raise HTTPException(422, f"url refused: {exc}") from exc
    sub = Subscription(
        url=body.url,
        events=[str(e) for e in dict.fromkeys(body.events)],
        filter=body.filter.model_dump(mode="json", exclude_none=True),
        format=str(body.format),
        secret=new_secret(),
        api_key_id=key.id,
        created_at=utcnow(),
    )
    session.add(sub)
    session.commit()
    return {**subscription_dict(sub), "secret": sub.secret}


@router.get(
    "/api/subscriptions",
    response_model=SubscriptionPage,
    response_model_exclude_unset=True,
    responses=errors(*KEY_ERRORS),
)
def list_subscriptions(session: SessionDep, _key: WriteKeyDep) -> dict[str, Any]:
    return {
        "items": [subscription_dict(s) for s in all_subscriptions(session)],
        "next_cursor": None,
    }


@router.get(
    "/api/subscriptions/{subscription_id}",
    response_model=SubscriptionOut,
    response_model_exclude_unset=True,
    responses={**NOT_FOUND, **errors(*KEY_ERRORS)},
)
def show_subscription(
    subscription_id: RowId, session: SessionDep, _key: WriteKeyDep
) -> dict[str, Any]:
    return subscription_dict(get_or_404(session, subscription_id))


@router.delete(
    "/api/subscriptions/{subscription_id}",
    status_code=204,
    responses={**NOT_FOUND, **errors(*KEY_ERRORS)},
)
def remove_subscription(subscription_id: RowId, session: SessionDep, _key: WriteKeyDep) -> Response:
    delete_subscription(session, get_or_404(session, subscription_id))
    session.commit()
    return Response(status_code=204)


@router.get(
    "/api/subscriptions/{subscription_id}/deliveries",
    response_model=DeliveryPage,
    responses={**NOT_FOUND, **errors(*KEY_ERRORS)},
)
def deliveries(
    subscription_id: RowId,
    session: SessionDep,
    _key: WriteKeyDep,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
) -> dict[str, Any]:
    get_or_404(session, subscription_id)
    try:
        before = decode_cursor(cursor)
    except CursorError as exc:
        raise cursor_or_422(exc) from exc
    rows = delivery_log(session, subscription_id, limit=limit + 1, before_id=before)
    more = len(rows) > limit
    rows = rows[:limit]
    last_id = rows[-1][0].id if rows else None
    return {
        "items": [delivery_dict(d, a) for d, a in rows],
        "next_cursor": encode_cursor(last_id) if more and last_id else None,
    }


@router.post(
    "/api/subscriptions/{subscription_id}/replay",
    status_code=202,
    response_model=ReplayOut,
    responses={**NOT_FOUND, **errors(*KEY_ERRORS, 409, notes={409: "it is disabled"})},
)
def replay_events(
    subscription_id: RowId,
    session: SessionDep,
    _key: WriteKeyDep,
    since: Annotated[IsoDateTime, Query(description="ISO date-time (UTC if no offset)")],
) -> dict[str, Any]:
    sub = get_or_404(session, subscription_id)
    if sub.disabled_at is not None:
        raise HTTPException(
            409, f"subscription {subscription_id} is disabled: {sub.disabled_reason}"
        )
    count = replay(session, sub, since, utcnow())
    session.commit()
    return {"replayed": count}
