"""Alembic environment: target metadata is the SQLModel metadata of every table."""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

import store.models  # noqa: F401  (registers every table)
from service.settings import Settings
from store.engine import make_engine
from store.generation_triggers import SLOT_TABLE
from store.search import is_search_object

config = context.config
if config.config_file_name and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = SQLModel.metadata


def include_name(name: str | None, type_: str, _parents: object) -> bool:
    """Leave out full-text search objects (FTS5 tables, tsvector column, GIN index) and the
    data generation's slot table: the metadata does not describe them; migrations 0005 and
    0016, ``store.search`` and ``store.generation_triggers`` create them."""
    if type_ == "table" and name == SLOT_TABLE:
        return False
    return not (type_ in ("table", "column", "index") and is_search_object(name))


def database_url() -> str:
    return config.get_main_option("sqlalchemy.url") or Settings().database_url


def run_migrations_offline() -> None:
    context.configure(
        url=database_url(),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connectable = config.attributes.get("connection")
    if isinstance(connectable, Engine):  # pytest-alembic hands over an engine
        with connectable.connect() as connection:
            _run(connection)
            connection.commit()
        return
    if connectable is not None:  # a caller's open connection
        _run(connectable)
        return
    engine = make_engine(database_url())
    with engine.connect() as connection:
        _run(connection)
    engine.dispose()


def _run(connection: object) -> None:
    dialect = connection.dialect.name  # type: ignore[attr-defined]

    def include_object(
        obj: object, _name: str | None, type_: str, reflected: bool, _to: object
    ) -> bool:
        """A model index created for one database only (``Index(...).ddl_if(dialect=...)``)
        is not expected on the others."""
        only = getattr(obj, "_ddl_if", None)
        wanted = getattr(only, "dialect", None) if type_ == "index" and not reflected else None
        return wanted is None or wanted == dialect

    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite needs batch mode to alter tables
        compare_type=True,
        include_name=include_name,
        include_object=include_object,
    )
    with context.begin_transaction():
        if dialect == "sqlite":
            _begin_sqlite(connection)
        context.run_migrations()


def _begin_sqlite(connection: object) -> None:
    """Open SQLite's transaction before the first statement, so DDL is inside it too.

    Python's sqlite3 driver begins a transaction only before INSERT, UPDATE or DELETE; the
    ``CREATE``, ``DROP`` and ``ALTER`` of a migration ran in autocommit, and one that failed
    halfway left the schema half-changed. SQLite's DDL is transactional once a transaction is
    open, so a failed upgrade now rolls back whole, as on PostgreSQL."""
    dbapi = connection.connection.dbapi_connection  # type: ignore[attr-defined]
    if not dbapi.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")  # type: ignore[attr-defined]


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
