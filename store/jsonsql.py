"""SQL over JSON list columns (such as ``posting.topics``) on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Text,
    exists,
    false,
    literal,
    literal_column,
    select,
)
from sqlalchemy import func as sqlfunc
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement


class json_list_overlaps(FunctionElement[bool]):  # named like the SQL function it stands for
    """True when the JSON list in the first argument contains any of the following values.

    SQLite: ``EXISTS (SELECT 1 FROM json_each(col) WHERE value IN (...))``;
    PostgreSQL: ``col ?| ARRAY[...]`` (JSONB, can use a GIN index).
    """

    type = Boolean()
    inherit_cache = True
    name = "json_list_overlaps"


def contains_any(column: Any, values: Iterable[str]) -> ColumnElement[bool]:
    wanted = list(dict.fromkeys(values))
    if not wanted:
        return false()
    return json_list_overlaps(column, *(literal(v, Text()) for v in wanted))


@compiles(json_list_overlaps, "sqlite")
def _sqlite(element: json_list_overlaps, compiler: SQLCompiler, **kw: Any) -> str:
    column, *values = list(element.clauses)
    items = sqlfunc.json_each(column).table_valued("value")
    return compiler.process(
        exists(select(literal_column("1")).select_from(items).where(items.c.value.in_(values))),
        **kw,
    )


@compiles(json_list_overlaps, "postgresql")
def _postgresql(element: json_list_overlaps, compiler: SQLCompiler, **kw: Any) -> str:
    column, *values = list(element.clauses)
    return compiler.process(column.op("?|")(postgresql.array(values, type_=Text())), **kw)  # type: ignore[attr-defined]


@compiles(json_list_overlaps)
def _other(element: json_list_overlaps, compiler: SQLCompiler, **kw: Any) -> str:
    raise NotImplementedError(f"json_list_overlaps is not implemented for {compiler.dialect.name}")
