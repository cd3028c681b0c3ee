"""Shared helpers for the hires tests: the extractor over the shipped aliases, feed fixtures."""

from __future__ import annotations

from pathlib import Path

from scrapers.hires import RuleExtractor, load_alias_table

FEEDS = Path(__file__).parent / "fixtures" / "feeds"
WATCHLIST = ["xAI", "Anthropic", "Google DeepMind", "Figure AI", "Scale AI", "NVIDIA"]


def extractor() -> RuleExtractor:
    return RuleExtractor(load_alias_table(WATCHLIST))


def feed_bytes(name: str) -> bytes:
    return (FEEDS / name).read_bytes()
