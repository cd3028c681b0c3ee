"""Discovery for a list of companies: a CSV in, a resumable JSON Lines file out.

Each result is appended (and flushed) as soon as its row is done, so an interrupted run loses at
most the row in flight; a rerun skips every row already in the file.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO


class BulkInputError(ValueError):
    """The CSV cannot be used (missing, unreadable, or without a ``name`` column)."""


@dataclass(frozen=True)
class Row:
    line: int
    name: str
    url: str | None

    @property
    def key(self) -> tuple[str, str]:
        return " ".join(self.name.split()).lower(), (self.url or "").strip()


def results_path(csv_path: Path) -> Path:
    """``companies.csv`` → ``companies.discover.jsonl`` beside it."""
    return csv_path.with_name(f"{csv_path.stem}.discover.jsonl")


def read_rows(path: Path) -> list[Row]:
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise BulkInputError(f"cannot read {path}: {exc.strerror or exc}") from exc
    with handle:
        reader = csv.DictReader(handle)
        fields = [f.strip().lower() for f in reader.fieldnames or []]
        if "name" not in fields:
            raise BulkInputError(
                f"{path}: needs a `name` column (and optionally `url`); "
                f"found {', '.join(fields) or 'no header'}"
            )
        reader.fieldnames = fields
        rows = []
        try:
            for record in reader:
                name = (record.get("name") or "").strip()
                url = (record.get("url") or "").strip() or None
                if name or url:
                    rows.append(Row(reader.line_num, name or (url or ""), url))
        except csv.Error as exc:
            raise BulkInputError(f"{path}:{reader.line_num}: {exc}") from exc
    return rows


def done_keys(path: Path) -> set[tuple[str, str]]:
    """Rows already in a results file; an unreadable (half-written) line is simply redone."""
    keys: set[tuple[str, str]] = set()
    if not path.exists():
        return keys
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(record, dict) and isinstance(record.get("name"), str):
            keys.add(Row(0, record["name"], record.get("url") or None).key)
    return keys


def pending(rows: list[Row], done: set[tuple[str, str]]) -> Iterator[Row]:
    seen = set(done)
    for row in rows:
        if row.key not in seen:
            seen.add(row.key)
            yield row


def open_results(path: Path) -> TextIO:
    """The results file for appending, starting on a fresh line after an interrupted write."""
    broken = False
    if path.exists() and path.stat().st_size:
        with path.open("rb") as raw:
            raw.seek(-1, 2)
            broken = raw.read(1) != b"\n"
    handle = path.open("a", encoding="utf-8")
    if broken:
        handle.write("\n")
    return handle


def append(handle: TextIO, record: dict[str, Any]) -> None:
    handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    handle.flush()
