"""Creating, listing, revoking and verifying API keys.

``create_key(session, name)`` returns ``(ApiKey row, plaintext)``; the plaintext is shown once and
never stored (only its SHA-256). ``verify_key(session, plaintext)`` returns the active row or
``None``; the hash is compared with ``hmac.compare_digest`` so timing reveals nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import datetime

from sqlmodel import Session, col, select

from store.models.keys import ApiKey
from store.types import utcnow
from store.upsert import insert_missing

KEY_PREFIX = "tfk_"
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,99}$")


class ApiKeyError(ValueError):
    """A key operation that cannot be done (bad or duplicate name, unknown key)."""


def hash_key(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode("utf-8")).hexdigest()


def create_key(session: Session, name: str, *, at: datetime | None = None) -> tuple[ApiKey, str]:
    """Add a key in the caller's transaction; the plaintext is returned once and never stored."""
    if not NAME_RE.match(name):
        raise ApiKeyError(f"invalid key name {name!r}: use 1-100 letters, digits, '_.@-'")
    plaintext = KEY_PREFIX + secrets.token_urlsafe(32)
    row = ApiKey(
        name=name, key_hash=hash_key(plaintext), prefix=plaintext[:10], created_at=at or utcnow()
    )
    # One statement, so a key of that name created meanwhile by another process is refused
    # like any existing one rather than failing on the unique name.
    if not insert_missing(session, row, key=["name"]):
        raise ApiKeyError(f"a key named {name!r} already exists")
    return session.exec(select(ApiKey).where(ApiKey.name == name)).one(), plaintext


def revoke_key(session: Session, name: str, *, at: datetime | None = None) -> ApiKey:
    row = session.exec(select(ApiKey).where(ApiKey.name == name)).first()
    if row is None:
        raise ApiKeyError(f"no key named {name!r}")
    if row.revoked_at is None:
        row.revoked_at = at or utcnow()
        session.add(row)
        session.flush()
    return row


def list_keys(session: Session) -> list[ApiKey]:
    return list(session.exec(select(ApiKey).order_by(col(ApiKey.name))).all())


def verify_key(session: Session, plaintext: str) -> ApiKey | None:
    """The active key matching ``plaintext``, or None (unknown or revoked)."""
    if not plaintext or len(plaintext) > 200:
        return None
    digest = hash_key(plaintext)
    row = session.exec(select(ApiKey).where(ApiKey.key_hash == digest)).first()
    # The lookup is by an index on the hash; compare again in constant time so that no
    # early-exit string comparison ever runs on secret-derived data.
    if row is None or not hmac.compare_digest(row.key_hash, digest):
        return None
    return row if row.revoked_at is None else None
