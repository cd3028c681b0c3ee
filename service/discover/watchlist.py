"""Adding a discovered board to ``sources.toml`` without disturbing the rest of the file.

A board for a company already listed is appended to that company's ``boards`` array with
tomlkit, which keeps comments and layout; a new company is a ``[[companies]]`` block inserted
after the last company entry (before any comments that introduce the next section). The result
is checked with the watchlist's own loader before it replaces the file, atomically.
"""

from __future__ import annotations

import os
import re
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

import tomlkit
from tomlkit.exceptions import TOMLKitError

from scrapers.models import BoardConfig
from service.sources import ConfigError, parse_sources

_HEADER = re.compile(r"^\s*\[\[?\s*[^\]\s][^\]]*\]\]?\s*(?:#.*)?$")
_SUBTABLE = re.compile(r"^\s*\[\[?\s*companies\s*\.")
_COMPANIES = re.compile(r"^\s*\[\[\s*companies\s*\]\]\s*(?:#.*)?$")


@dataclass(frozen=True)
class AddResult:
    action: str  # "added company", "added board", "already listed"
    company: str  # the name as written in the file


def board_inline(board: BoardConfig) -> str:
    """``{ ats = "greenhouse", token = "xai" }``, in the shipped file's style."""
    pairs = [
        ("ats", board.ats),
        ("token", board.token),
        ("url", board.url),
        ("api_base", board.api_base),
    ]
    body = ", ".join(f"{k} = {tomlkit.string(v).as_string()}" for k, v in pairs if v)
    return f"{{ {body} }}"


def _insert_company(text: str, company: str, board: BoardConfig) -> str:
    block = (
        f"[[companies]]\nname = {tomlkit.string(company).as_string()}\n"
        f"boards = [ {board_inline(board)} ]\n"
    )
    lines = text.splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if _COMPANIES.match(line)]
    if not starts:
        if not text:
            return block
        return (
            text
            + ("" if text.endswith("\n\n") else "\n" if text.endswith("\n") else "\n\n")
            + block
        )
    # The entry ends at the next header that is not one of its own sub-tables.
    end = next(
        (
            i
            for i in range(starts[-1] + 1, len(lines))
            if _HEADER.match(lines[i]) and not _SUBTABLE.match(lines[i])
        ),
        len(lines),
    )
    # Blank lines and comments just above the next header belong to that header.
    while end > starts[-1] + 1 and (
        not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")
    ):
        end -= 1
    head, tail = "".join(lines[:end]), "".join(lines[end:])
    if not head.endswith("\n"):
        head += "\n"
    return head + "\n" + block + ("\n" if tail and not tail.startswith("\n") else "") + tail


def _existing(text: str, path: Path) -> tuple[dict[str, str], dict[str, int]]:
    """Board keys already listed (→ their company), and company names (lower → index)."""
    sources = parse_sources(tomllib.loads(text), path, text)
    keys = {b.key.lower(): b.company for b in sources.boards}
    names: dict[str, int] = {}
    for index, entry in enumerate(tomllib.loads(text).get("companies", [])):
        names.setdefault(str(entry.get("name", "")).strip().lower(), index)
    return keys, names


def add_board(path: Path, company: str, board: BoardConfig) -> AddResult:
    """Add ``board`` for ``company`` to the watchlist at ``path`` (created if missing).

    Raises :class:`ConfigError` when the file cannot be read or would become invalid."""
    try:
        text = path.read_text(encoding="utf-8") if path.exists() else ""
    except OSError as exc:
        raise ConfigError(path, None, f"cannot read the watchlist: {exc.strerror or exc}") from exc
    try:
        keys, names = _existing(text, path)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, None, f"invalid TOML: {exc}") from exc
    known = keys.get(board.key.lower())
    if known is not None:
        return AddResult("already listed", known)
    index = names.get(company.strip().lower())
    if index is None:
        new_text = _insert_company(text, company.strip(), board)
        result = AddResult("added company", company.strip())
    else:
        try:
            doc = tomlkit.parse(text)
            entry = doc["companies"][index]  # type: ignore[index]
            item = tomlkit.parse(f"x = {board_inline(board)}")["x"]
            entry["boards"].append(item)
        except (TOMLKitError, KeyError, TypeError, AttributeError) as exc:
            raise ConfigError(path, None, f"cannot edit the entry of {company!r}: {exc}") from exc
        new_text = tomlkit.dumps(doc)
        result = AddResult("added board", str(entry["name"]))
    try:
        parse_sources(tomllib.loads(new_text), path, new_text)
    except (tomllib.TOMLDecodeError, ConfigError) as exc:
        raise ConfigError(
            path, None, f"the edited watchlist would not load ({exc}); the file was left unchanged"
        ) from exc
    _write_atomically(path, new_text)
    return result


def _write_atomically(path: Path, text: str) -> None:
    directory = path.resolve().parent
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
