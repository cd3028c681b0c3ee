from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from sqlalchemy import text

from service.api.deps import SessionDep
from service.settings import package_version

router = APIRouter(tags=["health"])


@router.get("/api/health")
def health(session: SessionDep) -> dict[str, Any]:
    session.exec(text("SELECT 1"))  # type: ignore[call-overload]
    return {"status": "ok", "version": package_version(),
            "database": session.get_bind().dialect.name}
