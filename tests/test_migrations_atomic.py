"""A migration that fails leaves the database as it was, on SQLite as on PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, text

import store.rollups
from service.migrations import upgrade
from store.engine import make_engine


def test_a_failing_migration_changes_nothing(
    empty_database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    upgrade(empty_database_url, "0013")
    engine = make_engine(empty_database_url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO posting_pay_rollup (dim, company_id, key, side, value, repost, n) "
                "VALUES ('topic', 1, 'robotics', 'lo', 150000, false, 1)"
            )
        )

    # 0014 drops and recreates the pay rollups, then fills them: make the fill fail.
    def broken(_conn: object) -> None:
        raise RuntimeError("the fill failed")

    monkeypatch.setattr(store.rollups, "rebuild_pay", broken)
    with pytest.raises(RuntimeError, match="the fill failed"):
        upgrade(empty_database_url)

    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0013"
        columns = {c["name"] for c in inspect(conn).get_columns("posting_pay_rollup")}
        assert "status" not in columns  # the old shape, not 0014's
        assert conn.execute(text("SELECT count(*) FROM posting_pay_rollup")).scalar() == 1
        indexes = {i["name"] for i in inspect(conn).get_indexes("posting_pay_rollup")}
        assert "ix_posting_pay_rollup_company" in indexes
    engine.dispose()

    monkeypatch.undo()
    upgrade(empty_database_url)  # and the same upgrade then succeeds
