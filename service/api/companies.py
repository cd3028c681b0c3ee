from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from service.api.deps import SessionDep
from store.queries import list_companies

router = APIRouter(tags=["companies"])


@router.get("/api/companies")
def companies(session: SessionDep) -> dict[str, Any]:
    items = list_companies(session)
    return {"items": items, "next_cursor": None}
