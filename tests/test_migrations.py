"""Migrations: a single head, upgrade/downgrade round trips, and exactly the models' schema —
on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from alembic.script import ScriptDirectory
from pytest_alembic import tests as alembic_tests
from sqlalchemy import inspect
from sqlalchemy.engine import Engine

from service import migrations
from service.migrations import ROOT, downgrade, upgrade
from store.engine import make_engine


@pytest.fixture
def alembic_engine(empty_database_url: str) -> Iterator[Engine]:
    engine = make_engine(empty_database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def alembic_config_fixture() -> dict[str, Any]:
    return {"script_location": str(ROOT / "alembic")}


@pytest.fixture
def alembic_config(alembic_config_fixture: dict[str, Any]) -> dict[str, Any]:
    return alembic_config_fixture


def test_single_head_revision(alembic_runner: Any) -> None:
    alembic_tests.test_single_head_revision(alembic_runner)


def test_upgrade_to_head(alembic_runner: Any) -> None:
    alembic_tests.test_upgrade(alembic_runner)


def test_model_definitions_match_ddl(alembic_runner: Any) -> None:
    alembic_tests.test_model_definitions_match_ddl(alembic_runner)


def test_up_down_consistency(alembic_runner: Any) -> None:
    alembic_tests.test_up_down_consistency(alembic_runner)


def test_cli_upgrade_path_creates_every_table_and_downgrades(empty_database_url: str) -> None:
    upgrade(empty_database_url)
    engine = make_engine(empty_database_url)
    try:
        tables = set(inspect(engine).get_table_names())
        assert {"company", "board", "scrape_run", "posting", "posting_change", "event"} <= tables
        downgrade(empty_database_url, "base")
        assert not {"posting", "event"} & set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_revisions_form_one_chain() -> None:
    script = ScriptDirectory.from_config(migrations.alembic_config("sqlite://"))
    revisions = list(script.walk_revisions())
    assert len(script.get_heads()) == 1
    assert revisions[-1].down_revision is None


def test_pay_rollup_per_status_round_trip_keeps_the_figures(empty_database_url: str) -> None:
    """0014 refills the pay rollup and its per-company summary with every status; going back
    to 0013 keeps the open rows, which are what that revision held."""
    from sqlalchemy import text

    from store.models import CompanyPay, PayRollup
    from tests.rollup_helpers import build_random_history

    upgrade(empty_database_url)
    engine = make_engine(empty_database_url)
    pay = PayRollup.__table__  # type: ignore[attr-defined]
    summary = CompanyPay.__table__  # type: ignore[attr-defined]
    old_columns = {
        pay.name: [c.name for c in pay.columns if c.name != "status"],
        summary.name: [c.name for c in summary.columns if c.name != "status"],
    }

    def rows(table: Any, columns: list[str] | None = None) -> set[tuple[Any, ...]]:
        names = ", ".join(columns or [c.name for c in table.columns])
        with engine.connect() as conn:
            return {tuple(r) for r in conn.execute(text(f"SELECT {names} FROM {table.name}"))}

    def open_part(kept: set[tuple[Any, ...]], table: Any) -> set[tuple[Any, ...]]:
        at = [c.name for c in table.columns].index("status")
        return {r[:at] + r[at + 1 :] for r in kept if r[at] == "open"}

    try:
        build_random_history(engine, 1)
        kept = {table.name: rows(table) for table in (pay, summary)}
        assert {r[0] for r in kept[pay.name]} == {"open", "closed"}
        assert {r[1] for r in kept[summary.name]} == {"open", "closed", "all"}
        downgrade(empty_database_url, "0013")
        for table in (pay, summary):
            old = rows(table, old_columns[table.name])
            assert old == open_part(kept[table.name], table)
        upgrade(empty_database_url)
        assert {table.name: rows(table) for table in (pay, summary)} == kept
    finally:
        engine.dispose()


def test_cli_rebuilds_rollups_edited_by_hand(empty_database_url: str) -> None:
    from sqlalchemy import text

    from store.models import PayRollup, PostingRollup
    from tests.e2e_helpers import run_cli
    from tests.rollup_helpers import build_random_history

    upgrade(empty_database_url)
    engine = make_engine(empty_database_url)
    tables = [m.__table__ for m in (PostingRollup, PayRollup)]  # type: ignore[attr-defined]

    def rows() -> list[set[tuple[Any, ...]]]:
        with engine.connect() as conn:
            return [{tuple(r) for r in conn.execute(t.select())} for t in tables]

    try:
        build_random_history(engine, 2)
        kept = rows()
        with engine.begin() as conn:
            conn.execute(text("UPDATE posting_pay_rollup SET n = n + 1"))
            conn.execute(text("DELETE FROM posting_rollup WHERE grain = 'w'"))
        assert rows() != kept
        done = run_cli(["db", "rebuild-rollups"], database_url=empty_database_url)
        assert done.returncode == 0, done.stderr
        assert "rebuilt" in done.stdout
        assert rows() == kept
    finally:
        engine.dispose()


def test_rollup_keys_carry_their_counts_on_postgresql(empty_database_url: str) -> None:
    """0015: on PostgreSQL the rollups' keys include the counts (trend and pay reads are
    index-only scans of the key) beside the company series index; going back takes the counts
    out of the keys. The rows stay as they were."""
    from sqlalchemy import text

    from tests.rollup_helpers import build_random_history

    upgrade(empty_database_url)
    engine = make_engine(empty_database_url)
    if engine.dialect.name != "postgresql":
        engine.dispose()
        pytest.skip("SQLite keeps each rollup in its key (tables without rowid)")

    def shape() -> dict[str, Any]:
        with engine.connect() as conn:
            included = {
                table: conn.execute(
                    text(
                        "SELECT array_agg(a.attname ORDER BY a.attnum) FROM pg_index i "
                        "JOIN pg_attribute a ON a.attrelid = i.indrelid "
                        "AND a.attnum = ANY (i.indkey[i.indnkeyatts:]) "
                        "WHERE i.indrelid = CAST(:t AS regclass) AND i.indisprimary"
                    ),
                    {"t": table},
                ).scalar()
                for table in ("posting_rollup", "posting_pay_rollup")
            }
            series = conn.execute(
                text("SELECT to_regclass('ix_posting_rollup_company_series') IS NOT NULL")
            ).scalar()
            rows = conn.execute(text("SELECT count(*), sum(opened) FROM posting_rollup")).one()
        return {"included": included, "series index": series, "rows": tuple(rows)}

    try:
        build_random_history(engine, 2)
        now = shape()
        assert now["included"] == {
            "posting_rollup": ["opened", "closed"],
            "posting_pay_rollup": ["n"],
        }
        assert now["series index"] is True
        downgrade(empty_database_url, "0014")
        before = shape()
        assert before["included"] == {"posting_rollup": None, "posting_pay_rollup": None}
        assert before["series index"] is True and before["rows"] == now["rows"]
        upgrade(empty_database_url)
        assert shape() == now
    finally:
        engine.dispose()


def generation_triggers(engine: Engine) -> dict[str, Any]:
    """Which tables count their writes toward the data generation, and the objects behind it."""
    from sqlalchemy import text

    from store.generation_triggers import BUMP_FUNCTION, SLOT_TABLE, TRIGGER

    with engine.connect() as conn:
        triggers = conn.execute(
            text(
                "SELECT c.relname, t.tgtype, p.proname FROM pg_trigger t "
                "JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid "
                "WHERE t.tgname = :trigger OR p.proname = :function"
            ),
            {"trigger": TRIGGER, "function": BUMP_FUNCTION},
        ).all()
        objects = conn.execute(
            text(
                "SELECT to_regclass(:slot) IS NOT NULL, "
                "to_regprocedure(:function || '()') IS NOT NULL"
            ),
            {"slot": SLOT_TABLE, "function": BUMP_FUNCTION},
        ).one()
    # tgtype: after, for each statement (no ROW bit 1, no BEFORE bit 2), on INSERT (4),
    # DELETE (8), UPDATE (16) and TRUNCATE (32).
    return {
        "tables": {name for name, tgtype, proname in triggers if tgtype == 4 | 8 | 16 | 32},
        "triggers": len(triggers),
        "slot table": objects[0],
        "function": objects[1],
    }


@pytest.mark.parametrize("backend", ["postgresql"])  # SQLite's is PRAGMA data_version
def test_every_table_counts_its_writes_toward_the_generation_at_head(
    empty_database_url: str,
) -> None:
    """0016 (PostgreSQL): a statement trigger on every table of the models, none elsewhere;
    going back to 0015 removes the triggers, the function and the slot table. A revision that
    adds a table must add its trigger (``store.generation_triggers.generation_trigger_sql``)."""
    from sqlmodel import SQLModel

    upgrade(empty_database_url)
    engine = make_engine(empty_database_url)
    models = {t.name for t in SQLModel.metadata.sorted_tables}
    at_head = {"tables": models, "triggers": len(models), "slot table": True, "function": True}
    try:
        assert generation_triggers(engine) == at_head
        downgrade(empty_database_url, "0015")
        assert generation_triggers(engine) == {
            "tables": set(),
            "triggers": 0,
            "slot table": False,
            "function": False,
        }
        upgrade(empty_database_url)
        assert generation_triggers(engine) == at_head
    finally:
        engine.dispose()


@pytest.mark.parametrize("backend", ["postgresql"])
def test_create_all_installs_the_same_generation_triggers(engine: Engine) -> None:
    """Databases made by ``SQLModel.metadata.create_all`` (the tests') get what 0016 gives,
    and a second ``create_all`` over them adds nothing."""
    from sqlmodel import SQLModel

    models = {t.name for t in SQLModel.metadata.sorted_tables}
    at_head = {"tables": models, "triggers": len(models), "slot table": True, "function": True}
    assert generation_triggers(engine) == at_head
    SQLModel.metadata.create_all(engine)
    assert generation_triggers(engine) == at_head
