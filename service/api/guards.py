"""Request checks that apply to every route."""

from __future__ import annotations

import re
from urllib.parse import unquote

from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

# No parameter or path segment legitimately carries control characters; PostgreSQL refuses NUL
# in text and XML refuses most of the rest, so they are a 422 here rather than a 500 later.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class RejectControlCharacters:
    """ASGI middleware: 422 for a URL whose decoded path or query has control characters."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            query = unquote(scope.get("query_string", b"").decode("latin-1"))
            where = (
                "query"
                if _CONTROL.search(query)
                else ("path" if _CONTROL.search(scope.get("path", "")) else None)
            )
            if where:
                response = JSONResponse(
                    status_code=422,
                    content={
                        "detail": [
                            {
                                "loc": [where],
                                "msg": "control characters are not allowed",
                                "type": "value_error",
                            }
                        ]
                    },
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
