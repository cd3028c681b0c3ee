"""The task queue's tables: procrastinate's own schema, applied by ``talentflow db upgrade``.

This is a separate idempotent step after the Alembic migrations, not an Alembic revision: the
schema belongs to procrastinate and follows its version, not ours. The first upgrade installs
the installed procrastinate's ``schema.sql`` and notes that version on the jobs table; after a
procrastinate upgrade, the next ``db upgrade`` applies the migration files procrastinate ships
for the versions in between, in order. Concurrent upgrades wait for each other on a lock.
"""

from __future__ import annotations

import logging
import re
from importlib.metadata import version
from pathlib import Path
from typing import LiteralString, cast

import psycopg
from procrastinate.schema import SchemaManager
from psycopg import sql

from service.leader import lease_key

log = logging.getLogger(__name__)

VERSION_NOTE = re.compile(r"^procrastinate (\d+)\.(\d+)\.(\d+)")
Version = tuple[int, int, int]


def _installed() -> Version:
    major, minor, patch = (int(x) for x in version("procrastinate").split(".")[:3])
    return major, minor, patch


def _file_version(path: Path) -> Version:
    major, minor, patch = (int(x) for x in path.name.split("_", 1)[0].split("."))
    return major, minor, patch


def migrations_after(applied: Version, upto: Version) -> list[Path]:
    files = Path(SchemaManager.get_migrations_path()).glob("*.sql")
    return sorted(
        (f for f in files if applied < _file_version(f) <= upto),
        key=lambda f: (_file_version(f), f.name),
    )


def _note(conn: psycopg.Connection, v: Version) -> None:
    note = f"procrastinate {'.'.join(map(str, v))} schema, applied by talentflow db upgrade"
    conn.execute(sql.SQL("COMMENT ON TABLE procrastinate_jobs IS {}").format(sql.Literal(note)))


def ensure_queue_schema(conninfo: str) -> str:
    """Installs or migrates the queue's tables; returns what it did, in words."""
    installed = _installed()
    with psycopg.connect(conninfo) as conn, conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (lease_key("talentflow:queue-schema"),))
        row = conn.execute(
            "SELECT to_regclass('procrastinate_jobs') IS NOT NULL, "
            "obj_description(to_regclass('procrastinate_jobs'), 'pg_class')"
        ).fetchone()
        exists, comment = (row[0], row[1]) if row else (False, None)
        if not exists:
            conn.execute(SchemaManager.get_schema())
            _note(conn, installed)
            return f"task queue installed (procrastinate {'.'.join(map(str, installed))})"
        match = VERSION_NOTE.match(comment or "")
        if match is None:
            return "task queue tables exist (installed outside talentflow; left as they are)"
        applied: Version = (int(match[1]), int(match[2]), int(match[3]))
        pending = migrations_after(applied, installed)
        for migration in pending:
            log.info("applying procrastinate migration %s", migration.name)
            # procrastinate's own files, shipped with the package: trusted like its code
            conn.execute(cast(LiteralString, migration.read_text(encoding="utf-8")))
        if applied != installed:
            _note(conn, installed)
        if not pending:
            return "task queue is up to date"
        return f"task queue migrated with {len(pending)} procrastinate migration(s)"


def queue_schema_present(conninfo: str) -> bool:
    with psycopg.connect(conninfo) as conn:
        row = conn.execute("SELECT to_regclass('procrastinate_jobs') IS NOT NULL").fetchone()
        return bool(row and row[0])
