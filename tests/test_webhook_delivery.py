"""Fan-out in the cause's transaction, filter matching, signed delivery to a real receiver."""

from __future__ import annotations

import asyncio
import json

import pytest
from sqlalchemy.engine import Engine
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from store.engine import session_scope
from store.events import emit
from store.subscriptions import matches
from store.types import utcnow
from tests.e2e_helpers import Reply, local_server
from tests.lifecycle_helpers import ingest, posting, snapshot
from tests.webhook_helpers import (
    deliveries,
    dispatcher,
    emit_posting,
    posting_data,
    subscribe,
    subscription,
)


@pytest.mark.parametrize(
    ("flt", "expected"),
    [
        ({}, True),
        ({"companies": ["XAI", "Anthropic"]}, True),
        ({"companies": ["Anthropic"]}, False),
        ({"topics": ["games", "multimodal"]}, True),
        ({"topics": ["games"]}, False),
        ({"q": "research eng"}, True),
        ({"q": "tutor"}, False),
        ({"min_annual_pay": 240000}, True),
        ({"min_annual_pay": 240001}, False),
        ({"workplace": "onsite"}, True),
        ({"workplace": "remote"}, False),
        ({"companies": ["xAI"], "q": "engineer", "workplace": "remote"}, False),
    ],
)
def test_filter_keys_all_must_match(flt: dict[str, object], expected: bool) -> None:
    assert matches(flt, "posting.opened", {"posting": posting_data(1)}) is expected


def test_min_pay_never_matches_unknown_pay() -> None:
    assert not matches(
        {"min_annual_pay": 1}, "posting.opened", {"posting": posting_data(1, pay=None)}
    )


def test_hire_matches_company_on_either_side_and_ignores_posting_only_keys() -> None:
    hire = {"hire": {"person": "Ada Lovelace", "from_company": "OpenAI", "to_company": "xAI"}}
    assert matches({"companies": ["openai"]}, "hire.announced", hire)
    assert matches({"companies": ["xai"], "min_annual_pay": 10**6}, "hire.announced", hire)
    assert not matches({"companies": ["Meta"]}, "hire.announced", hire)
    assert matches({"q": "lovelace"}, "hire.announced", hire)


def test_fan_out_happens_in_the_emitting_transaction(engine: Engine) -> None:
    now = utcnow()
    match = subscribe(engine, "http://127.0.0.1:8000/a", flt={"companies": ["xAI"]})
    other = subscribe(engine, "http://127.0.0.1:8000/b", flt={"companies": ["Meta"]})
    closed_only = subscribe(engine, "http://127.0.0.1:8000/c", events=("posting.closed",))
    emit_posting(engine, now)
    assert [d.subscription_id for d in deliveries(engine)] == [match.id]

    with pytest.raises(RuntimeError), session_scope(engine) as session:
        emit(session, "posting.closed", {"posting": posting_data(2)}, at=now)
        raise RuntimeError("the cause fails: its event and deliveries go with it")
    assert len(deliveries(engine)) == 1
    assert not deliveries(engine, other.id) and not deliveries(engine, closed_only.id)


def test_ingest_fans_new_postings_out_to_subscriptions(engine: Engine) -> None:
    now = utcnow()
    sub = subscribe(engine, "http://127.0.0.1:8000/hook", flt={"q": "staff 2"})
    ingest(engine, snapshot(posting(1), posting(2), posting(3)), now)
    rows = deliveries(engine, sub.id)
    assert len(rows) == 1 and rows[0].status == "pending"


