"""API keys: hash-only storage, 401/403/429 on write routes, and the ``keys`` commands."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from service.api.auth import RateLimiter, WriteKeyDep
from service.app import create_app
from service.settings import Settings
from store.engine import session_scope
from store.keys import ApiKeyError, create_key, hash_key, list_keys, revoke_key, verify_key
from store.models import ApiKey
from tests.e2e_helpers import run_cli


def make_client(engine: Engine, **settings: Any) -> TestClient:
    app = create_app(Settings(**settings), engine)
    router = APIRouter()

    @router.post("/api/_write")
    def write(key: WriteKeyDep) -> dict[str, str]:
        return {"by": key.name}

    app.include_router(router)
    return TestClient(app)


def test_only_a_hash_is_stored_and_verification_works(engine: Engine) -> None:
    with session_scope(engine) as session:
        _row, plaintext = create_key(session, "ci")
    with Session(engine) as session:
        stored = session.exec(select(ApiKey)).one()
        assert plaintext not in (stored.key_hash, stored.prefix, stored.name)
        assert stored.key_hash == hash_key(plaintext)
        assert plaintext.startswith(stored.prefix)
        assert verify_key(session, plaintext) is not None
        assert verify_key(session, plaintext + "x") is None
        assert verify_key(session, "") is None
    with session_scope(engine) as session:
        with pytest.raises(ApiKeyError):
            create_key(session, "ci")
        with pytest.raises(ApiKeyError):
            create_key(session, "bad name!")
        revoke_key(session, "ci")
    with Session(engine) as session:
        assert verify_key(session, plaintext) is None
        assert [k.name for k in list_keys(session)] == ["ci"]


def test_write_route_answers_401_403_and_accepts_a_valid_key(engine: Engine) -> None:
    with session_scope(engine) as session:
        _, good = create_key(session, "good")
        _, revoked = create_key(session, "old")
        revoke_key(session, "old")
    client = make_client(engine)
    missing = client.post("/api/_write")
    assert missing.status_code == 401 and "X-API-Key" in missing.json()["detail"]
    assert client.post("/api/_write", headers={"X-API-Key": "tfk_nope"}).status_code == 403
    assert client.post("/api/_write", headers={"X-API-Key": revoked}).status_code == 403
    ok = client.post("/api/_write", headers={"X-API-Key": good})
    assert ok.status_code == 200 and ok.json() == {"by": "good"}


def test_rate_limit_is_per_key(engine: Engine) -> None:
    with session_scope(engine) as session:
        _, first = create_key(session, "first")
        _, second = create_key(session, "second")
    client = make_client(engine, write_rate_per_minute=3)
    codes = [client.post("/api/_write", headers={"X-API-Key": first}).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    limited = client.post("/api/_write", headers={"X-API-Key": first})
    assert int(limited.headers["Retry-After"]) >= 1
    assert client.post("/api/_write", headers={"X-API-Key": second}).status_code == 200


def test_token_bucket_refills_with_time() -> None:
    now = [0.0]
    limiter = RateLimiter(rate=2, per=60, clock=lambda: now[0])
    assert limiter.acquire(1) == 0 and limiter.acquire(1) == 0
    assert limiter.acquire(1) == pytest.approx(30)
    now[0] = 30.0
    assert limiter.acquire(1) == 0


def test_keys_commands(empty_database_url: str) -> None:
    assert run_cli(["db", "upgrade"], database_url=empty_database_url).returncode == 0
    created = run_cli(["keys", "create", "deploy"], database_url=empty_database_url)
    assert created.returncode == 0, created.stderr
    key = created.stdout.strip().splitlines()[-1]
    assert key.startswith("tfk_") and " " not in key
    again = run_cli(["keys", "create", "deploy"], database_url=empty_database_url)
    assert again.returncode != 0 and "already exists" in again.stderr
    listed = run_cli(["keys", "list"], database_url=empty_database_url)
    assert "deploy" in listed.stdout and key not in listed.stdout
    assert run_cli(["keys", "revoke", "deploy"], database_url=empty_database_url).returncode == 0
    listed = run_cli(["keys", "list"], database_url=empty_database_url)
    assert "revoked" in listed.stdout
    missing = run_cli(["keys", "revoke", "nobody"], database_url=empty_database_url)
    assert missing.returncode != 0
