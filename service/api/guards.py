"""Request checks that apply to every route, before any of them runs."""

from __future__ import annotations

import re
from urllib.parse import unquote

from fastapi.responses import JSONResponse
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

# No parameter or path segment legitimately carries control characters; PostgreSQL refuses NUL
# in text and XML refuses most of the rest, so they are a 422 here rather than a 500 later.
CONTROL_CHARACTERS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f"  # inside a character class
_CONTROL = re.compile(f"[{CONTROL_CHARACTERS}]")
# The same rule as a pattern for OpenAPI and for body fields: text without control characters.
NO_CONTROL_CHARACTERS = f"^[^{CONTROL_CHARACTERS}]*$"

# The longest path and query accepted. Every parameter has a length limit well inside this; a
# longer URL is either a mistake or an attempt to make the server parse megabytes of query.
MAX_URL_BYTES = 8 * 1024
# The largest request body accepted: the biggest real one (a subscription filter naming 200
# companies and 100 topics) is under 100 KiB.
MAX_BODY_BYTES = 1024 * 1024


def _control_characters(scope: Scope) -> JSONResponse | None:
    query = unquote(scope.get("query_string", b"").decode("latin-1"))
    where = (
        "query"
        if _CONTROL.search(query)
        else ("path" if _CONTROL.search(scope.get("path", "")) else None)
    )
    if where is None:
        return None
    return JSONResponse(
        status_code=422,
        content={
            "detail": [
                {"loc": [where], "msg": "control characters are not allowed", "type": "value_error"}
            ]
        },
    )


def _too_long(scope: Scope) -> JSONResponse | None:
    path = scope.get("raw_path") or scope.get("path", "").encode()
    length = len(path) + len(scope.get("query_string", b""))
    if length <= MAX_URL_BYTES:
        return None
    return JSONResponse(
        status_code=414,
        content={
            "detail": f"URL too long: {length} bytes of path and query; at most {MAX_URL_BYTES}"
        },
    )


def _too_large(scope: Scope) -> JSONResponse | None:
    """A body announced larger than the limit; bodies sent without a length are counted as they
    are read (``FastAPI(max_body_size=...)``), which answers 413 too."""
    declared = Headers(scope=scope).get("content-length", "")
    if not declared.isdigit() or int(declared) <= MAX_BODY_BYTES:
        return None
    return JSONResponse(
        status_code=413,
        content={"detail": f"request body too large: at most {MAX_BODY_BYTES} bytes"},
    )


class RequestGuards:
    """ASGI middleware: 414 for an overlong URL, 413 for an oversized body, 422 for control
    characters in the path or query."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            refusal = _too_long(scope) or _too_large(scope) or _control_characters(scope)
            if refusal is not None:
                await refusal(scope, receive, send)
                return
        await self.app(scope, receive, send)
