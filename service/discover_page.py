"""The dashboard's discovery form: ``/sources/discover``.

The page never writes the watchlist; it shows the ``talentflow sources discover … --add`` line
to run. It is open like the other pages, so its outbound requests go through the same SSRF
guard as the API's, and the app runs at most ``PAGE_RUNS_PER_MINUTE`` discoveries a minute
for it.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from service.api.auth import RateLimiter
from service.api.deps import SettingsDep
from service.api.discover import run_discovery
from service.dashboard import render
from service.webhooks.ssrf import MAX_URL_LENGTH, UnsafeTarget

PAGE_RUNS_PER_MINUTE = 10
MAX_QUERY = 200

router = APIRouter(include_in_schema=False)


def _limiter(request: Request) -> RateLimiter:
    limiter: RateLimiter | None = getattr(request.app.state, "discover_page_limiter", None)
    if limiter is None:
        limiter = RateLimiter(rate=PAGE_RUNS_PER_MINUTE)
        request.app.state.discover_page_limiter = limiter
    return limiter


@router.get("/sources/discover", response_class=HTMLResponse, name="discover_page")
async def discover_page(request: Request, settings: SettingsDep) -> HTMLResponse:
    # Read by hand rather than declared, so a bad value is a message on this page.
    q = " ".join((request.query_params.get("q") or "").split())
    url = (request.query_params.get("url") or "").strip()
    context: dict[str, Any] = {"q": q, "url": url, "result": None, "error": None}
    if not q and not url:
        return render(request, "discover.html", **context)
    if len(q) > MAX_QUERY or len(url) > MAX_URL_LENGTH:
        context["error"] = f"A name is at most {MAX_QUERY} characters, a URL {MAX_URL_LENGTH}."
        return render(request, "discover.html", status=422, **context)
    wait = _limiter(request).acquire(0)
    if wait > 0:
        context["error"] = f"Too many searches just now; try again in {int(wait) + 1} s."
        response = render(request, "discover.html", status=429, **context)
        response.headers["Retry-After"] = str(int(wait) + 1)
        return response
    try:
        context["result"] = await run_discovery(request, settings, q or None, url or None)
    except UnsafeTarget as exc:
        context["error"] = f"That URL cannot be read from here: {exc}"
        return render(request, "discover.html", status=422, **context)
    except ValueError as exc:
        context["error"] = str(exc)
        return render(request, "discover.html", status=422, **context)
    return render(request, "discover.html", **context)
