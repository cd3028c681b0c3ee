"""Answers kept between writes: reused while nothing changed, never past a write for lists,
within the stated window for analytics; errors never kept; concurrent misses computed once."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel
from starlette.types import Receive, Scope, Send

from service.answer_cache import ANSWERS, AnswerCache
from service.app import create_app
from service.settings import Settings
from store.engine import make_engine
from store.generation import DataGeneration
from store.search import ensure_search_index
from tests.conftest import PgDatabases, at
from tests.lifecycle_helpers import ingest, posting, snapshot

T0 = at("2026-11-02T08:00")


@pytest.fixture
def file_engine(tmp_path: Path) -> Iterator[Engine]:
    """A SQLite file of its own, for the tests of the cache that need one backend only.
    ``test_on_postgresql_a_list_is_reused_while_other_databases_are_written`` is the
    PostgreSQL case of replaying."""
    eng = make_engine(f"sqlite:///{tmp_path / 'cache.db'}")
    SQLModel.metadata.create_all(eng)
    ensure_search_index(eng)
    yield eng
    eng.dispose()


def outcomes() -> dict[str, float]:
    return {
        o: ANSWERS.labels(o)._value.get()  # type: ignore[attr-defined]
        for o in ("fresh", "stale", "computed", "uncached")
    }


def delta(before: dict[str, float]) -> dict[str, float]:
    return {k: v - before[k] for k, v in outcomes().items() if v != before[k]}


def other_database_written(pg_databases: PgDatabases) -> None:
    """A write to another database of the same server (as the suite's other workers make)."""
    other = make_engine(pg_databases.create())
    try:
        with other.begin() as conn:
            conn.execute(text("CREATE TABLE elsewhere (n integer)"))
            conn.execute(text("INSERT INTO elsewhere VALUES (1)"))
    finally:
        other.dispose()


def test_a_list_is_reused_until_any_connection_commits(file_engine: Engine) -> None:
    engine = file_engine
    ingest(engine, snapshot(posting(1)), T0)
    client = TestClient(create_app(Settings(), engine))
    before = outcomes()
    first = client.get("/api/postings")
    again = client.get("/api/postings")
    assert again.json() == first.json() and len(first.json()["items"]) == 1
    assert delta(before) == {"computed": 1, "fresh": 1}
    assert "age" in again.headers and "etag" in again.headers

    # A write through an engine of its own (as a scraper process makes) shows at once.
    other = make_engine(str(engine.url.render_as_string(hide_password=False)))
    ingest(other, snapshot(posting(1), posting(2)), at("2026-11-02T09:00"))
    other.dispose()
    after = client.get("/api/postings")
    assert len(after.json()["items"]) == 2
    assert "age" not in after.headers  # computed, not replayed


def test_a_matching_etag_is_a_304_and_errors_are_never_kept(file_engine: Engine) -> None:
    engine = file_engine
    ingest(engine, snapshot(posting(1)), T0)
    client = TestClient(create_app(Settings(), engine))
    client.get("/api/trends")
    etag = client.get("/api/trends").headers["etag"]
    unchanged = client.get("/api/trends", headers={"If-None-Match": f"W/{etag}"})
    assert unchanged.status_code == 304 and unchanged.content == b""
    assert client.get("/api/trends", headers={"If-None-Match": '"other"'}).status_code == 200

    before = outcomes()
    for _ in range(2):
        assert client.get("/api/trends?interval=fortnight").status_code == 422
    assert delta(before) == {"computed": 2}


def test_the_cache_can_be_turned_off(engine: Engine) -> None:
    ingest(engine, snapshot(posting(1)), T0)
    client = TestClient(create_app(Settings(answer_cache_mib=0), engine))
    before = outcomes()
    client.get("/api/pay")
    client.get("/api/pay")
    assert delta(before) == {}


def test_an_in_memory_database_has_no_generation() -> None:
    assert DataGeneration(make_engine("sqlite://")).current() is None


def test_the_generation_moves_on_every_commit(engine: Engine) -> None:
    generation = DataGeneration(engine)
    for hour in ("08:00", "09:00"):
        before = generation.current()
        assert before is not None
        ingest(engine, snapshot(posting(1), posting(2)), at(f"2026-11-02T{hour}"))
        assert generation.current() != before


def test_the_generation_stays_while_only_reads_happen(file_engine: Engine) -> None:
    generation = DataGeneration(file_engine)
    first = generation.current()
    with file_engine.connect() as conn:
        conn.execute(text("SELECT count(*) FROM posting")).all()
    assert first is not None
    assert generation.current() == first


@pytest.mark.parametrize("backend", ["postgresql"])
def test_on_postgresql_a_list_is_reused_while_other_databases_are_written(
    engine: Engine, pg_databases: PgDatabases
) -> None:
    ingest(engine, snapshot(posting(1)), T0)
    client = TestClient(create_app(Settings(), engine))
    client.get("/api/postings")
    before = outcomes()
    other_database_written(pg_databases)
    again = client.get("/api/postings")
    assert delta(before) == {"fresh": 1} and "age" in again.headers

    other = make_engine(str(engine.url.render_as_string(hide_password=False)))
    ingest(other, snapshot(posting(1), posting(2)), at("2026-11-02T09:00"))
    other.dispose()
    before = outcomes()
    after = client.get("/api/postings")
    assert len(after.json()["items"]) == 2 and "age" not in after.headers
    assert delta(before) == {"computed": 1}


# -- PostgreSQL: the generation of this database's own tables --------------------------------


def total(generation: str | None) -> int:
    """The writing transactions a PostgreSQL token counts (its last part)."""
    assert generation is not None and generation.startswith("pg:")
    return int(generation.rsplit(":", 1)[1])


@pytest.mark.parametrize("backend", ["postgresql"])
def test_on_postgresql_the_generation_moves_with_each_committed_write_only(
    engine: Engine,
) -> None:
    generation = DataGeneration(engine)
    first = generation.current()
    ingest(engine, snapshot(posting(1)), T0)
    written = generation.current()
    assert written != first and total(written) > total(first)

    with engine.begin() as conn:  # a read-only transaction
        conn.execute(text("SELECT count(*) FROM posting")).all()
    with engine.connect() as conn:  # a write rolled back
        conn.execute(text("UPDATE posting SET team = 'Other'"))
        conn.execute(text("DELETE FROM event"))
        conn.rollback()
    assert generation.current() == written

    # Many statements in one transaction count once; a write in a savepoint rolled back is
    # undone with its count, so the transaction's next write counts it again.
    with engine.begin() as conn:
        savepoint = conn.begin_nested()
        conn.execute(text("UPDATE posting SET team = 'Other'"))
        savepoint.rollback()
        for _ in range(3):
            conn.execute(text("UPDATE posting SET team = team"))
        conn.execute(text("UPDATE company SET name = name WHERE false"))  # no row: counts too
    assert total(generation.current()) == total(written) + 1


@pytest.mark.parametrize("backend", ["postgresql"])
def test_on_postgresql_writes_outside_the_application_tables_leave_the_generation(
    empty_database_url: str, pg_databases: PgDatabases
) -> None:
    from service.migrations import upgrade
    from service.queue import libpq_conninfo
    from service.queue_schema import ensure_queue_schema

    upgrade(empty_database_url)
    ensure_queue_schema(libpq_conninfo(empty_database_url))
    engine = make_engine(empty_database_url)
    try:
        ingest(engine, snapshot(posting(1)), T0)
        generation = DataGeneration(engine)
        before = generation.current()
        other_database_written(pg_databases)
        with engine.begin() as conn:  # a worker registering, beating and taking a job
            worker = conn.execute(text("SELECT procrastinate_register_worker_v1()")).scalar()
            conn.execute(text("SELECT procrastinate_update_heartbeat_v1(:w)"), {"w": worker})
            conn.execute(
                text("INSERT INTO procrastinate_jobs (queue_name, task_name) VALUES ('q', 't')")
            )
            conn.execute(
                text("UPDATE procrastinate_jobs SET status = 'doing', worker_id = :w"),
                {"w": worker},
            )
        assert generation.current() == before
        ingest(engine, snapshot(posting(1), posting(2)), at("2026-11-02T09:00"))
        assert generation.current() != before
    finally:
        engine.dispose()


@pytest.mark.parametrize("backend", ["postgresql"])
def test_a_database_before_the_slot_table_gets_the_snapshot_generation(
    empty_database_url: str,
) -> None:
    from service.migrations import downgrade, upgrade

    upgrade(empty_database_url, "0015")
    engine = make_engine(empty_database_url)
    try:
        generation = DataGeneration(engine)
        before = generation.current()
        assert before is not None and not before.startswith("pg:")
        ingest(engine, snapshot(posting(1)), T0)
        assert generation.current() not in (None, before)

        # The table is looked for once per instance, and again after an error.
        upgrade(empty_database_url)
        assert not str(generation.current()).startswith("pg:")
        migrated = DataGeneration(engine)
        assert str(migrated.current()).startswith("pg:")
        downgrade(empty_database_url, "0015")
        assert migrated.current() is None  # the table went away under it
        assert not str(migrated.current()).startswith("pg:")
        assert migrated.current() is not None
    finally:
        engine.dispose()


@pytest.mark.parametrize("backend", ["postgresql"])
def test_rows_of_ended_backends_fold_into_one_and_the_count_keeps_growing(
    engine: Engine,
) -> None:
    from store.generation_triggers import SLOT_TABLE, fold_ended_backends

    ingest(engine, snapshot(posting(1)), T0)  # a row for a live backend of the pool
    with engine.begin() as conn:  # and rows left by backends that have ended
        conn.execute(
            text(f"INSERT INTO {SLOT_TABLE} (pid, n) VALUES (2147483001, 5), (2147483002, 7)")
        )
    generation = DataGeneration(engine)
    before = generation.current()
    with engine.begin() as conn:
        live = set(
            conn.execute(
                text(
                    f"SELECT pid FROM {SLOT_TABLE} WHERE pid IN (SELECT pid FROM pg_stat_activity)"
                )
            ).scalars()
        )
        assert live  # the pool keeps the backend that wrote
        assert fold_ended_backends(conn) >= 2
        rows = dict(conn.execute(text(f"SELECT pid, n FROM {SLOT_TABLE}")).all())
    assert 2147483001 not in rows and 2147483002 not in rows and rows[0] >= 12
    assert live <= rows.keys()  # live backends keep their rows
    folded = generation.current()
    assert folded != before and total(folded) == total(before)  # a new token, the same count
    ingest(engine, snapshot(posting(1), posting(2)), at("2026-11-02T09:00"))
    assert total(generation.current()) == total(before) + 1


# -- the middleware alone, with a clock and a generation the test moves ---------------------


class Counted:
    """An ASGI app answering ``/api/trends`` with how many times it was called."""

    def __init__(self, delay: float = 0.0, status: int = 200, body: bytes = b"") -> None:
        self.calls = 0
        self.delay = delay
        self.status = status
        self.body = body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.calls += 1
        calls = self.calls
        await asyncio.sleep(self.delay)
        await send({"type": "http.response.start", "status": self.status, "headers": []})
        await send({"type": "http.response.body", "body": self.body or str(calls).encode()})


class Generation:
    def __init__(self) -> None:
        self.value = "g1"

    def current(self) -> str | None:
        return self.value


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def cache(
    app: Counted, generation: Generation, clock: Clock, *, stale: float = 5.0, size: int = 1 << 20
) -> AnswerCache:
    return AnswerCache(app, generation, size, stale, clock)  # type: ignore[arg-type]


async def get(middleware: AnswerCache, path: str, query: str = "") -> httpx.Response:
    transport = httpx.ASGITransport(app=middleware)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        return await client.get(f"{path}?{query}" if query else path)


def test_analytics_stay_within_their_window_after_a_write_and_lists_do_not() -> None:
    async def scenario() -> list[Any]:
        app, generation, clock = Counted(), Generation(), Clock()
        middleware = cache(app, generation, clock, stale=5.0)
        seen = [(await get(middleware, "/api/trends")).text]
        seen.append((await get(middleware, "/api/postings")).text)
        generation.value = "g2"  # something was committed
        clock.now += 4
        seen.append((await get(middleware, "/api/trends")).text)  # within 5 s: kept
        seen.append((await get(middleware, "/api/postings")).text)  # a list: computed again
        clock.now += 2
        seen.append((await get(middleware, "/api/trends")).text)  # 6 s: computed again
        seen.append((await get(middleware, "/api/trends")).text)  # current again: kept
        return [*seen, app.calls]

    assert asyncio.run(scenario()) == ["1", "2", "1", "3", "4", "4", 4]


def test_concurrent_misses_compute_once_and_others_get_the_previous_answer() -> None:
    async def scenario() -> tuple[list[str], int, list[str], int]:
        app, generation, clock = Counted(delay=0.05), Generation(), Clock()
        middleware = cache(app, generation, clock, stale=0.0)
        together = await asyncio.gather(*(get(middleware, "/api/pay") for _ in range(5)))
        calls = app.calls
        generation.value = "g2"
        # Past the window (0 s) one request recomputes; the analytics others meanwhile get
        # the previous answer rather than each computing it again.
        later = await asyncio.gather(*(get(middleware, "/api/pay") for _ in range(5)))
        return [r.text for r in together], calls, sorted(r.text for r in later), app.calls

    together, calls, later, total = asyncio.run(scenario())
    assert together == ["1"] * 5 and calls == 1
    assert later == ["1", "1", "1", "1", "2"] and total == 2


def test_only_whole_successful_answers_within_the_budget_are_kept() -> None:
    async def scenario() -> tuple[int, int, int]:
        generation, clock = Generation(), Clock()
        failing = Counted(status=503)
        middleware = cache(failing, generation, clock)
        await get(middleware, "/api/trends")
        await get(middleware, "/api/trends")
        big = Counted(body=b"x" * 300)
        small_budget = cache(big, generation, clock, size=1000)  # an answer may take 250
        await get(small_budget, "/api/trends")
        await get(small_budget, "/api/trends")
        other = Counted()
        bounded = cache(other, generation, clock, size=4 * 600)
        for n in range(10):
            await get(bounded, "/api/trends", f"n={n}")
        assert bounded.entries.currsize <= 4 * 600
        await get(bounded, "/api/trends", "n=0")  # the oldest was pushed out
        await get(bounded, "/api/trends", "n=9")  # the newest was not
        return failing.calls, big.calls, other.calls

    assert asyncio.run(scenario()) == (2, 2, 11)


@pytest.mark.parametrize("path", ["/api/postings/1", "/api/postings.csv", "/runs"])
def test_other_paths_pass_through(path: str) -> None:
    async def scenario() -> int:
        app = Counted()
        middleware = cache(app, Generation(), Clock())
        await get(middleware, path)
        await get(middleware, path)
        return app.calls

    assert asyncio.run(scenario()) == 2


def test_a_long_answer_is_replayed_gzipped_to_clients_that_accept_it(file_engine: Engine) -> None:
    engine = file_engine
    ingest(engine, snapshot(*(posting(n) for n in range(1, 40))), T0)
    client = TestClient(create_app(Settings(), engine))
    computed = client.get("/api/postings", headers={"Accept-Encoding": "identity"})
    assert len(computed.content) > 1024 and computed.headers["vary"] == "accept-encoding"

    plain = client.get("/api/postings", headers={"Accept-Encoding": "identity"})
    packed = client.get("/api/postings", headers={"Accept-Encoding": "gzip, deflate"})
    assert "content-encoding" not in plain.headers
    assert packed.headers["content-encoding"] == "gzip"
    assert int(packed.headers["content-length"]) < len(plain.content) / 3
    assert packed.json() == plain.json() == computed.json()  # httpx has decompressed it
    assert packed.headers["etag"] != plain.headers["etag"]
    for reply, encoding in ((plain, "identity"), (packed, "gzip")):
        again = client.get(
            "/api/postings",
            headers={"Accept-Encoding": encoding, "If-None-Match": reply.headers["etag"]},
        )
        assert again.status_code == 304


def test_the_outcomes_are_on_the_metrics_page(file_engine: Engine) -> None:
    engine = file_engine
    ingest(engine, snapshot(posting(1)), T0)
    client = TestClient(create_app(Settings(), engine))
    client.get("/api/pay")
    client.get("/api/pay")
    page = client.get("/metrics").text
    assert 'talentflow_answer_cache_requests_total{outcome="fresh"}' in page


@pytest.mark.parametrize("warm", [True, False])
def test_a_serving_process_computes_its_landing_pages_as_it_starts(
    file_engine: Engine, warm: bool, caplog: pytest.LogCaptureFixture
) -> None:
    ingest(file_engine, snapshot(posting(1), posting(2)), T0)
    app = create_app(Settings(warm_paths=["/", "/trends"]), file_engine, warm=warm)
    with caplog.at_level("DEBUG", logger="service.app"), TestClient(app) as client:
        deadline = time.monotonic() + 20
        while warm and caplog.text.count("warmed ") < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        first = {path: client.get(path) for path in ("/", "/trends")}
    assert all(reply.status_code == 200 for reply in first.values())
    # a replayed answer carries its Age: the very first visitor got the kept page
    assert {path: "age" in reply.headers for path, reply in first.items()} == {
        "/": warm,
        "/trends": warm,
    }
    assert ("warmed /: 200" in caplog.text) is warm
