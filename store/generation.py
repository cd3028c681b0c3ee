"""A token that changes whenever any connection commits a write to the application's data.

Answers computed from the database can be kept while the token they were computed under is
still current. The token is read *before* the answer is computed, so a commit landing in
between leaves the answer tagged with the older token: it is computed again next time, never
kept past the write.

- SQLite (a file): ``PRAGMA data_version`` on a connection of its own that never writes. Its
  value changes when any other connection, of this process or another, commits.
- PostgreSQL: the rows and sum of ``data_generation_slot``, which triggers on every
  application table advance once per committed transaction that wrote to one of them
  (``store.generation_triggers``), even by a statement that changed no row. Writes to the
  task queue's tables and to other databases of the server leave it as it is. The table's
  file number is part of it, so a slot table emptied or made anew never repeats an older
  token. A database without the table (a revision before 0016) gets the text of
  ``pg_current_snapshot()``, which moves with every transaction of the server that writes,
  in this database or not: never stale, but an answer is rarely reused.
- An in-memory SQLite database (one connection) has no token: nothing is kept.
"""

from __future__ import annotations

import sqlite3
import threading

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from store.generation_triggers import SLOT_TABLE

SLOTS = text(
    f"SELECT pg_relation_filenode('{SLOT_TABLE}'), count(*), coalesce(sum(n), 0) FROM {SLOT_TABLE}"
)
SLOTS_EXIST = text(f"SELECT to_regclass('{SLOT_TABLE}') IS NOT NULL")
SNAPSHOT = text("SELECT pg_current_snapshot()::text")


class DataGeneration:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._lock = threading.Lock()
        self._sqlite: sqlite3.Connection | None = None
        # PostgreSQL: whether the slot table exists, once known (asked again after an error).
        self._slots: bool | None = None
        url = engine.url
        self._backend = url.get_backend_name()
        self._path = url.database if self._backend == "sqlite" else None
        if self._backend == "sqlite" and self._path in (None, "", ":memory:"):
            self._backend = "none"

    def current(self) -> str | None:
        """The token now, or None when it cannot be read (then nothing may be reused)."""
        if self._backend == "sqlite":
            return self._sqlite_version()
        if self._backend == "postgresql":
            return self._pg_generation()
        return None

    def _pg_generation(self) -> str | None:
        try:
            with self._engine.connect() as conn:
                if self._slots is None:
                    self._slots = bool(conn.execute(SLOTS_EXIST).scalar())
                if not self._slots:
                    return str(conn.execute(SNAPSHOT).scalar())
                filenode, count, total = conn.execute(SLOTS).one()
                return f"pg:{filenode}:{count}:{total}"
        except SQLAlchemyError:
            self._slots = None
            return None

    def _sqlite_version(self) -> str | None:
        with self._lock:
            try:
                if self._sqlite is None:
                    assert self._path is not None
                    # This connection never writes: it exists only to be told of commits.
                    self._sqlite = sqlite3.connect(self._path, check_same_thread=False)
                row = self._sqlite.execute("PRAGMA data_version").fetchone()
            except sqlite3.Error:
                self.close_locked()
                return None
        return f"sqlite:{row[0]}"

    def close(self) -> None:
        with self._lock:
            self.close_locked()

    def close_locked(self) -> None:
        if self._sqlite is not None:
            self._sqlite.close()
            self._sqlite = None
