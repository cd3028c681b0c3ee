"""Leases that keep one run of a board at a time where the database has no advisory locks."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from store.types import UTCDateTime


class BoardLease(SQLModel, table=True):
    """Who runs a board now, until when (renewed while the run lasts; deleted at its end).

    Keyed by the board's key rather than its id: the first run of a board holds the lease
    before the board row exists.
    """

    __tablename__ = "board_lease"

    board_key: str = Field(max_length=600, primary_key=True)
    holder: str = Field(max_length=200)
    expires_at: datetime = Field(sa_type=UTCDateTime)
