"""PostgreSQL: a data generation of this database's own tables

The answer cache replays an answer while the data generation is unchanged. On PostgreSQL that
was the text of ``pg_current_snapshot()``, which moves with every writing transaction of the
server: other databases, and the task queue's ``procrastinate_*`` tables, whose workers
heartbeat every few seconds. With a scheduler and workers beside the API, answers were almost
never replayed. Now a statement trigger on every application table adds one, once per
transaction, to the writing backend's row of ``data_generation_slot``; the generation is
the rows' sum (``store.generation``). One row per backend: two transactions in progress never
update the same row, so ingest transactions do not wait for each other on it. SQLite keeps
``PRAGMA data_version`` and is not changed.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-08
"""

from collections.abc import Sequence

from alembic import op

# Frozen copies of store/generation_triggers.py's statements at this revision: a migration must
# not change with the code (a later change to them installs them again in a revision of its own).
SLOT_TABLE_SQL = (
    "CREATE TABLE IF NOT EXISTS data_generation_slot (pid integer PRIMARY KEY, n bigint NOT NULL)"
)
BUMP_FUNCTION_SQL = """\
CREATE OR REPLACE FUNCTION talentflow_bump_generation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(current_setting('talentflow.generation_counted', true), '') <> 'on' THEN
        INSERT INTO data_generation_slot (pid, n) VALUES (pg_backend_pid(), 1)
        ON CONFLICT (pid) DO UPDATE SET n = data_generation_slot.n + 1;
        PERFORM set_config('talentflow.generation_counted', 'on', true);
    END IF;
    RETURN NULL;
END
$$"""


def generation_trigger_sql(table: str) -> str:
    return (
        f'CREATE TRIGGER talentflow_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{table}" '
        "FOR EACH STATEMENT EXECUTE FUNCTION talentflow_bump_generation()"
    )


revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The application's tables at 0015, frozen: a migration must not change with the code, and a
# list read from pg_tables would take in whatever else shares the schema (tables of other
# tools, a scratch table) and miss the tables when they live outside ``public``. A revision
# that adds a table adds its trigger (tests/test_migrations.py checks every table has one).
TABLES = (
    "api_key",
    "board",
    "board_lease",
    "company",
    "company_pay_rollup",
    "delivery",
    "delivery_attempt",
    "event",
    "feed",
    "feed_item",
    "hire",
    "posting",
    "posting_change",
    "posting_pay_rollup",
    "posting_rollup",
    "scrape_run",
    "subscription",
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(SLOT_TABLE_SQL)
    op.execute(BUMP_FUNCTION_SQL)
    for table in TABLES:
        op.execute(generation_trigger_sql(table))


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        op.execute(f'DROP TRIGGER IF EXISTS talentflow_generation ON "{table}"')
    op.execute("DROP FUNCTION IF EXISTS talentflow_bump_generation()")
    op.execute("DROP TABLE IF EXISTS data_generation_slot")
