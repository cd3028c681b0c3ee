"""The queue commands refuse clearly where they cannot run."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from store.engine import make_engine
from tests.conftest import PgDatabases
from tests.e2e_helpers import run_cli

WATCHLIST = '[[companies]]\nname = "xAI"\nboards = [ { ats = "greenhouse", token = "xai" } ]\n'


def test_worker_and_scheduler_need_postgresql(tmp_path: Path) -> None:
    sources = tmp_path / "sources.toml"
    sources.write_text(WATCHLIST)
    url = f"sqlite:///{tmp_path / 'q.db'}"
    for args in (["worker"], ["scheduler"], ["run", "--workers", "2"]):
        result = run_cli(args, database_url=url, sources=sources, timeout=60)
        assert result.returncode == 2, (args, result.stdout, result.stderr)
        assert "PostgreSQL" in result.stderr, (args, result.stderr)


def test_worker_asks_for_db_upgrade_when_the_queue_is_missing(
    pg_databases: PgDatabases, tmp_path: Path
) -> None:
    sources = tmp_path / "sources.toml"
    sources.write_text(WATCHLIST)
    url = pg_databases.create()
    result = run_cli(["worker"], database_url=url, sources=sources, timeout=60)
    assert result.returncode == 1
    assert "run `talentflow db upgrade` first" in result.stderr
    engine = make_engine(url)
    with engine.connect() as conn:  # nothing was created behind the user's back
        assert conn.execute(text("SELECT to_regclass('procrastinate_jobs')")).scalar() is None
    engine.dispose()
