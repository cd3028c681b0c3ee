"""API-key authentication and per-key rate limiting for write routes.

Use ``WriteKeyDep`` as a parameter of any write route::

    @router.post("/api/hires", status_code=201)
    def create_hire(body: HireIn, session: SessionDep, key: WriteKeyDep) -> dict[str, Any]: ...

It answers 401 ``{"detail": ...}`` when the ``X-API-Key`` header is missing, 403 when the key is
unknown or revoked, and 429 (with ``Retry-After``) when the key exceeds
``Settings.write_rate_per_minute``. The route receives the ``ApiKey`` row. In tests, make a key
with ``store.keys.create_key(session, "name")`` (returns ``(row, plaintext)``) and commit it.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, HTTPException, Request, Security
from fastapi.security import APIKeyHeader

from service.api.deps import SessionDep, SettingsDep
from store.keys import verify_key
from store.models.keys import ApiKey

API_KEY_HEADER = "X-API-Key"
_header = APIKeyHeader(
    name=API_KEY_HEADER,
    auto_error=False,
    description="an API key from `talentflow keys create NAME`",
)


@dataclass
class RateLimiter:
    """Token buckets per key: ``rate`` requests per ``per`` seconds, bursting up to ``rate``."""

    rate: int
    per: float = 60.0
    clock: Callable[[], float] = time.monotonic
    _buckets: dict[int, tuple[float, float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def acquire(self, key_id: int) -> float:
        """0 when allowed, else the seconds until a request would be."""
        refill = self.rate / self.per
        now = self.clock()
        with self._lock:
            tokens, last = self._buckets.get(key_id, (float(self.rate), now))
            tokens = min(float(self.rate), tokens + (now - last) * refill)
            if tokens >= 1:
                self._buckets[key_id] = (tokens - 1, now)
                return 0.0
            self._buckets[key_id] = (tokens, now)
            return (1 - tokens) / refill


def write_limiter(request: Request, settings: SettingsDep) -> RateLimiter:
    """The app's limiter, made on first use so every app (and test) has its own."""
    limiter: RateLimiter | None = getattr(request.app.state, "write_limiter", None)
    if limiter is None:
        limiter = RateLimiter(rate=settings.write_rate_per_minute)
        request.app.state.write_limiter = limiter
    return limiter


def require_write_key(
    session: SessionDep,
    limiter: Annotated[RateLimiter, Depends(write_limiter)],
    api_key: Annotated[str | None, Security(_header)] = None,
) -> ApiKey:
    if not api_key:
        raise HTTPException(
            401, f"missing {API_KEY_HEADER} header", headers={"WWW-Authenticate": "APIKey"}
        )
    row = verify_key(session, api_key)
    if row is None or row.id is None:
        raise HTTPException(403, "invalid or revoked API key")
    wait = limiter.acquire(row.id)
    if wait > 0:
        raise HTTPException(
            429,
            "rate limit exceeded for this API key",
            headers={"Retry-After": str(max(1, math.ceil(wait)))},
        )
    return row


WriteKeyDep = Annotated[ApiKey, Depends(require_write_key)]
