"""One rule for a move, in the store: the API and the CLI resolve aliases the same way and
refuse a move inside one company the same way."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

import service.context
from service.app import create_app
from service.migrations import upgrade
from service.settings import Settings
from store.engine import session_scope
from store.hires import NewHire, SameCompanyMove, record_hire
from store.keys import create_key
from store.models import Event, Hire
from tests.conftest import at
from tests.e2e_helpers import run_cli


def test_the_store_refuses_a_move_inside_one_company(engine: Engine) -> None:
    with pytest.raises(SameCompanyMove), session_scope(engine) as session:
        record_hire(
            session,
            NewHire(
                person="Ada Example",
                to_company="xAI",
                from_company=" XAI ",
                announced_at=at("2026-11-02T00:00"),
            ),
        )
    with Session(engine) as session:
        assert session.exec(select(Hire)).all() == []
        assert session.exec(select(Event)).all() == []


def test_the_api_answers_422_and_reads_the_aliases_once(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[Any] = []
    real = service.context.alias_table_for
    monkeypatch.setattr(
        service.context,
        "alias_table_for",
        lambda settings: reads.append(settings) or real(settings),
    )
    with Session(engine) as session:
        _, plaintext = create_key(session, "analyst")
        session.commit()
    client = TestClient(create_app(Settings(sources="/nonexistent.toml"), engine))  # type: ignore[arg-type]
    key = {"X-API-Key": plaintext}
    refused = client.post(
        "/api/hires",
        headers=key,
        json={"person": "Ethan He", "to_company": "xAI", "from_company": "X.AI"},
    )
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "from_company"]
    assert refused.json()["detail"][0]["msg"] == "a move inside one company is not a hire"
    for person in ("Jane Smith", "Ethan He"):
        assert (
            client.post(
                "/api/hires",
                headers=key,
                json={"person": person, "to_company": "X.AI", "from_company": "Nvidia"},
            ).status_code
            == 201
        )
    assert len(reads) == 1


def test_the_cli_reports_the_same_rule_as_file_and_line(
    empty_database_url: str, tmp_path: Path
) -> None:
    upgrade(empty_database_url)
    rows = tmp_path / "moves.csv"
    rows.write_text(
        "person,to_company,from_company,announced_at\n"
        "Ethan He,X.AI,Nvidia,2026-11-02\n"
        "Jane Smith,xAI,X.AI,2026-11-03\n"
    )
    refused = run_cli(["hires", "import", str(rows)], database_url=empty_database_url)
    assert refused.returncode == 2
    assert "moves.csv:3: from_company: a move inside one company is not a hire" in " ".join(
        refused.stderr.split()
    )
    client = TestClient(create_app(Settings(database_url=empty_database_url)))
    assert client.get("/api/hires").json()["items"] == []  # all rows or none
