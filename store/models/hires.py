"""Announced hires: one row per person's move."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel

from store.types import UTCDateTime, utcnow


class Hire(SQLModel, table=True):
    """One person's move; several outlets reporting it within 30 days make one row."""

    __tablename__ = "hire"
    __table_args__ = (Index("ix_hire_person_to", "person_key", "to_company"),)

    id: int | None = Field(default=None, primary_key=True)
    person: str = Field(max_length=200)
    person_key: str = Field(max_length=200)  # casefolded, spaces collapsed: the dedupe key
    from_company: str | None = Field(default=None, max_length=200, index=True)
    to_company: str = Field(max_length=200, index=True)
    role: str | None = Field(default=None, max_length=300)
    announced_at: datetime = Field(sa_type=UTCDateTime, index=True)
    source_url: str | None = Field(default=None, max_length=2048)
    source_title: str | None = Field(default=None, max_length=500)
    evidence: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    confidence: float = 1.0
    origin: str = Field(default="feed", max_length=16)  # feed | manual | import
    reports: int = 1  # how many outlets reported this move
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
