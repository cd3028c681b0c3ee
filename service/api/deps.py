"""Dependencies shared by routes: the session, the settings, pagination parameters."""

from __future__ import annotations

from collections.abc import Iterator
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin

from fastapi import Depends, HTTPException, Path, Query, Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from pydantic import WithJsonSchema
from sqlalchemy.engine import Engine
from sqlmodel import Session

from service.context import AppContext
from service.settings import Settings
from store.filters import MAX_ROW_ID, cursor_pattern
from store.search import RANK

MAX_LIMIT = 500


def get_engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_context(request: Request) -> AppContext:
    context: AppContext = request.app.state.context
    return context


def get_session(engine: Annotated[Engine, Depends(get_engine)]) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
ContextDep = Annotated[AppContext, Depends(get_context)]
LimitQuery = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="page size (at most 500)")]

# The OpenAPI document states exactly which cursors decode (a pattern per kind; empty is the
# first page); the route answers any other with a 422 saying to pass `next_cursor` unchanged.
_CURSOR_DESCRIPTION = "the `next_cursor` of the previous page"
_IdCursor = Annotated[
    str, WithJsonSchema({"type": "string", "pattern": f"^$|{cursor_pattern('id')}"})
]
_RankCursor = Annotated[
    str, WithJsonSchema({"type": "string", "pattern": f"^$|{cursor_pattern(RANK)}"})
]
CursorQuery = Annotated[_IdCursor | None, Query(max_length=200, description=_CURSOR_DESCRIPTION)]
RankCursorQuery = Annotated[
    _RankCursor | None, Query(max_length=200, description=_CURSOR_DESCRIPTION)
]
# Row ids above MAX_ROW_ID (32-bit on PostgreSQL) cannot be a row, and would make the
# database raise instead of answering "not found".
RowId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]


def query_error(param: str, message: str, kind: str = "value_error") -> HTTPException:
    """A 422 shaped like FastAPI's own validation errors, for checks done in a route."""
    return HTTPException(
        status_code=422, detail=[{"loc": ["query", param], "msg": message, "type": kind}]
    )


def _takes_many(annotation: Any) -> bool:
    """Whether a parameter's type is a list (or a list or None)."""
    origin = get_origin(annotation)
    if origin in (list, set, frozenset, tuple):
        return True
    if origin is Annotated or origin is Union or origin is UnionType:
        return any(_takes_many(arg) for arg in get_args(annotation))
    return False


def _query_fields(dependant: Dependant) -> Iterator[tuple[str, Any]]:
    for field in dependant.query_params:
        yield field.alias, field.field_info.annotation
    for sub in dependant.dependencies:
        yield from _query_fields(sub)


def _single_valued(route: APIRoute) -> frozenset[str]:
    """The query parameters of a route that take one value (not a list)."""
    return frozenset(
        name for name, annotation in _query_fields(route.dependant) if not _takes_many(annotation)
    )


def single_values(request: Request) -> None:
    """Refuse a one-value query parameter given twice: FastAPI would quietly keep the last
    (`cursor=abc&cursor=` reads as the first page), so the caller's intent is unclear."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    query = request.query_params
    for name in sorted(_single_valued(route)):
        if len(query.getlist(name)) > 1:
            raise query_error(name, "give this parameter once", kind="too_many_values")
