"""The posting lifecycle rules of DESIGN.md, driven through sequences of snapshots."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from scrapers.models import Pay
from store.engine import session_scope
from store.ingest import get_or_create_board
from store.models import Event, Posting
from tests.conftest import at
from tests.enrich_helpers import store_snapshot
from tests.lifecycle_helpers import (
    changes,
    events,
    fail,
    ingest,
    posting,
    postings,
    snapshot,
)

T0 = at("2026-11-01T08:00")
HOUR = timedelta(hours=1)


def test_first_run_opens_postings_and_writes_events(engine: Engine) -> None:
    run = ingest(engine, snapshot(posting(1), posting(2)), T0)
    assert (run.outcome, run.new, run.seen) == ("ok", 2, 2)
    stored = postings(engine)
    assert {p.status for p in stored.values()} == {"open"}
    assert stored["1001"].first_seen_at == T0
    assert stored["1001"].pay_annual_min_usd == 180000
    assert sorted(events(engine)) == [("posting.opened", "1001"), ("posting.opened", "1002")]


def test_reingesting_the_same_snapshot_changes_nothing(engine: Engine) -> None:
    ingest(engine, snapshot(posting(1), posting(2)), T0)
    run = ingest(engine, snapshot(posting(1), posting(2)), T0 + HOUR)
    assert run.outcome == "unchanged"
    assert (run.new, run.changed, run.closed) == (0, 0, 0)
    assert len(postings(engine)) == 2
    assert len(events(engine)) == 2
    assert changes(engine, "1001") == []
    assert postings(engine)["1001"].last_seen_at == T0 + HOUR


def test_a_change_is_a_history_row_and_pay_change_an_event(engine: Engine) -> None:
    ingest(engine, snapshot(posting(1)), T0)
    new_pay = Pay(min=200000, max=460000, currency="USD", period="year")
    run = ingest(
        engine,
        snapshot(posting(1, title="Member of Technical Staff, Omni", pay=new_pay)),
        T0 + HOUR,
    )
    assert (run.outcome, run.changed) == ("ok", 1)
    fields = {field: (old, new) for field, old, new in changes(engine, "1001")}
    assert fields["title"] == ("Member of Technical Staff 1", "Member of Technical Staff, Omni")
    assert fields["pay"][0]["min"] == 180000 and fields["pay"][1]["min"] == 200000
    assert ("posting.pay_changed", "1001") in events(engine)
    assert postings(engine)["1001"].pay_annual_max_usd == 460000


def test_description_only_change_updates_without_history(engine: Engine) -> None:
    ingest(engine, snapshot(posting(1)), T0)
    run = ingest(engine, snapshot(posting(1, description="Rewritten")), T0 + HOUR)
    assert run.changed == 0
    assert postings(engine)["1001"].description == "Rewritten"
    assert changes(engine, "1001") == []


def test_vanished_posting_closes_only_after_two_ok_runs(engine: Engine) -> None:
    ingest(engine, snapshot(posting(1), posting(2)), T0)
    first = ingest(engine, snapshot(posting(1)), T0 + HOUR)
    assert (first.outcome, first.closed, first.missing) == ("ok", 0, 1)
    assert postings(engine)["1002"].status == "open"
    second = ingest(engine, snapshot(posting(1)), T0 + 2 * HOUR)
    assert (second.outcome, second.closed) == ("ok", 1)
    closed = postings(engine)["1002"]
    assert (closed.status, closed.closed_at) == ("closed", T0 + 2 * HOUR)
    assert ("status", "open", "closed") in changes(engine, "1002")
    assert ("posting.closed", "1002") in events(engine)


def test_missing_counter_resets_when_posting_reappears(engine: Engine) -> None:
    ingest(engine, snapshot(posting(1), posting(2)), T0)
    ingest(engine, snapshot(posting(1)), T0 + HOUR)
    ingest(engine, snapshot(posting(1), posting(2)), T0 + 2 * HOUR)
    ingest(engine, snapshot(posting(1)), T0 + 3 * HOUR)
    assert postings(engine)["1002"].status == "open"


def test_failed_and_partial_runs_close_nothing(engine: Engine) -> None:
    ingest(engine, snapshot(posting(1), posting(2)), T0)
    ingest(engine, snapshot(posting(1)), T0 + HOUR)  # 1002 missing once
    failed = fail(engine, T0 + 2 * HOUR)
    assert failed.outcome == "failed" and "503" in (failed.error or "")
    partial = ingest(engine, snapshot(posting(1), complete=False), T0 + 3 * HOUR)
    assert partial.outcome == "partial"
    assert postings(engine)["1002"].status == "open"
    # The two-run rule counts consecutive ok runs, so one more ok run is needed.
    ingest(engine, snapshot(posting(1)), T0 + 4 * HOUR)
    assert postings(engine)["1002"].status == "closed"


def test_sequences_of_failures_and_empty_answers_never_close(engine: Engine) -> None:
    ingest(engine, snapshot(posting(1), posting(2), posting(3)), T0)
    for hour in range(1, 6):
        if hour % 2:
            fail(engine, T0 + hour * HOUR)
        else:
            run = ingest(engine, snapshot(), T0 + hour * HOUR)
            assert run.suspicious and run.closed == 0
    assert {p.status for p in postings(engine).values()} == {"open"}


def test_mass_drop_is_suspicious_and_closes_nothing(engine: Engine) -> None:
    everyone = [posting(n) for n in range(1, 13)]
    ingest(engine, snapshot(*everyone), T0)
    for hour in (1, 2):
        run = ingest(engine, snapshot(*everyone[:3]), T0 + hour * HOUR)
        assert run.outcome == "ok" and run.suspicious and run.closed == 0
        assert "suspicious" in (run.error or "")
    assert sum(p.status == "open" for p in postings(engine).values()) == 12


def test_mass_drop_accepted_after_three_runs_over_a_day(engine: Engine) -> None:
    everyone = [posting(n) for n in range(1, 13)]
    ingest(engine, snapshot(*everyone), T0)
    survivors = snapshot(*everyone[:3])
    ingest(engine, survivors, T0 + HOUR)
    ingest(engine, survivors, T0 + 2 * HOUR)
    third = ingest(engine, survivors, T0 + 3 * HOUR)  # three runs, but only two hours
    assert third.closed == 0 and third.suspicious
    late = ingest(engine, survivors, T0 + 26 * HOUR)  # persisted for more than 24 hours
    assert late.closed == 9 and not late.suspicious
    assert sum(p.status == "closed" for p in postings(engine).values()) == 9


def test_small_drop_on_a_big_board_follows_normal_rule(engine: Engine) -> None:
    everyone = [posting(n) for n in range(1, 13)]
    ingest(engine, snapshot(*everyone), T0)
    ingest(engine, snapshot(*everyone[:8]), T0 + HOUR)  # 4 of 12: not a mass drop
    run = ingest(engine, snapshot(*everyone[:8]), T0 + 2 * HOUR)
    assert run.closed == 4 and not run.suspicious


def test_a_closed_posting_that_returns_is_reopened_not_duplicated(engine: Engine) -> None:
    ingest(engine, snapshot(posting(1), posting(2)), T0)
    ingest(engine, snapshot(posting(1)), T0 + HOUR)
    ingest(engine, snapshot(posting(1)), T0 + 2 * HOUR)
    assert postings(engine)["1002"].status == "closed"
    run = ingest(engine, snapshot(posting(1), posting(2)), T0 + 3 * HOUR)
    assert run.reopened == 1 and run.new == 0
    stored = postings(engine)
    assert len(stored) == 2
    assert (stored["1002"].status, stored["1002"].closed_at) == ("open", None)
    assert changes(engine, "1002")[-1] == ("status", "closed", "open")
    assert events(engine).count(("posting.opened", "1002")) == 2


def test_duplicate_ids_in_one_snapshot_are_one_posting(engine: Engine) -> None:
    run = ingest(engine, snapshot(posting(1), posting(1, title="Same id again")), T0)
    assert run.new == 1
    assert postings(engine)["1001"].title == "Same id again"


def test_list_only_posting_keeps_stored_details(engine: Engine) -> None:
    ingest(engine, snapshot(posting(1)), T0)
    bare = posting(
        1, title="Renamed", team=None, workplace=None, pay=None, description="", hydrated=False
    )
    run = ingest(engine, snapshot(bare), T0 + HOUR)
    stored = postings(engine)["1001"]
    assert (stored.title, stored.team, stored.workplace) == ("Renamed", "Omni", "onsite")
    assert stored.pay_min == 180000 and stored.description == "Role 1"
    assert [c[0] for c in changes(engine, "1001")] == ["title"] and run.changed == 1


def test_events_roll_back_with_their_cause(engine: Engine) -> None:
    with pytest.raises(RuntimeError), session_scope(engine) as session:
        board = get_or_create_board(session, snapshot().board)
        store_snapshot(session, board, snapshot(posting(1)), started_at=T0, now=T0)
        raise RuntimeError("crash before commit")
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(Posting)).one() == 0
        assert session.exec(select(func.count()).select_from(Event)).one() == 0


def test_identity_is_per_board(engine: Engine) -> None:
    from scrapers.models import BoardConfig

    other = BoardConfig(company="Anthropic", ats="greenhouse", token="anthropic")
    ingest(engine, snapshot(posting(1)), T0)
    ingest(engine, snapshot(posting(1), board=other), T0)
    assert len(postings(engine)) == 1  # keyed by external id in the helper...
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(Posting)).one() == 2
