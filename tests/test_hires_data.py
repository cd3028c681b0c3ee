"""Shape of the labelled set of real hire news in ``tests/data/hires/``.

Checks the files only (fields, halves, label hygiene), not any extractor, so a bad edit to the
set fails here before it skews an extractor's figures.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

DATA = Path(__file__).parent / "data" / "hires"
ALIASES = Path(__file__).resolve().parents[1] / "scrapers" / "data" / "aliases.toml"
HALVES = {
    "news_dev.jsonl": 0,
    "news_test.jsonl": 1,
    "news_round2_dev.jsonl": 0,
    "news_round2_test.jsonl": 1,
    "news_round3_dev.jsonl": 0,
    "news_round3_test.jsonl": 1,
    "news_round4_dev.jsonl": 0,
    "news_round4_test.jsonl": 1,
}
MIN_ITEMS = 260
MIN_NEGATIVE_SHARE = 1 / 3
REQUIRED = {"id", "kind", "text", "hires", "source"}
OPTIONAL = {"note"}
SOURCE = re.compile(r"^(https?://\S+|[\w.-]+/[\w.-]+@[0-9a-f]{7,40}:\S+|the issue text\b.*)$")
LEGAL_SUFFIX = re.compile(r"(,?\s(Inc|Ltd|Corp|LLC)\.?)$")


def load(name: str) -> list[dict[str, Any]]:
    rows = []
    with (DATA / name).open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            assert line.strip(), f"{name}:{number}: blank line"
            rows.append(json.loads(line))
    return rows


def parity(text: str) -> int:
    return int(hashlib.sha1(text.encode("utf-8")).hexdigest(), 16) % 2


def alias_spellings() -> dict[str, str]:
    """Every non-canonical spelling in the alias table, mapped to its canonical name."""
    with ALIASES.open("rb") as fh:
        table: dict[str, list[str]] = tomllib.load(fh)
    return {alias: canonical for canonical, aliases in table.items() for alias in aliases}


@pytest.fixture(scope="module")
def halves() -> dict[str, list[dict[str, Any]]]:
    return {name: load(name) for name in HALVES}


@pytest.fixture(scope="module")
def seeds() -> list[dict[str, Any]]:
    return load("seed.jsonl")


def check_row(row: dict[str, Any], where: str, aliases: dict[str, str]) -> None:
    assert REQUIRED <= row.keys() <= REQUIRED | OPTIONAL, f"{where}: fields {sorted(row)}"
    assert row["kind"] in {"headline", "sentence"}, where
    text = row["text"]
    assert isinstance(text, str) and text == " ".join(text.split()) and text, f"{where}: whitespace"
    assert "<" not in text or ">" not in text, f"{where}: looks like HTML"
    assert SOURCE.match(row["source"]), f"{where}: source {row['source']!r}"
    assert isinstance(row["hires"], list), where
    for triple in row["hires"]:
        assert isinstance(triple, list) and len(triple) == 3, f"{where}: {triple!r}"
        person, source, target = triple
        assert isinstance(person, str) and person in text, f"{where}: {person!r} not in text"
        assert isinstance(target, str) and target, where
        assert source is None or (isinstance(source, str) and source), where
        for company in (source, target):
            if company is None:
                continue
            assert company not in aliases, f"{where}: {company!r} should be {aliases[company]!r}"
            assert not LEGAL_SUFFIX.search(company), f"{where}: legal suffix in {company!r}"
            assert not company.lower().startswith("the "), f"{where}: leading 'the' in {company!r}"
    assert len(row["hires"]) == len({tuple(t) for t in row["hires"]}), f"{where}: repeated triple"


def test_rows_are_well_formed(halves: dict[str, list[dict[str, Any]]]) -> None:
    aliases = alias_spellings()
    for name, rows in halves.items():
        for number, row in enumerate(rows, 1):
            check_row(row, f"{name}:{number}", aliases)


def test_split_follows_the_text_hash(halves: dict[str, list[dict[str, Any]]]) -> None:
    for name, rows in halves.items():
        wrong = [row["id"] for row in rows if parity(row["text"]) != HALVES[name]]
        assert not wrong, f"{name}: rows in the wrong half: {wrong}"
        digest = {row["id"]: hashlib.sha1(row["text"].encode("utf-8")).hexdigest() for row in rows}
        stale = [key for key, value in digest.items() if key != "h" + value[:8]]
        assert not stale, f"{name}: ids not derived from the text: {stale}"


def test_ids_and_texts_are_unique(
    halves: dict[str, list[dict[str, Any]]], seeds: list[dict[str, Any]]
) -> None:
    rows = [row for name in HALVES for row in halves[name]] + seeds
    ids = [row["id"] for row in rows]
    texts = [row["text"] for row in rows]
    assert len(ids) == len(set(ids)), "duplicate id"
    assert len(texts) == len(set(texts)), "duplicate text"


def test_size_and_balance(
    halves: dict[str, list[dict[str, Any]]], capsys: pytest.CaptureFixture[str]
) -> None:
    with capsys.disabled():
        for name in HALVES:
            part = halves[name]
            positives = sum(1 for row in part if row["hires"])
            triples = sum(len(row["hires"]) for row in part)
            print(
                f"\n{name}: {len(part)} items, {positives} hires, "
                f"{len(part) - positives} non-hires, {triples} triples"
            )
    rows = [row for name in HALVES for row in halves[name]]
    negatives = sum(1 for row in rows if not row["hires"])
    with_from = sum(1 for row in rows for t in row["hires"] if t[1] is not None)
    assert len(rows) >= MIN_ITEMS
    assert negatives / len(rows) >= MIN_NEGATIVE_SHARE
    for name in HALVES:
        part = halves[name]
        assert sum(1 for row in part if not row["hires"]) / len(part) >= 0.25, name
        assert sum(1 for row in part if row["kind"] == "headline") > 0, name
    assert with_from > 0
    assert any(len(row["hires"]) > 1 for row in rows), "no item lists several people"


def test_seed_sentences(
    seeds: list[dict[str, Any]], halves: dict[str, list[dict[str, Any]]]
) -> None:
    aliases = alias_spellings()
    assert len(seeds) == 3
    for number, row in enumerate(seeds, 1):
        check_row(row, f"seed.jsonl:{number}", aliases)
        assert row["hires"], f"seed.jsonl:{number}: a seed is a hire"
    dev_texts = {row["text"] for row in halves["news_dev.jsonl"]}
    leaked = dev_texts & {row["text"] for row in seeds}
    assert not leaked, f"seed sentences in the dev half: {leaked}"
