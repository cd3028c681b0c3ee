"""Webhook subscriptions in the store: filter matching, fan-out of events into deliveries
(inside the transaction that emitted the event), replay, and the delivery log.

Filter keys (all optional, every given key must match): ``companies`` (any of, case-insensitive),
``topics`` (any of), ``q`` (for postings: the very SQL condition of ``/api/postings?q=``,
evaluated on the event's posting inside the transaction that writes the event, so a
subscription with ``q`` hears of exactly the postings that query lists),
``min_annual_pay`` (USD per year, the top of the band when known), ``workplace``. For
``hire.announced`` events ``companies`` matches either side of the hire and ``q`` any text of it;
the posting-only keys (``topics``, ``workplace``, ``min_annual_pay``) do not apply to hires.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, col, select

from store.fulltext import posting_matches_text, text_matches
from store.models import Delivery, DeliveryAttempt, Event, Subscription

FILTER_KEYS = ("companies", "topics", "q", "min_annual_pay", "workplace")
POSTING_ONLY_KEYS = ("topics", "workplace", "min_annual_pay")
REPLAY_LIMIT = 10_000
HIRE_TEXT_KEYS = (
    "person",
    "role",
    "from_company",
    "to_company",
    "company",
    "source_title",
    "evidence",
)


def new_msg_id() -> str:
    return "msg_" + secrets.token_hex(16)


def _lower_set(values: Iterable[Any]) -> set[str]:
    return {str(v).strip().lower() for v in values if v is not None}


def _posting_matches(
    flt: Mapping[str, Any], posting: Mapping[str, Any], found: Callable[[str], bool] | None = None
) -> bool:
    if flt.get("companies") and str(posting.get("company", "")).lower() not in _lower_set(
        flt["companies"]
    ):
        return False
    if flt.get("topics") and not _lower_set(flt["topics"]) & _lower_set(
        posting.get("topics") or []
    ):
        return False
    if flt.get("q"):
        if found is not None:
            if not found(str(flt["q"])):
                return False
        else:  # no stored posting to ask (a preview of a body): the same grammar over its text
            text = " ".join(str(posting.get(k) or "") for k in ("title", "team", "department"))
            text += " " + " ".join(posting.get("locations") or [])
            if not text_matches(str(flt["q"]), text):
                return False
    if flt.get("workplace") and posting.get("workplace") != flt["workplace"]:
        return False
    if flt.get("min_annual_pay") is not None:
        pay = posting.get("pay") or {}
        top = pay.get("annual_max_usd")
        top = pay.get("annual_min_usd") if top is None else top
        if top is None or float(top) < float(flt["min_annual_pay"]):
            return False
    return True


def _hire_matches(flt: Mapping[str, Any], hire: Mapping[str, Any]) -> bool:
    if flt.get("companies"):
        sides = _lower_set(hire.get(k) for k in ("from_company", "to_company", "company"))
        if not _lower_set(flt["companies"]) & sides:
            return False
    if flt.get("q"):
        text = " ".join(str(hire.get(k) or "") for k in HIRE_TEXT_KEYS)
        return text_matches(str(flt["q"]), text)
    return True


def matches(
    flt: Mapping[str, Any],
    event_type: str,
    data: Mapping[str, Any],
    *,
    session: Session | None = None,
    posting_id: int | None = None,
) -> bool:
    """Whether an event passes a subscription filter; with a session and the event's posting,
    ``q`` is the full-text condition of ``/api/postings`` on that stored posting."""
    if "posting" in data:
        found = None
        if session is not None and posting_id is not None:

            def found(q: str) -> bool:
                return posting_matches_text(session, posting_id, q)

        return _posting_matches(flt, data["posting"] or {}, found)
    if "hire" in data:
        return _hire_matches(flt, data["hire"] or {})
    return not any(flt.get(k) for k in FILTER_KEYS)


def wants(subscription: Subscription, event: Event, session: Session | None = None) -> bool:
    return event.type in (subscription.events or []) and matches(
        subscription.filter or {},
        event.type,
        event.data or {},
        session=session,
        posting_id=event.posting_id,
    )


def active_subscriptions(session: Session) -> list[Subscription]:
    return list(
        session.exec(
            select(Subscription)
            .where(col(Subscription.disabled_at).is_(None))
            .order_by(col(Subscription.id))
        ).all()
    )


def all_subscriptions(session: Session) -> list[Subscription]:
    return list(session.exec(select(Subscription).order_by(col(Subscription.id))).all())


def add_delivery(
    session: Session, subscription: Subscription, event: Event, due: datetime
) -> Delivery:
    assert subscription.id is not None and event.id is not None
    delivery = Delivery(
        subscription_id=subscription.id,
        event_id=event.id,
        msg_id=new_msg_id(),
        status="pending",
        next_attempt_at=due,
        created_at=due,
    )
    session.add(delivery)
    return delivery


def fan_out(
    session: Session, event: Event, subscriptions: Sequence[Subscription] | None = None
) -> list[Delivery]:
    """Deliveries for every active subscription that wants ``event`` (caller's transaction)."""
    if subscriptions is None:
        subscriptions = active_subscriptions(session)
    wanted = [sub for sub in subscriptions if wants(sub, event, session)]
    if not wanted:
        return []
    session.flush()  # the event's id, for its deliveries
    deliveries = [add_delivery(session, sub, event, event.created_at) for sub in wanted]
    session.flush()
    return deliveries


def replay(session: Session, subscription: Subscription, since: datetime, now: datetime) -> int:
    """New deliveries (new ``webhook-id``s) of every matching event since ``since``."""
    events = session.exec(
        select(Event)
        .where(col(Event.created_at) >= since, col(Event.type).in_(subscription.events or []))
        .order_by(col(Event.id))
        .limit(REPLAY_LIMIT)
    ).all()
    count = 0
    for event in events:
        if wants(subscription, event, session):
            add_delivery(session, subscription, event, now)
            count += 1
    session.flush()
    return count


def delete_subscription(session: Session, subscription: Subscription) -> None:
    """Remove a subscription with its delivery log (pending deliveries are dropped)."""
    ids = select(Delivery.id).where(Delivery.subscription_id == subscription.id)
    session.execute(delete(DeliveryAttempt).where(col(DeliveryAttempt.delivery_id).in_(ids)))
    session.execute(delete(Delivery).where(col(Delivery.subscription_id) == subscription.id))
    session.delete(subscription)
    session.flush()


def disable_subscription(
    session: Session, subscription: Subscription, reason: str, at: datetime
) -> None:
    """Stop a subscription and fail its pending deliveries, saying why."""
    subscription.disabled_at = at
    subscription.disabled_reason = reason
    session.add(subscription)
    for delivery in session.exec(
        select(Delivery).where(
            Delivery.subscription_id == subscription.id, Delivery.status == "pending"
        )
    ).all():
        delivery.status = "failed"
        delivery.finished_at = at
        delivery.next_attempt_at = None
        delivery.last_error = f"subscription disabled: {reason}"
        session.add(delivery)
    session.flush()


def delivery_log(
    session: Session, subscription_id: int, *, limit: int, before_id: int | None = None
) -> list[tuple[Delivery, list[DeliveryAttempt]]]:
    """Newest deliveries first, each with its attempts in order."""
    query = select(Delivery).where(Delivery.subscription_id == subscription_id)
    if before_id is not None:
        query = query.where(col(Delivery.id) < before_id)
    deliveries = list(session.exec(query.order_by(col(Delivery.id).desc()).limit(limit)).all())
    attempts: dict[int, list[DeliveryAttempt]] = {d.id: [] for d in deliveries if d.id}
    if attempts:
        for attempt in session.exec(
            select(DeliveryAttempt)
            .where(col(DeliveryAttempt.delivery_id).in_(list(attempts)))
            .order_by(col(DeliveryAttempt.id))
        ).all():
            attempts[attempt.delivery_id].append(attempt)
    return [(d, attempts.get(d.id or 0, [])) for d in deliveries]
