"""What a delivery sends: the Standard Webhooks envelope or a Slack-compatible message, signed."""

from __future__ import annotations

import base64
import json
import secrets
from datetime import UTC, datetime
from typing import Any

from standardwebhooks import Webhook

from service.pay_text import format_pay
from store.models import Event
from store.serialize import iso

FORMATS = ("standard", "slack")
SECRET_PREFIX = "whsec_"


def new_secret() -> str:
    """A ``whsec_`` secret: 32 random bytes, base64, as the Standard Webhooks libraries expect."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def envelope(event: Event) -> dict[str, Any]:
    return {"type": event.type, "timestamp": iso(event.created_at), "data": event.data}


def _pay_text(pay: dict[str, Any] | None) -> str | None:
    return format_pay(pay, "chat") or None


def _slack_posting(event_type: str, posting: dict[str, Any]) -> str:
    verb = {
        "posting.opened": "New role",
        "posting.closed": "Role closed",
        "posting.pay_changed": "Pay changed",
    }.get(event_type, event_type)
    title = posting.get("title") or "untitled"
    url = posting.get("url")
    linked = f"<{url}|{title}>" if url else title
    lines = [f"*{verb}* at *{posting.get('company', '?')}*: {linked}"]
    details = [
        ", ".join(posting.get("locations") or []),
        posting.get("workplace") or "",
        _pay_text(posting.get("pay")) or "",
    ]
    if any(details):
        lines.append(" · ".join(d for d in details if d))
    return "\n".join(lines)


def _slack_hire(hire: dict[str, Any]) -> str:
    who = hire.get("person") or "Someone"
    to = hire.get("to_company") or hire.get("company") or "?"
    frm = hire.get("from_company")
    role = f" as {hire['role']}" if hire.get("role") else ""
    line = f"*Hire announced*: {who} joins *{to}*{role}" + (f" from {frm}" if frm else "")
    url = hire.get("source_url")
    return line + (f"\n<{url}|{hire.get('source_title') or 'source'}>" if url else "")


def slack_message(event: Event) -> dict[str, Any]:
    data = event.data or {}
    if "posting" in data:
        text = _slack_posting(event.type, data["posting"] or {})
    elif "hire" in data:
        text = _slack_hire(data["hire"] or {})
    else:
        text = f"talentflow: {event.type}"
    return {"text": text, "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]}


def body_for(event: Event, fmt: str) -> str:
    payload = slack_message(event) if fmt == "slack" else envelope(event)
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False)


def signed_headers(secret: str, msg_id: str, body: str, at: datetime) -> dict[str, str]:
    """Standard Webhooks headers; the timestamp is the attempt's, in whole unix seconds."""
    at = at.astimezone(UTC)
    return {
        "content-type": "application/json",
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": Webhook(secret).sign(msg_id, at, body),
    }
