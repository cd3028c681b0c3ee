"""Keeping the query planner informed and the derived tables whole.

SQLite plans without statistics until something runs ``ANALYZE``: it then picks the first index
that matches a filter, not the one that matches the sort. :func:`optimize` refreshes them
(bounded by ``analysis_limit``, so it takes a moment even at millions of rows); PostgreSQL's
autovacuum does the same on its own, and ``ANALYZE`` makes it happen now.
"""

from __future__ import annotations

from sqlalchemy.engine import Connection, Engine

from store import rollups

# Rows SQLite samples per index when it analyses (its documented sweet spot is a few hundred).
SQLITE_ANALYSIS_LIMIT = 1000


def analyze(conn: Connection) -> None:
    """Refresh the planner's statistics (in the caller's transaction)."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f"PRAGMA analysis_limit={SQLITE_ANALYSIS_LIMIT}")
        conn.exec_driver_sql("ANALYZE")
    elif conn.dialect.name == "postgresql":
        conn.exec_driver_sql("ANALYZE")


def optimize(engine: Engine) -> None:
    """Statistics refreshed where they are stale (SQLite ``PRAGMA optimize``) or everywhere."""
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql(f"PRAGMA analysis_limit={SQLITE_ANALYSIS_LIMIT}")
            conn.exec_driver_sql("PRAGMA optimize")
        else:
            analyze(conn)


def rebuild_rollups(engine: Engine) -> None:
    """Recompute the rollups from the postings, in one transaction, then refresh statistics."""
    with engine.begin() as conn:
        rollups.rebuild(conn)
        analyze(conn)
