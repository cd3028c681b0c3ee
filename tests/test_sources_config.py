"""Loading sources.toml: good files load; bad ones name the file and the line."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.sources import ConfigError, load_sources

GOOD = """\
[defaults]
interval_minutes = 30

[[companies]]
name = "xAI"
boards = [ { ats = "greenhouse", token = "xai", api_base = "http://127.0.0.1:9000" } ]

[[companies]]
name = "NVIDIA"
boards = [
  { ats = "workday", url = "https://nvidia.wd5.myworkdayjobs.com/NVIDIAExternalCareerSite" },
]

[[feeds]]
name = "Example AI news"
url = "https://example.com/ai/feed/"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(text)
    return path


def test_good_file_loads(tmp_path: Path) -> None:
    sources = load_sources(write(tmp_path, GOOD))
    assert sources.interval_minutes == 30
    assert [b.key for b in sources.boards] == [
        "greenhouse:xai",
        "workday:https://nvidia.wd5.myworkdayjobs.com/NVIDIAExternalCareerSite",
    ]
    assert sources.boards[0].api_base == "http://127.0.0.1:9000"
    assert sources.feeds[0].url == "https://example.com/ai/feed/"
    assert [b.company for b in sources.select(["nvidia"])] == ["NVIDIA"]


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        (GOOD.replace('ats = "greenhouse"', 'ats = "greenhose"'), 6, "unknown ats 'greenhose'"),
        (GOOD.replace('token = "xai", ', ""), 6, "greenhouse boards need `token`"),
        (GOOD.replace('url = "https://nvidia', 'url = "nvidia'), 11, "need `url`"),
        (GOOD.replace('name = "xAI"\n', ""), 4, "needs a `name`"),
        (GOOD.replace("interval_minutes = 30", "interval_minutes = 0"), 2, "interval_minutes"),
        (GOOD.replace("[[feeds]]", "[[feed]]"), 14, "unknown section 'feed'"),
        (GOOD + "\n[[companies]]\nname = 'x'\nboards = [\n", 20, "invalid TOML"),
        (GOOD.replace('api_base = "http://127.0.0.1:9000"', 'api_base = "ftp://x"'), 6, "api_base"),
        (
            GOOD.replace('token = "xai"', 'token = "xai", colour = "red"'),
            6,
            "unknown board key(s) colour",
        ),
    ],
    ids=["ats", "token", "url", "name", "interval", "section", "syntax", "api_base", "key"],
)
def test_bad_lines_are_named(tmp_path: Path, text: str, line: int, words: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_sources(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:{line}:"), message
    assert words in message


def test_duplicate_board_refused(tmp_path: Path) -> None:
    text = GOOD + (
        '\n[[companies]]\nname = "Again"\nboards = [ { ats = "greenhouse", token = "xai" } ]\n'
    )
    with pytest.raises(ConfigError, match="already listed"):
        load_sources(write(tmp_path, text))


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_sources(tmp_path / "nope.toml")


def test_shipped_watchlist_loads() -> None:
    sources = load_sources(Path(__file__).resolve().parent.parent / "sources.toml")
    names = {b.company for b in sources.boards}
    assert {"xAI", "Anthropic", "Google DeepMind", "Figure AI", "Scale AI"} <= names
    tokens = {b.token for b in sources.boards if b.ats == "greenhouse"}
    assert {"xai", "anthropic", "deepmind", "figureai", "scaleai"} <= tokens
