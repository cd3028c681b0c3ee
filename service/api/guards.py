"""Request checks that apply to every route, before any of them runs."""

from __future__ import annotations

import re
from urllib.parse import unquote

from fastapi.responses import JSONResponse
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

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


def _too_large() -> JSONResponse:
    return JSONResponse(
        status_code=413,
        content={"detail": f"request body too large: at most {MAX_BODY_BYTES} bytes"},
    )


def _announced_too_large(scope: Scope) -> JSONResponse | None:
    declared = Headers(scope=scope).get("content-length", "")
    return _too_large() if declared.isdigit() and int(declared) > MAX_BODY_BYTES else None


async def _read_chunked(receive: Receive) -> tuple[list[Message], bool]:
    """The messages of a body sent without a length, and whether it stayed within the limit
    (reading stops as soon as it does not)."""
    messages, size = [], 0
    while True:
        message = await receive()
        messages.append(message)
        size += len(message.get("body", b""))
        if size > MAX_BODY_BYTES:
            return messages, False
        if message["type"] != "http.request" or not message.get("more_body", False):
            return messages, True


class RequestGuards:
    """ASGI middleware: 414 for an overlong URL, 413 for an oversized body (announced, or
    counted when sent in chunks), 422 for control characters in the path or query."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal = _too_long(scope) or _announced_too_large(scope) or _control_characters(scope)
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        headers = Headers(scope=scope)
        if "transfer-encoding" in headers and "content-length" not in headers:
            # No length announced: read it here (at most the limit), then hand it on.
            messages, within = await _read_chunked(receive)
            if not within:
                await _too_large()(scope, receive, send)
                return

            async def replay() -> Message:
                return messages.pop(0) if messages else await receive()

            await self.app(scope, replay, send)
            return
        await self.app(scope, receive, send)
