"""The FastAPI application factory."""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

import httpx
from fastapi import Depends, FastAPI
from fastapi.exceptions import RequestValidationError
from sqlalchemy.engine import Engine
from starlette.exceptions import HTTPException as StarletteHTTPException

from service import dashboard, dashboard_company, discover_page, metrics
from service.answer_cache import AnswerCache
from service.api import atom as atom_api
from service.api import companies, health, openapi, postings, runs, subscriptions
from service.api import discover as discover_api
from service.api import exports as exports_api
from service.api import hires as hires_api
from service.api import rates as rates_api
from service.api import search as search_api
from service.api import trends as trends_api
from service.api.deps import single_values
from service.api.errors import EVERY_ROUTE, errors, method_not_allowed, validation_error
from service.api.guards import RequestGuards
from service.context import AppContext
from service.settings import Settings, package_version
from store.engine import make_engine
from store.generation import DataGeneration

log = logging.getLogger(__name__)

Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[None]]


def create_app(
    settings: Settings | None = None,
    engine: Engine | None = None,
    lifespan: Lifespan | None = None,
    *,
    warm: bool = False,
) -> FastAPI:
    """The application. ``warm`` (a serving process) computes ``settings.warm_paths`` in the
    background once it has started, so their answers are kept before anyone asks."""
    settings = settings or Settings()
    engine = engine or make_engine(settings.database_url)

    @asynccontextmanager
    async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
        warming = asyncio.create_task(warm_up(app, settings.warm_paths)) if warm else None
        try:
            if lifespan is None:
                yield
            else:
                async with lifespan(app):
                    yield
        finally:
            if warming is not None:
                warming.cancel()

    app = FastAPI(
        title="talentflow",
        version=package_version(),
        description="Who is hiring for what: postings, pay bands, trends, hires and alerts.",
        lifespan=_lifespan,
        responses=errors(*EVERY_ROUTE),
        dependencies=[Depends(single_values)],
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.context = AppContext(settings, engine)  # aliases, rates: read once, on first use
    app.add_middleware(
        AnswerCache,
        generation=DataGeneration(engine),
        max_bytes=settings.answer_cache_mib * 1024 * 1024,
        max_stale_seconds=settings.analytics_max_stale_seconds,
    )
    app.add_middleware(RequestGuards)  # added last, so it runs first
    app.add_exception_handler(RequestValidationError, validation_error)  # the dashboard's wraps it
    app.add_exception_handler(StarletteHTTPException, method_not_allowed)
    for module in (health, companies, postings, runs, subscriptions):
        app.include_router(module.router)
    app.include_router(trends_api.router)
    app.include_router(search_api.router)
    app.include_router(exports_api.router)
    app.include_router(atom_api.router)
    app.include_router(rates_api.router)
    app.include_router(hires_api.router)
    app.include_router(discover_api.router)
    app.include_router(metrics.router)
    app.include_router(discover_page.router)
    dashboard_company.install(app)
    dashboard.install(app)  # last: its pages sit beside the API, never in front of it
    openapi.install(app, settings)
    return app


async def warm_up(app: FastAPI, paths: list[str]) -> None:
    """Request each path once through the whole application (its answer cache included). A
    failure is logged and costs only the head start."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://warm-up") as client:
        for path in paths:
            try:
                response = await client.get(path)
                log.debug("warmed %s: %s", path, response.status_code)
            except Exception:
                log.exception("warming %s failed", path)


def server_process_app() -> FastAPI:
    """The application of one process of ``talentflow serve --processes N``: each is started
    afresh by uvicorn, so it reads its settings and sets up its logging itself."""
    from service.logs import configure_logging

    settings = Settings()
    configure_logging(settings.log_level)
    app = create_app(settings, warm=True)
    freeze_startup_objects()
    return app


def freeze_startup_objects() -> None:
    """Called by a server process once its application is built. What exists by then
    (modules, routes, schemas: some 180,000 objects) lives as long as the process; frozen, the
    collector stops walking it on every full collection, which added about 110 ms to one
    request in six of a page that builds many objects (the dashboard over 1,000 companies).
    Not done by ``create_app`` itself: a test process builds many apps and must collect them."""
    gc.freeze()
