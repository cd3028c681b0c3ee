"""The read side's shared vocabulary, filters and cursors, and one meaning of ``q``."""

from __future__ import annotations

import subprocess
import sys
from typing import get_args

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from scrapers import models as scraped
from service.app import create_app
from service.settings import Settings
from store.filters import CursorError, decode_cursor, encode_cursor
from store.models import Delivery, Event
from store.vocab import EmploymentType, PayPeriod, PaySource, Workplace
from tests.conftest import at
from tests.lifecycle_helpers import ingest, posting, snapshot
from tests.webhook_helpers import subscribe

T0 = at("2026-11-01T08:00")


@pytest.mark.parametrize(
    ("enum", "literal"),
    [
        (Workplace, scraped.Workplace),
        (EmploymentType, scraped.EmploymentType),
        (PayPeriod, scraped.Period),
        (PaySource, scraped.PaySource),
    ],
)
def test_vocabulary_spells_what_the_scrapers_spell(enum: type, literal: object) -> None:
    assert [m.value for m in enum] == list(get_args(literal))  # type: ignore[attr-defined]


def test_the_filters_and_the_search_import_no_cycle() -> None:
    code = (
        "import sys, store.filters, store.queries; "
        "assert 'store.search' not in sys.modules, 'queries pulls in the ranked search'; "
        "import store.search"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_one_cursor_codec_refuses_another_lists_cursor() -> None:
    assert decode_cursor(encode_cursor(41)) == 41
    assert decode_cursor(encode_cursor(50, "rank"), "rank") == 50
    with pytest.raises(CursorError):
        decode_cursor(encode_cursor(50, "rank"))
    with pytest.raises(CursorError):
        decode_cursor("not-a-cursor!")


# Queries whose meaning differs between stemmed full-text search (title, team, description)
# and word prefixes over title, team, department and locations.
QUERIES = ["tutors", "tutor", "palo", "research", '"game tutor"', "rob*", "gaming", "omni"]


def test_a_subscription_q_hears_of_exactly_what_the_api_lists(engine: Engine) -> None:
    subs = {q: subscribe(engine, "https://hooks.example.com/x", flt={"q": q}).id for q in QUERIES}
    ingest(
        engine,
        snapshot(
            posting(1, title="Video Game Tutor", department="Research"),
            posting(2, title="Robotics Engineer", description="<p>You will tutor new staff</p>"),
            posting(3, title="Office Manager", team="Gaming Ops"),
            posting(4, title="Tutoring Lead", locations=("Austin, TX",)),
        ),
        T0,
    )
    with Session(engine) as session:
        rows = session.exec(
            select(Delivery.subscription_id, Event.posting_id).join(
                Event, col(Event.id) == Delivery.event_id
            )
        ).all()
    with TestClient(create_app(Settings(), engine)) as client:
        for q, sub_id in subs.items():
            listed = {
                p["id"]
                for p in client.get("/api/postings", params={"q": q, "status": "all"}).json()[
                    "items"
                ]
            }
            heard = {posting_id for s, posting_id in rows if s == sub_id}
            assert heard == listed, q
    # The queries do tell postings apart (the comparison above is not vacuous).
    assert len({frozenset(p for s, p in rows if s == sub_id) for sub_id in subs.values()}) > 3
