"""Shared fixtures: databases on SQLite always and on PostgreSQL when
``TALENTFLOW_TEST_DATABASE_URL`` is set (then a PostgreSQL failure fails the run)."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url
from sqlmodel import SQLModel

import store.models  # noqa: F401  (registers every table)
from store.engine import make_engine
from store.search import ensure_search_index

FIXTURES = Path(__file__).parent / "fixtures"
SHARED_SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "reference" / "ats" / "samples"
PG_URL = os.environ.get("TALENTFLOW_TEST_DATABASE_URL")
BACKENDS = ["sqlite", *(["postgresql"] if PG_URL else [])]
# Tests read right after they write: analytics answers computed before a write are not served
# after it (tests/test_answer_cache.py covers the window a deployment has by default). Set in
# the environment so that servers the tests start as subprocesses read it too.
os.environ.setdefault("TALENTFLOW_ANALYTICS_MAX_STALE_SECONDS", "0")


def load_fixture(*parts: str) -> Any:
    path = FIXTURES.joinpath(*parts)
    return json.loads(path.read_text()) if path.suffix == ".json" else path.read_text()


def at(text_: str) -> datetime:
    """A UTC datetime from a short ISO string, for controllable clocks."""
    return datetime.fromisoformat(text_).replace(tzinfo=UTC)


class PgDatabases:
    """Creates throwaway databases on the test server and drops them at the end."""

    def __init__(self, url: str) -> None:
        self.url = make_url(url)
        if self.url.drivername == "postgresql":
            self.url = self.url.set(drivername="postgresql+psycopg")
        self.admin = create_engine(self.url, isolation_level="AUTOCOMMIT")
        self.created: list[str] = []

    def create(self) -> str:
        name = f"tf_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        self.created.append(name)
        return self.url.set(database=name).render_as_string(hide_password=False)

    def drop_all(self) -> None:
        with self.admin.connect() as conn:
            for name in self.created:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.admin.dispose()


@pytest.fixture(scope="session")
def pg_databases() -> Iterator[PgDatabases]:
    if not PG_URL:
        pytest.skip("TALENTFLOW_TEST_DATABASE_URL is not set")
    databases = PgDatabases(PG_URL)
    yield databases
    databases.drop_all()


@pytest.fixture(scope="session")
def pg_shared_url(pg_databases: PgDatabases) -> Iterator[str]:
    """One database for the session; tables created once, emptied after every test."""
    url = pg_databases.create()
    engine = make_engine(url)
    SQLModel.metadata.create_all(engine)
    engine.dispose()
    yield url


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def engine(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Engine]:
    """An engine with every table, on each backend under test."""
    if backend == "sqlite":
        eng = make_engine(f"sqlite:///{tmp_path / 'test.db'}")
        SQLModel.metadata.create_all(eng)
        ensure_search_index(eng)  # FTS objects that metadata does not describe
        yield eng
        eng.dispose()
        return
    url = request.getfixturevalue("pg_shared_url")
    eng = make_engine(url)
    ensure_search_index(eng)
    yield eng
    tables = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
    with eng.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    eng.dispose()


@pytest.fixture
def empty_database_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """A URL of a database with no tables at all (for migrations and end-to-end runs)."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.db'}"
    databases: PgDatabases = request.getfixturevalue("pg_databases")
    return databases.create()
