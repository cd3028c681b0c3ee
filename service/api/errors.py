"""Error answers: how routes declare them in OpenAPI, and 422 bodies that are always JSON.

Every error is ``{"detail": ...}``: a sentence (``ErrorOut``) for all but 422, a list of
refused fields (``ValidationErrorOut``, FastAPI's own shape) for 422. Declare a route's
errors with ``responses=errors(404, 409)`` (add ``*KEY_ERRORS`` on routes behind an API key and
``*BODY_ERRORS`` on routes that read a body); 414 and 422 are declared on every route by the app.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from fastapi import Request
from fastapi.encoders import jsonable_encoder
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from service.api.params import PATTERN_MESSAGES
from store.schemas import ErrorOut, ValidationErrorOut

Responses = dict[int | str, dict[str, Any]]

MEANINGS = {
    400: "a body that cannot be read as JSON text",
    401: "no `X-API-Key` header",
    403: "an unknown or revoked API key",
    404: "nothing with that name or id",
    409: "in a state that does not allow it",
    413: "a request body over the size limit",
    414: "a URL over the length limit",
    422: "a parameter or body field refused; `detail` lists each with the reason",
    429: "too many writes with this API key; see `Retry-After`",
    503: "a configured data file is broken",
}

KEY_ERRORS = (401, 403, 429)
BODY_ERRORS = (400, 413)
EVERY_ROUTE = (414, 422)


def errors(
    *codes: int, notes: Mapping[int, str] | None = None, models: Mapping[int, Any] | None = None
) -> Responses:
    """The ``responses=`` of a route: each status with its model and what it means there
    (``models`` for a route whose answer has another shape)."""
    notes, models = notes or {}, models or {}
    return {
        code: {
            "model": models.get(code, ValidationErrorOut if code == 422 else ErrorOut),
            "description": notes.get(code, MEANINGS[code]),
        }
        for code in codes
    }


def json_safe(value: Any) -> Any:
    """``value`` as plain JSON: numbers that JSON cannot carry (``1e400`` parses to infinity)
    become their text, and anything else without a JSON form (an exception in ``ctx``) its
    ``str``."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, Mapping):
        return {str(key): json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(item) for item in value]
    if value is None or isinstance(value, str | int | float):
        return value
    if isinstance(value, BaseException):
        return str(value)
    return json_safe(jsonable_encoder(value, custom_encoder={BaseException: str}))


def _readable(error: dict[str, Any]) -> dict[str, Any]:
    """The text rules in words rather than as their regular expressions."""
    pattern = (error.get("ctx") or {}).get("pattern")
    message = PATTERN_MESSAGES.get(pattern) if isinstance(pattern, str) else None
    return error if message is None else {**error, "msg": message}


async def method_not_allowed(request: Request, exc: Exception) -> Response:
    """405 with every method the path has in ``Allow``: Starlette names only those of the first
    route matching the path, and GET and POST of one path are two routes here. Each method is
    tried against the routes as the router would."""
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code != 405:
        return await http_exception_handler(request, exc)
    methods = [
        method
        for method in ("GET", "POST", "PUT", "PATCH", "DELETE")
        if any(
            route.matches({**request.scope, "method": method})[0] == Match.FULL
            for route in request.app.routes
        )
    ]
    allow = ", ".join(methods) or (exc.headers or {}).get("Allow", "")
    return JSONResponse({"detail": exc.detail}, status_code=405, headers={"Allow": allow})


async def validation_error(request: Request, exc: Exception) -> JSONResponse:
    """FastAPI's 422, with ``input`` and ``ctx`` made JSON-safe (its own handler fails on an
    infinite number and turns an exception into ``{}``)."""
    assert isinstance(exc, RequestValidationError)
    issues = [_readable(dict(error)) for error in exc.errors()]
    return JSONResponse(status_code=422, content={"detail": json_safe(issues)})
