"""Loading ``sources.toml``: the watchlist of companies, their boards and news feeds.

Every problem is reported as ``file:line: message`` and nothing runs on a bad file.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrapers.models import BoardConfig
from scrapers.sources.base import BOARD_KEYS, is_http_url
from scrapers.sources.registry import KNOWN_KINDS, SCRAPERS

TOP_LEVEL_KEYS = {"defaults", "companies", "feeds", "aliases"}


class ConfigError(Exception):
    def __init__(self, path: Path, line: int | None, message: str) -> None:
        self.path, self.line, self.message = path, line, message
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class FeedConfig:
    name: str
    url: str


@dataclass
class Sources:
    path: Path
    interval_minutes: int = 60
    boards: list[BoardConfig] = field(default_factory=list)
    feeds: list[FeedConfig] = field(default_factory=list)
    aliases: dict[str, list[str]] = field(default_factory=dict)

    @property
    def companies(self) -> list[str]:
        return list(dict.fromkeys(b.company for b in self.boards))

    def select(self, companies: list[str] | None) -> list[BoardConfig]:
        if not companies:
            return list(self.boards)
        wanted = {c.lower() for c in companies}
        return [b for b in self.boards if b.company.lower() in wanted]


class _Locator:
    """Finds the line of the n-th ``[[table]]`` and of a key inside it, for error messages."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()

    def table(self, name: str, index: int) -> int | None:
        pattern = re.compile(rf"^\s*\[\[\s*{re.escape(name)}\s*\]\]")
        hits = [i + 1 for i, line in enumerate(self.lines) if pattern.match(line)]
        return hits[index] if index < len(hits) else None

    def key_after(self, start: int | None, key: str, occurrence: int = 0) -> int | None:
        if start is None:
            return None
        pattern = re.compile(rf"(^|[\s{{,]){re.escape(key)}\s*=")
        seen = 0
        for number in range(start, len(self.lines) + 1):
            line = self.lines[number - 1]
            if number > start and re.match(r"^\s*\[", line):
                break
            for _ in pattern.finditer(line):
                if seen == occurrence:
                    return number
                seen += 1
        return start


def _validate_url(value: Any) -> bool:
    return is_http_url(value)


def _parse_board(raw: Any, company: str, fail: Any) -> BoardConfig:
    if not isinstance(raw, dict):
        fail('each board is a table such as { ats = "greenhouse", token = "xai" }')
    unknown = set(raw) - BOARD_KEYS
    if unknown:
        fail(
            f"unknown board key(s) {', '.join(sorted(unknown))} "
            f"(expected {', '.join(sorted(BOARD_KEYS))})"
        )
    ats = raw.get("ats")
    scraper = SCRAPERS.get(ats) if isinstance(ats, str) else None
    if scraper is None:
        fail(f"unknown ats {ats!r}; expected one of {', '.join(KNOWN_KINDS)}")
        raise AssertionError("unreachable")  # fail() raises
    extra = set(raw) - scraper.spec.keys
    if extra:
        fail(
            f"{ats} boards take no {', '.join(sorted(extra))} "
            f"(expected {', '.join(sorted(scraper.spec.keys))})"
        )
    token, url, api_base = raw.get("token"), raw.get("url"), raw.get("api_base")
    board = BoardConfig(
        company=company,
        ats=ats,
        token=token.strip() if isinstance(token, str) else None,
        url=url if isinstance(url, str) else None,
        api_base=None if api_base is None else str(api_base),
    )
    problem = scraper.validate(board)
    if problem:
        fail(problem)
    return board


def load_sources(path: Path) -> Sources:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(path, None, f"cannot read the watchlist: {exc.strerror or exc}") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"at line (\d+)", str(exc))
        line = int(match.group(1)) if match else None
        if line is None and "end of document" in str(exc):
            line = max(1, len(text.splitlines()))
        raise ConfigError(path, line, f"invalid TOML: {exc}") from exc
    return parse_sources(data, path, text)


def parse_sources(data: dict[str, Any], path: Path, text: str = "") -> Sources:
    where = _Locator(text)
    unknown = set(data) - TOP_LEVEL_KEYS
    if unknown:
        name = sorted(unknown)[0]
        line = next(
            (
                i + 1
                for i, ln in enumerate(where.lines)
                if re.match(rf"^\s*\[*\s*{re.escape(name)}\b", ln)
            ),
            None,
        )
        raise ConfigError(
            path, line, f"unknown section {name!r}; expected {', '.join(sorted(TOP_LEVEL_KEYS))}"
        )
    defaults = data.get("defaults", {})
    interval = defaults.get("interval_minutes", 60) if isinstance(defaults, dict) else None
    if not isinstance(interval, int) or isinstance(interval, bool) or interval < 1:
        raise ConfigError(
            path,
            where.key_after(1, "interval_minutes"),
            "`interval_minutes` must be a whole number of minutes ≥ 1",
        )
    sources = Sources(path=path, interval_minutes=interval)
    seen_keys: dict[str, str] = {}
    companies = data.get("companies", [])
    if not isinstance(companies, list):
        raise ConfigError(path, None, "`companies` must be an array of tables ([[companies]])")
    for index, company in enumerate(companies):
        start = where.table("companies", index)
        raw_name = company.get("name") if isinstance(company, dict) else None
        if not isinstance(raw_name, str) or not raw_name.strip():
            raise ConfigError(path, start, "every [[companies]] entry needs a `name`")
        name = raw_name
        boards = company.get("boards", [])
        if not isinstance(boards, list) or not boards:
            raise ConfigError(
                path,
                where.key_after(start, "boards"),
                f"company {name!r} needs `boards = [ {{ ats = ..., ... }} ]`",
            )
        for b_index, raw in enumerate(boards):
            line = where.key_after(start, "ats", b_index)

            def fail(message: str, line: int | None = line, name: str = name) -> None:
                raise ConfigError(path, line, f"company {name!r}: {message}")

            board = _parse_board(raw, name.strip(), fail)
            if board.key in seen_keys:
                fail(f"board {board.key} is already listed for {seen_keys[board.key]!r}")
            seen_keys[board.key] = name
            sources.boards.append(board)
    for index, feed in enumerate(data.get("feeds", [])):
        start = where.table("feeds", index)
        if not isinstance(feed, dict) or not _validate_url(feed.get("url")):
            raise ConfigError(path, start, "every [[feeds]] entry needs an http(s) `url`")
        sources.feeds.append(FeedConfig(name=str(feed.get("name") or feed["url"]), url=feed["url"]))
    aliases = data.get("aliases", {})
    if not isinstance(aliases, dict) or not all(
        isinstance(v, list) and all(isinstance(x, str) for x in v) for v in aliases.values()
    ):
        raise ConfigError(path, None, "[aliases] maps a company name to a list of other names")
    sources.aliases = aliases
    return sources
