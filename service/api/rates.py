"""The reference exchange rates behind every `annual_*_usd` figure."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException

from scrapers.currency import RatesError
from service.api.deps import SettingsDep
from service.api.errors import errors
from service.scrape import rates_for
from store.schemas import RatesOut

router = APIRouter(tags=["rates"])


@router.get(
    "/api/rates",
    response_model=RatesOut,
    responses=errors(503, notes={503: "the rates file is broken"}),
)
def rates(settings: SettingsDep) -> dict[str, Any]:
    """`{"date", "base": "USD", "per_usd": {code: units per USD}}` as configured."""
    try:
        return rates_for(settings).as_dict()
    except RatesError as exc:
        raise HTTPException(status_code=503, detail=str(exc)) from exc
