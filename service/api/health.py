from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from sqlalchemy import text

from scrapers.currency import RatesError
from service.api.deps import SessionDep, SettingsDep
from service.scrape import rates_for
from service.settings import package_version
from store.schemas import HealthOut

router = APIRouter(tags=["health"])


@router.get("/api/health", response_model=HealthOut, response_model_exclude_unset=True)
def health(session: SessionDep, settings: SettingsDep) -> dict[str, Any]:
    session.exec(text("SELECT 1"))  # type: ignore[call-overload]
    body: dict[str, Any] = {
        "status": "ok",
        "version": package_version(),
        "database": session.get_bind().dialect.name,
    }
    if settings.demo:  # the bundled sample of `talentflow demo`, not observed data
        body["demo"] = True
    try:
        body["rates_date"] = rates_for(settings).date.isoformat()
    except RatesError as exc:  # a broken override file is reported, not a 500
        body["rates_date"], body["rates_error"] = None, str(exc)
    return body
