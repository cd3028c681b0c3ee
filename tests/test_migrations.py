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
    """0014 refills the pay rollup with both statuses from the postings; going back to 0013
    keeps the open rows, which are what that revision held."""
    from sqlalchemy import text

    from store.models import PayRollup
    from tests.rollup_helpers import build_random_history

    upgrade(empty_database_url)
    engine = make_engine(empty_database_url)
    pay = PayRollup.__table__  # type: ignore[attr-defined]
    columns = "dim, key, company_id, side, value, repost, n"
    try:
        build_random_history(engine, 1)
        with engine.connect() as conn:
            kept = {tuple(r) for r in conn.execute(pay.select())}
        assert {r[0] for r in kept} == {"open", "closed"}
        downgrade(empty_database_url, "0013")
        with engine.connect() as conn:
            old = {tuple(r) for r in conn.execute(text(f"SELECT {columns} FROM {pay.name}"))}
        assert old == {r[1:] for r in kept if r[0] == "open"}
        upgrade(empty_database_url)
        with engine.connect() as conn:
            assert {tuple(r) for r in conn.execute(pay.select())} == kept
    finally:
        engine.dispose()
