"""Reference exchange rates: the shipped table, user overrides, and what the API says."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from scrapers.currency import DEFAULT_RATES_FILE, Rates, RatesError, load_rates
from scrapers.models import Pay
from service.app import create_app
from service.settings import Settings
from store.engine import session_scope
from store.ingest import get_or_create_board
from tests.conftest import at
from tests.enrich_helpers import store_snapshot
from tests.lifecycle_helpers import BOARD, posting, snapshot

T0 = at("2026-11-01T08:00")


def test_shipped_table_is_dated_and_broad() -> None:
    rates = load_rates()
    assert isinstance(rates.date, date)
    assert len(rates.per_usd) >= 20
    assert rates.per_usd["USD"] == 1.0
    for code in ("EUR", "GBP", "CAD", "AUD", "CHF", "JPY", "INR", "SGD", "SEK", "PLN", "BRL"):
        assert rates.per_usd[code] > 0


def test_to_usd() -> None:
    rates = Rates(date=date(2026, 1, 1), per_usd={"USD": 1.0, "EUR": 0.8})
    assert rates.to_usd(80000, "EUR") == 100000
    assert rates.to_usd(80000, "eur") == 100000
    assert rates.to_usd(None, "EUR") is None
    assert rates.to_usd(80000, "XYZ") is None  # unknown currency: no invented figure


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rates.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_override_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "date = 2027-01-15\n[per_usd]\nEUR = 0.5\nchf = 0.9\n")
    rates = load_rates(path)
    assert rates.date == date(2027, 1, 15)
    assert rates.per_usd == {"EUR": 0.5, "CHF": 0.9, "USD": 1.0}


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("[per_usd]\nEUR = 0.8\n", "missing `date`"),
        ('date = "soon"\n[per_usd]\nEUR = 0.8\n', "ISO date"),
        ('date = "2026-01-01"\n', r"missing \[per_usd\]"),
        ('date = "2026-01-01"\n[per_usd]\nEUR = -1\n', "positive number"),
        ('date = "2026-01-01"\n[per_usd]\nEUR = "x"\n', "positive number"),
        ('date = "2026-01-01"\n[per_usd]\nEURO = 0.8\n', "three-letter"),
        ('date = "2026-01-01"\n[per_usd\n', "invalid TOML"),
    ],
)
def test_bad_rate_files_are_refused_with_the_file_named(
    tmp_path: Path, text: str, problem: str
) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(RatesError, match=problem) as info:
        load_rates(path)
    assert str(path) in str(info.value)


def test_missing_rate_file(tmp_path: Path) -> None:
    with pytest.raises(RatesError, match="cannot read"):
        load_rates(tmp_path / "nope.toml")


def test_api_reports_the_shipped_rates(engine: Engine) -> None:
    client = TestClient(create_app(Settings(), engine))
    shipped = load_rates(DEFAULT_RATES_FILE)
    assert client.get("/api/health").json()["rates_date"] == shipped.date.isoformat()
    body = client.get("/api/rates").json()
    assert body["date"] == shipped.date.isoformat()
    assert body["base"] == "USD"
    assert body["per_usd"]["GBP"] == shipped.per_usd["GBP"]


def test_api_reports_and_uses_the_override(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _write(tmp_path, 'date = "2027-03-01"\n[per_usd]\nGBP = 0.5\n')
    monkeypatch.setenv("TALENTFLOW_RATES_FILE", str(path))
    settings = Settings()
    client = TestClient(create_app(settings, engine))
    assert client.get("/api/health").json()["rates_date"] == "2027-03-01"
    assert client.get("/api/rates").json() == {
        "date": "2027-03-01",
        "base": "USD",
        "per_usd": {"GBP": 0.5, "USD": 1.0},
    }
    # the same override converts stored pay
    item = posting(1, pay=Pay(50000, 60000, "GBP", "year"))
    with session_scope(engine) as session:
        board = get_or_create_board(session, BOARD)
        store_snapshot(
            session, board, snapshot(item), started_at=T0, now=T0, rates=load_rates(path)
        )
    pay = client.get("/api/postings").json()["items"][0]["pay"]
    assert pay["annual_min_usd"] == 100000 and pay["annual_max_usd"] == 120000


def test_api_reports_a_broken_override(engine: Engine, tmp_path: Path) -> None:
    path = _write(tmp_path, "date = 2027-03-01\n")
    client = TestClient(create_app(Settings(rates_file=path), engine))
    health = client.get("/api/health")
    assert health.status_code == 200
    assert health.json()["rates_date"] is None and "per_usd" in health.json()["rates_error"]
    response = client.get("/api/rates")
    assert response.status_code == 503 and str(path) in response.json()["detail"]