def test_signed_delivery_reaches_a_real_receiver_and_verifies(engine: Engine) -> None:
    now = utcnow()
    with local_server() as receiver:
        receiver.route("POST", "/hook", Reply(204))
        sub = subscribe(
            engine,
            receiver.base_url + "/hook",
            events=("posting.opened", "posting.closed"),
            flt={"companies": ["xAI"]},
        )
        emit_posting(engine, now, 1)
        emit_posting(engine, now, 2, type_="posting.closed")
        emit_posting(engine, now, 3, company="Meta")
        result = asyncio.run(dispatcher(engine).run_pass())
        assert (result.attempted, result.delivered) == (2, 2)
        assert len(receiver.requests) == 2
        ids = set()
        for request in receiver.requests:
            payload = Webhook(sub.secret).verify(request.body, request.headers)
            assert payload["data"]["posting"]["company"] == "xAI"
            assert request.headers["content-type"] == "application/json"
            assert request.headers["webhook-signature"].startswith("v1,")
            assert abs(int(request.headers["webhook-timestamp"]) - now.timestamp()) < 60
            ids.add(request.headers["webhook-id"])
        assert {json.loads(r.body)["type"] for r in receiver.requests} == {
            "posting.opened",
            "posting.closed",
        }
        assert json.loads(receiver.requests[0].body)["timestamp"].endswith("Z")
        assert len(ids) == 2
        # Nothing is due any more: a second pass sends nothing.
        assert asyncio.run(dispatcher(engine).run_pass()).attempted == 0
    assert all(d.status == "delivered" for d in deliveries(engine))


def test_retry_keeps_the_webhook_id_and_signature_still_verifies(engine: Engine) -> None:
    answers = iter([503, 500, 200])
    with local_server() as receiver:
        receiver.route("POST", "/hook", lambda _r: Reply(next(answers)))
        sub = subscribe(engine, receiver.base_url + "/hook")
        emit_posting(engine, utcnow())
        for _ in range(3):  # the real clock, so the library's timestamp tolerance applies
            asyncio.run(dispatcher(engine).run_pass(retry_now=True))
        assert len(receiver.requests) == 3
        assert len({r.headers["webhook-id"] for r in receiver.requests}) == 1
        for request in receiver.requests:
            assert Webhook(sub.secret).verify(request.body, request.headers)["type"] == (
                "posting.opened"
            )
        tampered = dict(receiver.requests[-1].headers, **{"webhook-id": "msg_other"})
        with pytest.raises(WebhookVerificationError):
            Webhook(sub.secret).verify(receiver.requests[-1].body, tampered)
    (row,) = deliveries(engine)
    assert row.status == "delivered" and row.attempts == 3
    assert subscription(engine, sub.id or 0).failing_since is None


def test_slack_format_is_a_readable_message(engine: Engine) -> None:
    with local_server() as receiver:
        receiver.route("POST", "/slack", Reply(200, "ok", content_type="text/plain"))
        subscribe(engine, receiver.base_url + "/slack", fmt="slack")
        emit_posting(engine, utcnow(), 5, title="Video Game Tutor")
        asyncio.run(dispatcher(engine).run_pass())
        (request,) = receiver.requests
    body = json.loads(request.body)
    assert "Video Game Tutor" in body["text"] and "xAI" in body["text"]
    assert "180,000 - 240,000 USD/year" in body["text"]
    assert "https://job-boards.greenhouse.io/xai/jobs/4005" in body["text"]
    assert body["blocks"][0]["text"]["type"] == "mrkdwn"


def test_hire_events_reach_hire_subscribers_in_slack_format(engine: Engine) -> None:
    hire = {
        "id": 1,
        "person": "Ada Lovelace",
        "from_company": "OpenAI",
        "to_company": "xAI",
        "role": "Chief Scientist",
        "source_url": "https://news.example.com/ada",
        "source_title": "Ada joins xAI",
    }
    with local_server() as receiver:
        receiver.route("POST", "/hires", Reply(200))
        subscribe(
            engine,
            receiver.base_url + "/hires",
            events=("hire.announced",),
            flt={"companies": ["OpenAI"]},
            fmt="slack",
        )
        subscribe(
            engine,
            receiver.base_url + "/other",
            events=("hire.announced",),
            flt={"companies": ["Meta"]},
        )
        with session_scope(engine) as session:
            emit(session, "hire.announced", {"hire": hire}, at=utcnow())
        emit_posting(engine, utcnow())  # a posting event: no hire subscriber wants it
        asyncio.run(dispatcher(engine).run_pass())
        (request,) = receiver.requests
    text = json.loads(request.body)["text"]
    assert request.path == "/hires"
    assert "Ada Lovelace joins *xAI* as Chief Scientist from OpenAI" in text
    assert "<https://news.example.com/ada|Ada joins xAI>" in text
