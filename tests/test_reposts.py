"""Reposts: a role closed and published again at the same company is linked, shown on both
postings, counted per company and left out of "new roles" when asked."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session

from scrapers.models import BoardConfig
from store.company import company_view
from store.reposts import repost_key, reposted_counts
from tests.analytics_helpers import api_client
from tests.conftest import at
from tests.lifecycle_helpers import ingest, posting, postings, snapshot

T0 = at("2026-11-02T08:00")
DAY = timedelta(days=1)
LEVER = BoardConfig(company="xAI", ats="lever", token="xai")


def _close_first(engine: Engine, start: datetime = T0) -> None:
    """Posting 1 opens with posting 2, then vanishes for two ok runs (so it closes)."""
    ingest(engine, snapshot(posting(1), posting(2)), start)
    ingest(engine, snapshot(posting(2)), start + DAY)
    ingest(engine, snapshot(posting(2)), start + 2 * DAY)


def test_key_ignores_case_punctuation_and_location_order() -> None:
    assert repost_key("Member of Technical Staff, Omni", ["Palo Alto, CA", "London"]) == repost_key(
        "member of technical staff - omni ", ["london", "Palo Alto CA"]
    )
    assert repost_key("Member of Technical Staff, Omni", ["Palo Alto, CA"]) != repost_key(
        "Member of Technical Staff, Omni", ["London"]
    )
    assert repost_key("Research Engineer", []) != repost_key("Research Scientist", [])


def test_same_role_under_a_new_id_after_closing_is_a_repost(engine: Engine) -> None:
    _close_first(engine)
    again = posting(1, external_id="9001")  # same title and location, new id
    ingest(engine, snapshot(posting(2), again), T0 + 10 * DAY)
    stored = postings(engine)
    assert stored["1001"].status == "closed"
    assert stored["9001"].repost_of == stored["1001"].id
    assert stored["1002"].repost_of is None


def test_a_role_published_again_before_the_old_one_closes_is_a_repost(engine: Engine) -> None:
    ingest(engine, snapshot(posting(1), posting(2)), T0)
    again = posting(1, external_id="9001")
    ingest(engine, snapshot(posting(2), again), T0 + DAY)  # 1001 missing once
    ingest(engine, snapshot(posting(2), again), T0 + 2 * DAY)  # 1001 closes now
    stored = postings(engine)
    assert stored["1001"].status == "closed"
    assert stored["9001"].repost_of == stored["1001"].id


def test_other_roles_other_places_and_old_closures_are_not_reposts(engine: Engine) -> None:
    _close_first(engine)
    ingest(
        engine,
        snapshot(posting(2), posting(1, external_id="9001", locations=("London",)), posting(3)),
        T0 + 5 * DAY,
    )
    ingest(
        engine,
        snapshot(
            posting(2),
            posting(1, external_id="9001", locations=("London",)),
            posting(3),
            posting(1, external_id="9002"),
        ),
        T0 + 40 * DAY,
    )
    stored = postings(engine)
    assert stored["9001"].repost_of is None  # another location
    assert stored["1003"].repost_of is None  # another title
    assert stored["9002"].repost_of is None  # 38 days after the close: outside the window


def test_a_repost_on_another_board_of_the_same_company_counts(engine: Engine) -> None:
    _close_first(engine)
    ingest(engine, snapshot(posting(1, external_id="lever-1"), board=LEVER), T0 + 3 * DAY)
    assert postings(engine)["lever-1"].repost_of == postings(engine)["1001"].id


def test_api_shows_both_sides_counts_and_excludes_reposts_from_new(engine: Engine) -> None:
    _close_first(engine)
    ingest(engine, snapshot(posting(2), posting(1, external_id="9001")), T0 + 10 * DAY)
    stored = postings(engine)
    old_id, new_id = stored["1001"].id, stored["9001"].id
    client = api_client(engine)

    new = client.get(f"/api/postings/{new_id}").json()
    old = client.get(f"/api/postings/{old_id}").json()
    assert (new["repost_of"], new["reposted_as"]) == (old_id, [])
    assert (old["repost_of"], old["reposted_as"]) == (None, [new_id])

    ids = {p["id"] for p in client.get("/api/postings?exclude_reposts=true").json()["items"]}
    assert new_id not in ids and stored["1002"].id in ids

    def new_roles(extra: str = "") -> int:
        body = client.get(
            f"/api/trends?metric=new&interval=month&since=2026-11-01&until=2026-11-30{extra}"
        ).json()
        return sum(pt["value"] for s in body["series"] for pt in s["points"])

    assert new_roles() == 3
    assert new_roles("&exclude_reposts=true") == 2

    with Session(engine) as session:
        assert reposted_counts(session, T0) == {"xAI": 1}
        assert reposted_counts(session, T0 + 11 * DAY) == {}
        view = company_view(session, "xAI", now=T0 + 11 * DAY)
        assert view is not None and view["reposted_90_days"] == 1

    page = client.get(f"/postings/{new_id}").text
    assert 'id="repost-of"' in page and f"/postings/{old_id}" in page
    assert 'id="reposted-as"' in client.get(f"/postings/{old_id}").text
