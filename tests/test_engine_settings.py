"""Connection settings the engine gives each backend."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from store.engine import make_engine
from tests.conftest import PgDatabases


def test_postgresql_connections_run_without_jit(pg_databases: PgDatabases) -> None:
    """The planner's JIT compiled the rollup recounts for seconds; our connections turn it
    off, unless the URL sets its own options."""
    url = pg_databases.create()
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SHOW jit")).scalar() == "off"
    finally:
        engine.dispose()
    own = make_engine(url + "?options=-c%20jit%3Don")
    try:
        with own.connect() as conn:
            assert conn.execute(text("SHOW jit")).scalar() == "on"
    finally:
        own.dispose()


def test_sqlite_connections_wait_for_a_writer(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/busy.db")
    try:
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 30_000
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    finally:
        engine.dispose()
