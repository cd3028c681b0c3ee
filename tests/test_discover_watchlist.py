"""Adding a discovered board to sources.toml: comments and layout kept, no duplicates."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from scrapers.models import BoardConfig
from service.discover.watchlist import add_board
from service.sources import ConfigError, load_sources
from tests.discover_helpers import DISCOVER, sources_file


def added_lines(before: str, after: str) -> list[str]:
    """The lines ``after`` adds, asserting it removes or changes none of ``before``."""
    diff = list(difflib.ndiff(before.splitlines(keepends=True), after.splitlines(keepends=True)))
    assert not [d for d in diff if d.startswith("- ")], "a line of the original changed"
    return [d[2:] for d in diff if d.startswith("+ ")]


def test_new_company_goes_after_the_last_company_keeping_every_byte(tmp_path: Path) -> None:
    # A copy of the shipped watchlist, with its section comments and aligned trailing comments.
    shipped = (DISCOVER / "sources_commented.toml").read_text(encoding="utf-8")
    path = sources_file(tmp_path, shipped)
    board = BoardConfig(company="Northwind Dynamics", ats="greenhouse", token="nwdynamics")
    result = add_board(path, "Northwind Dynamics", board)
    assert (result.action, result.company) == ("added company", "Northwind Dynamics")
    after = path.read_text(encoding="utf-8")
    block = (
        '[[companies]]\nname = "Northwind Dynamics"\n'
        'boards = [ { ats = "greenhouse", token = "nwdynamics" } ]\n\n'
    )
    # The block sits before the comment that introduces the feeds, not between them.
    at = shipped.index("# News and press feeds")
    assert shipped[at - 2 : at] == "\n\n"
    assert after == shipped[:at] + block + shipped[at:]
    loaded = load_sources(path)
    assert loaded.boards[-1] == board
    assert len(loaded.feeds) == len(load_sources(DISCOVER / "sources_commented.toml").feeds)


def test_board_for_a_listed_company_joins_its_boards(tmp_path: Path) -> None:
    text = (
        "# watchlist\n[defaults]\ninterval_minutes = 30   # half-hourly\n\n"
        '[[companies]]\nname = "Orbital Foods"   # the US business\n'
        'boards = [ { ats = "greenhouse", token = "orbitalfoods" } ]  # main board\n\n'
        '[[companies]]\nname = "Multi"\nboards = [\n'
        '  { ats = "lever", token = "multi" },  # US\n]\n'
    )
    path = sources_file(tmp_path, text)
    board = BoardConfig(company="orbital foods", ats="ashby", token="orbital-foods-eu")
    result = add_board(path, "orbital foods", board)
    assert (result.action, result.company) == ("added board", "Orbital Foods")
    after = path.read_text(encoding="utf-8")
    assert after == text.replace(
        'token = "orbitalfoods" } ]',
        'token = "orbitalfoods" }, { ats = "ashby", token = "orbital-foods-eu" } ]',
    )
    add_board(path, "Multi", BoardConfig(company="Multi", ats="ashby", token="multi"))
    assert (
        '  { ats = "lever", token = "multi" },  # US\n  { ats = "ashby", token = "multi" },\n]'
        in path.read_text(encoding="utf-8")
    )
    assert [b.key for b in load_sources(path).boards] == [
        "greenhouse:orbitalfoods",
        "ashby:orbital-foods-eu",
        "lever:multi",
        "ashby:multi",
    ]


def test_a_board_already_listed_changes_nothing(tmp_path: Path) -> None:
    text = '[[companies]]\nname = "xAI"\nboards = [ { ats = "greenhouse", token = "xai" } ]\n'
    path = sources_file(tmp_path, text)
    result = add_board(path, "X.AI Corp", BoardConfig(company="X", ats="greenhouse", token="XAI"))
    assert (result.action, result.company) == ("already listed", "xAI")
    assert path.read_bytes() == text.encode()


def test_url_boards_and_api_base_are_written(tmp_path: Path) -> None:
    path = sources_file(tmp_path, "[defaults]\ninterval_minutes = 60\n")
    add_board(
        path,
        "NVIDIA",
        BoardConfig(
            company="NVIDIA", ats="workday", url="https://nvidia.wd5.myworkdayjobs.com/NVIDIAExt"
        ),
    )
    add_board(
        path,
        'Acme "EU"',
        BoardConfig(
            company='Acme "EU"', ats="lever", token="acme", api_base="https://api.eu.lever.co"
        ),
    )
    assert path.read_text(encoding="utf-8") == (
        '[defaults]\ninterval_minutes = 60\n\n[[companies]]\nname = "NVIDIA"\n'
        'boards = [ { ats = "workday", url = "https://nvidia.wd5.myworkdayjobs.com/NVIDIAExt" }'
        ' ]\n\n[[companies]]\nname = "Acme \\"EU\\""\n'
        'boards = [ { ats = "lever", token = "acme", api_base = "https://api.eu.lever.co" } ]\n'
    )
    assert [b.company for b in load_sources(path).boards] == ["NVIDIA", 'Acme "EU"']


def test_missing_file_is_created(tmp_path: Path) -> None:
    path = tmp_path / "new.toml"
    add_board(path, "xAI", BoardConfig(company="xAI", ats="greenhouse", token="xai"))
    assert [b.key for b in load_sources(path).boards] == ["greenhouse:xai"]


def test_company_with_board_subtables_is_not_split(tmp_path: Path) -> None:
    text = (
        '[[companies]]\nname = "A"\n[[companies.boards]]\nats = "lever"\ntoken = "a"\n\n'
        '# feeds below\n[[feeds]]\nurl = "https://example.com/feed"\n'
    )
    path = sources_file(tmp_path, text)
    add_board(path, "B", BoardConfig(company="B", ats="lever", token="b"))
    after = path.read_text(encoding="utf-8")
    assert added_lines(text, after)
    assert [b.key for b in load_sources(path).boards] == ["lever:a", "lever:b"]
    assert after.index('name = "B"') < after.index("# feeds below")


@pytest.mark.parametrize(
    "text",
    [
        '[[companies]]\nname = "A"\nboards = [ { ats = "greenhouse" } ]\n',  # token missing
        '[[companies]\nname = "A"\n',  # not TOML
    ],
)
def test_an_invalid_watchlist_is_refused_and_left_alone(tmp_path: Path, text: str) -> None:
    path = sources_file(tmp_path, text)
    with pytest.raises(ConfigError):
        add_board(path, "B", BoardConfig(company="B", ats="lever", token="b"))
    assert path.read_text(encoding="utf-8") == text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sources.toml"]  # no temp file left
