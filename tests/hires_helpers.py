"""Shared helpers for the hires tests: the extractors over the shipped aliases, feed fixtures,
and scoring of the labelled real-news set."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrapers.hires import (
    AliasTable,
    Extractor,
    RuleExtractor,
    SpacyExtractor,
    extract_all,
    learn,
    load_alias_table,
)
from scrapers.hires.aliases import strip_suffix

FEEDS = Path(__file__).parent / "fixtures" / "feeds"
REAL = Path(__file__).parent / "data" / "hires"
WATCHLIST = list(learn.WATCHLIST)  # the companies the labelled sets are scored with
Triple = tuple[str, str | None, str]


def extractor() -> RuleExtractor:
    return RuleExtractor(load_alias_table(WATCHLIST))


def spacy_extractor() -> SpacyExtractor:
    return SpacyExtractor(load_alias_table(WATCHLIST))


def feed_bytes(name: str) -> bytes:
    return (FEEDS / name).read_bytes()


def real_items(name: str) -> list[dict[str, Any]]:
    """One file of the labelled real-news set (JSON Lines)."""
    with (REAL / name).open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def as_feed_item(item: dict[str, Any]) -> tuple[str, str]:
    """A headline is an item's title; a sentence its summary under an empty title."""
    text = str(item["text"])
    return (text, "") if item["kind"] == "headline" else ("", text)


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def line(self, label: str, items: int) -> str:
        return (
            f"{label} ({items} items): precision {self.precision:.3f}, recall "
            f"{self.recall:.3f}, F1 {self.f1:.3f} (tp={self.tp} fp={self.fp} fn={self.fn})"
        )


def normalise(triple: Sequence[str | None], aliases: AliasTable) -> Triple:
    """Companies compared through the alias table, case-insensitively and without legal
    suffixes; people exactly."""

    def company(name: str | None) -> str | None:
        return aliases.resolve(strip_suffix(name)).casefold() if name else None

    person, frm, to = triple
    return (str(person), company(frm), company(to) or "")


def score_real(items: list[dict[str, Any]], ex: Extractor, aliases: AliasTable) -> Score:
    result = Score()
    found = extract_all(ex, [as_feed_item(i) for i in items])
    for item, mentions in zip(items, found, strict=True):
        expected = {normalise(h, aliases) for h in item["hires"]}
        got = {normalise((m.person, m.from_company, m.to_company), aliases) for m in mentions}
        result.tp += len(expected & got)
        result.fp += len(got - expected)
        result.fn += len(expected - got)
        if expected != got:
            result.misses.append(
                f"{item['id']} {item['text']!r}: missing {expected - got}, extra {got - expected}"
            )
    return result
