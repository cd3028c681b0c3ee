"""PostgreSQL objects behind the data generation (``store.generation``): a counter per backend.

``data_generation_slot`` holds one row per server backend (process id) that ever wrote; a
statement trigger on every application table adds one to the writing backend's row, once per
transaction. The row commits or rolls back with the write, so the sum of the rows moves with
each committed write to these tables and nothing else: not with the task queue's tables
(``procrastinate_*``), not with other databases of the server. Two transactions in progress
are always on two backends, so they never update the same row or wait for each other on it.

Migration 0016 installs these objects; ``SQLModel.metadata.create_all`` installs them too (the
listener below). A migration that adds a table adds its trigger with
:func:`generation_trigger_sql`. The slot table is left out of the metadata: emptying every
table of the metadata (as the tests do) would take the sum back to values it had before.
SQLite has none of this: ``PRAGMA data_version`` serves there. The leader's scheduler folds
the rows of ended backends into one every hour (:func:`fold_ended_backends`), so the table
stays about as small as the server's live backends.

Migration 0016 holds a frozen copy of these statements: a change here needs a migration that
installs them again.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import MetaData, event, text
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

SLOT_TABLE = "data_generation_slot"
BUMP_FUNCTION = "talentflow_bump_generation"
TRIGGER = "talentflow_generation"  # the same name on every table
# Set for the rest of a transaction once it has counted itself: a transaction of a thousand
# statements (executemany runs one per row) updates its row once, not a thousand times. A
# savepoint rolled back undoes the setting with the update, so the next write counts again.
_COUNTED = "talentflow.generation_counted"

SLOT_TABLE_SQL = (
    f"CREATE TABLE IF NOT EXISTS {SLOT_TABLE} (pid integer PRIMARY KEY, n bigint NOT NULL)"
)
BUMP_FUNCTION_SQL = f"""\
CREATE OR REPLACE FUNCTION {BUMP_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(current_setting('{_COUNTED}', true), '') <> 'on' THEN
        INSERT INTO {SLOT_TABLE} (pid, n) VALUES (pg_backend_pid(), 1)
        ON CONFLICT (pid) DO UPDATE SET n = {SLOT_TABLE}.n + 1;
        PERFORM set_config('{_COUNTED}', 'on', true);
    END IF;
    RETURN NULL;
END
$$"""
DROP_FUNCTION_SQL = f"DROP FUNCTION IF EXISTS {BUMP_FUNCTION}()"
DROP_SLOT_TABLE_SQL = f"DROP TABLE IF EXISTS {SLOT_TABLE}"


def generation_trigger_sql(table: str) -> str:
    """The trigger that counts writes to ``table``. Per statement, so it fires even when no row
    changes (an upsert that finds everything as it was): that costs only a recomputation."""
    return (
        f'CREATE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{table}" '
        f"FOR EACH STATEMENT EXECUTE FUNCTION {BUMP_FUNCTION}()"
    )


def drop_generation_trigger_sql(table: str) -> str:
    return f'DROP TRIGGER IF EXISTS {TRIGGER} ON "{table}"'


def install(conn: Connection, tables: list[str]) -> None:
    """Create the slot table, the function and the triggers ``tables`` lack (idempotent)."""
    conn.exec_driver_sql(SLOT_TABLE_SQL)
    conn.exec_driver_sql(BUMP_FUNCTION_SQL)
    present = set(
        conn.execute(
            text(
                "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE t.tgname = :trigger AND c.relname = ANY (:tables) "
                "AND pg_table_is_visible(c.oid)"
            ),
            {"trigger": TRIGGER, "tables": tables},
        ).scalars()
    )
    for table in tables:
        if table not in present:
            conn.exec_driver_sql(generation_trigger_sql(table))


# Rows of backends that have ended, added into row 0: the sum (and so every later token) keeps
# growing while the table stays as small as the server's live backends. Only ended backends'
# rows are touched, so no writing transaction waits on this; the row count falls, which moves
# the token once (one recomputation) and never back to an earlier value, as no row is added
# without its sum growing.
FOLD_SQL = f"""\
WITH ended AS (
    DELETE FROM {SLOT_TABLE} AS s
    WHERE s.pid <> 0 AND NOT EXISTS (SELECT 1 FROM pg_stat_activity AS a WHERE a.pid = s.pid)
    RETURNING s.n
), folded AS (
    INSERT INTO {SLOT_TABLE} (pid, n)
    SELECT 0, sum(n) FROM ended HAVING count(*) > 0
    ON CONFLICT (pid) DO UPDATE SET n = {SLOT_TABLE}.n + excluded.n
)
SELECT count(*) FROM ended"""


def fold_ended_backends(conn: Connection) -> int:
    """Add the rows of ended backends into one; how many were folded (0 without the table)."""
    if conn.execute(text(f"SELECT to_regclass('{SLOT_TABLE}')")).scalar() is None:
        return 0
    return int(conn.exec_driver_sql(FOLD_SQL).scalar_one())


def _after_create(metadata: MetaData, connection: Connection, **_kw: Any) -> None:
    # Every table of the metadata, not only those this call created: create_all also runs on
    # databases whose tables exist already.
    if connection.dialect.name == "postgresql":
        install(connection, [t.name for t in metadata.sorted_tables])


event.listen(SQLModel.metadata, "after_create", _after_create)
