"""`talentflow sources discover`: one company, --add, not found, and the resumable bulk run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from service import cli_sources
from service.cli import app
from service.sources import load_sources
from tests.discover_helpers import FakeWeb, northwind, orbital, sources_file

WATCHLIST = (
    "# my watchlist\n[defaults]\ninterval_minutes = 60   # hourly\n\n"
    '[[companies]]\nname = "xAI"\nboards = [ { ats = "greenhouse", token = "xai" } ]\n'
)


@pytest.fixture
def web(monkeypatch: pytest.MonkeyPatch) -> FakeWeb:
    fake = orbital(northwind(FakeWeb().greenhouse("figureai").greenhouse("xai").ashby("xai")))
    monkeypatch.setattr(cli_sources, "discovery_transport", lambda: fake.transport)
    return fake


def invoke(tmp_path: Path, *args: str) -> Result:
    env = {
        "TALENTFLOW_SOURCES": str(tmp_path / "sources.toml"),
        "TALENTFLOW_HTTP_RETRIES": "0",
        "COLUMNS": "200",
    }
    return CliRunner().invoke(app, ["sources", "discover", *args], env=env)


def test_discover_prints_candidates_and_the_add_line(tmp_path: Path, web: FakeWeb) -> None:
    path = sources_file(tmp_path, WATCHLIST)
    result = invoke(tmp_path, "Figure AI")
    assert result.exit_code == 0, result.output
    assert "boards found for Figure AI" in result.output
    row = next(line for line in result.output.splitlines() if "figureai" in line)
    assert row.split("│")[1:6] == [
        " 1 ",
        " greenhouse ",
        " figureai ",
        "        4 ",
        "       0.60 ",
    ]
    assert "talentflow sources discover 'Figure AI' --add" in result.output
    assert path.read_text(encoding="utf-8") == WATCHLIST  # nothing written without --add


def test_add_appends_the_best_board(tmp_path: Path, web: FakeWeb) -> None:
    path = sources_file(tmp_path, WATCHLIST)
    result = invoke(tmp_path, "https://careers.northwind-dynamics.com/", "--add")
    assert result.exit_code == 0, result.output
    assert "added Northwind Dynamics with greenhouse:nwdynamics" in result.output
    text = path.read_text(encoding="utf-8")
    assert text.startswith(WATCHLIST)
    assert [b.key for b in load_sources(path).boards] == ["greenhouse:xai", "greenhouse:nwdynamics"]


def test_pick_chooses_another_candidate(tmp_path: Path, web: FakeWeb) -> None:
    path = sources_file(tmp_path, WATCHLIST)
    result = invoke(tmp_path, "orbitalfoods.com", "--add", "--pick", "2")
    assert result.exit_code == 0, result.output
    boards = load_sources(path).boards
    assert [(b.company, b.key) for b in boards][-1] == ("Orbital Foods", "ashby:orbital-foods-eu")
    assert invoke(tmp_path, "orbitalfoods.com", "--add", "--pick", "3").exit_code == 2
    assert invoke(tmp_path, "orbitalfoods.com", "--pick", "2").exit_code == 2


def test_listed_company_gets_the_board_and_never_a_duplicate(tmp_path: Path, web: FakeWeb) -> None:
    path = sources_file(tmp_path, WATCHLIST)
    result = invoke(tmp_path, "xAI", "--add", "--pick", "2")  # ashby:xai, below greenhouse:xai
    assert result.exit_code == 0, result.output
    assert "added ashby:xai to xAI" in result.output
    assert path.read_text(encoding="utf-8") == WATCHLIST.replace(
        'token = "xai" } ]', 'token = "xai" }, { ats = "ashby", token = "xai" } ]'
    )
    before = path.read_bytes()
    again = invoke(tmp_path, "xAI", "--add")
    assert again.exit_code == 0 and "already in" in again.output
    assert path.read_bytes() == before


def test_not_found_exits_1_and_writes_nothing(tmp_path: Path, web: FakeWeb) -> None:
    path = sources_file(tmp_path, WATCHLIST)
    result = invoke(tmp_path, "Quiet Widgets Ltd", "--add")
    assert result.exit_code == 1
    assert "no public board for 'Quiet Widgets Ltd'" in result.output
    assert path.read_bytes() == WATCHLIST.encode()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sources.toml"]


def test_bad_arguments_exit_2(tmp_path: Path, web: FakeWeb) -> None:
    sources_file(tmp_path, WATCHLIST)
    assert invoke(tmp_path).exit_code == 2
    assert invoke(tmp_path, "x", "--from", str(tmp_path / "c.csv")).exit_code == 2
    assert invoke(tmp_path, "--pick", "0", "x", "--add").exit_code == 2
    assert web.requests == []


def test_bulk_run_is_resumable(tmp_path: Path, web: FakeWeb) -> None:
    path = sources_file(tmp_path, WATCHLIST)
    companies = tmp_path / "companies.csv"
    companies.write_text(
        "name,url\nFigure AI,\nQuiet Widgets Ltd,\n"
        "Northwind Dynamics,careers.northwind-dynamics.com/\n",
        encoding="utf-8",
    )
    result = invoke(tmp_path, "--from", str(companies))
    assert result.exit_code == 0, result.output
    assert "3 companies searched: 2 found, 1 not found" in result.output
    out = tmp_path / "companies.discover.jsonl"
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["name"], r["found"]) for r in records] == [
        ("Figure AI", True),
        ("Quiet Widgets Ltd", False),
        ("Northwind Dynamics", True),
    ]
    assert records[2]["candidates"][0]["token"] == "nwdynamics"
    assert records[2]["url"] == "careers.northwind-dynamics.com/"  # as written in the CSV
    assert records[2]["pages"] == ["https://careers.northwind-dynamics.com/"]
    assert path.read_bytes() == WATCHLIST.encode()  # no --add

    # A rerun asks nothing; a new row (after a half-written line) is the only one searched.
    asked = len(web.requests)
    assert "0 companies searched" in invoke(tmp_path, "--from", str(companies)).output
    assert len(web.requests) == asked
    with out.open("a", encoding="utf-8") as handle:
        handle.write('{"name": "Orbital')
    with companies.open("a", encoding="utf-8") as handle:
        handle.write("Orbital Foods,https://orbitalfoods.com/\n")
    result = invoke(tmp_path, "--from", str(companies), "--add")
    assert result.exit_code == 0, result.output
    assert "1 companies searched: 1 found, 0 not found; 3 already in" in result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 5 and json.loads(lines[-1])["name"] == "Orbital Foods"
    assert [b.key for b in load_sources(path).boards] == [
        "greenhouse:xai",
        "greenhouse:orbitalfoods",
    ]


def test_bulk_needs_a_name_column(tmp_path: Path, web: FakeWeb) -> None:
    companies = tmp_path / "companies.csv"
    companies.write_text("company,site\nFigure AI,\n", encoding="utf-8")
    result = invoke(tmp_path, "--from", str(companies))
    assert result.exit_code == 2 and "needs a `name` column" in result.output
    assert not (tmp_path / "companies.discover.jsonl").exists()
    assert invoke(tmp_path, "--from", str(tmp_path / "missing.csv")).exit_code == 2
