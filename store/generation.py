"""A token that changes whenever any connection commits a write to the database.

Answers computed from the database can be kept while the token they were computed under is
still current. The token is read *before* the answer is computed, so a commit landing in
between leaves the answer tagged with the older token: it is computed again next time, never
kept past the write.

- SQLite (a file): ``PRAGMA data_version`` on a connection of its own that never writes. Its
  value changes when any other connection, of this process or another, commits.
- PostgreSQL: the text of ``pg_current_snapshot()`` (xmin, xmax and the transactions in
  progress). It changes when a transaction takes a transaction id (its first write) and when
  one that holds one ends; read-only transactions never take one. Writes to other databases
  of the same server change it too, which only costs a recomputation.
- An in-memory SQLite database (one connection) has no token: nothing is kept.
"""

from __future__ import annotations

import sqlite3
import threading

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError


class DataGeneration:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._lock = threading.Lock()
        self._sqlite: sqlite3.Connection | None = None
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
            try:
                with self._engine.connect() as conn:
                    return str(conn.execute(text("SELECT pg_current_snapshot()::text")).scalar())
            except SQLAlchemyError:
                return None
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
