"""Two sessions writing the same unique-keyed rows at once never fail on the key.

``race`` replays the losing interleaving deterministically: the first session writes and keeps
its transaction open; the second, on its own connection in another thread, has already looked
for the row (and not seen it) when the first commits, just before the second's write.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

import pytest
from sqlalchemy import event, func
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, select

from store.engine import make_engine, session_scope
from store.hires import NewHire, get_or_create_feed, mark_item, record_hire
from store.ingest import get_or_create_board, get_or_create_company
from store.keys import ApiKeyError, create_key
from store.models import ApiKey, Board, Company, Event, Feed, FeedItem, Hire, Posting
from tests.conftest import at
from tests.enrich_helpers import store_snapshot
from tests.lifecycle_helpers import BOARD, posting, snapshot

T = TypeVar("T")


def is_insert(statement: str) -> bool:
    return statement.lstrip().upper().startswith("INSERT")


def race(
    engine: Engine,
    first: Callable[[Session], T],
    second: Callable[[Session], T],
    *,
    commit_before: Callable[[str], bool] = is_insert,
) -> tuple[T, T]:
    """Run ``first`` in an open transaction, then ``second`` in another thread and connection;
    commit the first just as the second is about to run a statement ``commit_before`` picks."""
    other = make_engine(engine.url.render_as_string(hide_password=False))
    reached = threading.Event()

    def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if commit_before(statement):
            reached.set()

    event.listen(other, "before_cursor_execute", before)
    result: dict[str, Any] = {}

    def run_second() -> None:
        try:
            with session_scope(other) as session:
                result["value"] = second(session)
        except BaseException as exc:  # handed to the test's thread
            result["error"] = exc

    try:
        with Session(engine, expire_on_commit=False) as session:
            mine = first(session)
            thread = threading.Thread(target=run_second)
            thread.start()
            assert reached.wait(60), "the second session never got to its write"
            session.commit()
            thread.join(60)
            assert not thread.is_alive()
    finally:
        other.dispose()
    if "error" in result:
        raise result["error"]
    return mine, result["value"]


def count(engine: Engine, model: type[SQLModel]) -> int:
    with Session(engine) as session:
        return int(session.exec(select(func.count()).select_from(model)).one())


def test_the_same_company_at_once(engine: Engine) -> None:
    mine, theirs = race(
        engine,
        lambda s: get_or_create_company(s, "xAI").id,
        lambda s: get_or_create_company(s, "xAI").id,
    )
    assert mine == theirs and count(engine, Company) == 1


def test_the_same_new_board_and_company_at_once(engine: Engine) -> None:
    mine, theirs = race(
        engine,
        lambda s: get_or_create_board(s, BOARD).id,
        lambda s: get_or_create_board(s, BOARD).id,
    )
    assert mine == theirs and (count(engine, Board), count(engine, Company)) == (1, 1)


def test_the_same_postings_at_once(engine: Engine) -> None:
    with session_scope(engine) as session:
        get_or_create_board(session, BOARD)
    snap = snapshot(posting(1), posting(2))

    def run(started: str) -> Callable[[Session], tuple[str, int, int]]:
        def ingest(session: Session) -> tuple[str, int, int]:
            board = get_or_create_board(session, BOARD)
            result = store_snapshot(session, board, snap, started_at=at(started), now=at(started))
            return result.outcome, result.seen, result.new

        return ingest

    mine, theirs = race(engine, run("2026-11-24T08:00"), run("2026-11-24T08:01"))
    assert mine == ("ok", 2, 2)
    assert theirs == ("ok", 2, 0)  # found them inserted: updated, not inserted again
    assert count(engine, Posting) == 2
    with Session(engine) as session:
        opened = session.exec(select(Event.type)).all()
    assert opened == ["posting.opened", "posting.opened"]


def test_the_same_feed_and_item_at_once(engine: Engine) -> None:
    def read(session: Session) -> int:
        feed = get_or_create_feed(session, "https://example.com/feed/", "Example")
        mark_item(session, feed, "item-1", at("2026-11-24T08:00"), 0)
        return feed.id or 0

    mine, theirs = race(engine, read, read)
    assert mine == theirs and (count(engine, Feed), count(engine, FeedItem)) == (1, 1)


def test_the_same_key_name_at_once_is_refused_not_a_crash(engine: Engine) -> None:
    with pytest.raises(ApiKeyError, match="already exists"):
        race(engine, lambda s: create_key(s, "ci")[0].id, lambda s: create_key(s, "ci")[0].id)
    assert count(engine, ApiKey) == 1


def test_the_same_hire_reported_at_once_is_one_hire(engine: Engine) -> None:
    new = NewHire(
        person="Ada Lovelace",
        to_company="xAI",
        from_company="OpenAI",
        announced_at=at("2026-11-24T08:00"),
    )
    # The second's first statement already waits for the first to end.
    mine, theirs = race(
        engine,
        lambda s: record_hire(s, new)[1],
        lambda s: record_hire(s, new)[1],
        commit_before=lambda _statement: True,
    )
    assert (mine, theirs) == (True, False)
    with Session(engine) as session:
        hires = session.exec(select(Hire)).all()
    assert [(h.person, h.reports) for h in hires] == [("Ada Lovelace", 2)]
