"""API keys for write routes: only a hash of the key is stored, plus a short prefix for display."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from store.types import UTCDateTime, utcnow


class ApiKey(SQLModel, table=True):
    __tablename__ = "api_key"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100, unique=True, index=True)
    # SHA-256 hex of the full key; keys are 32 random bytes, so a slow hash adds nothing.
    key_hash: str = Field(max_length=64, unique=True, index=True)
    prefix: str = Field(max_length=16)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
