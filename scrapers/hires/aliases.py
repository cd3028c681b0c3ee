"""The company alias table: every spelling the press uses, mapped to one canonical name."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_ALIASES_FILE = Path(__file__).resolve().parent.parent / "data" / "aliases.toml"


# Legal forms the press sometimes appends ("Scale AI Inc."); they never tell companies apart.
LEGAL_SUFFIX = (
    r",?\s+(?:Inc|Corp|Corporation|Ltd|Limited|LLC|LLP|GmbH|SA|S\.A|AG|SE|NV|N\.V|BV|PBC|plc|PLC"
    r"|Co|&\s?Co|and\s+Co|Pty\s+Ltd|Oyj|ASA|AB)\.?"
)


def _key(name: str) -> str:
    return re.sub(r"[\s.\-]+", " ", name).strip().casefold()


def strip_suffix(name: str) -> str:
    """The name without a trailing legal form: "Scale AI Inc." -> "Scale AI"."""
    return re.sub(rf"(?:{LEGAL_SUFFIX})$", "", name.strip()).strip()


@dataclass
class AliasTable:
    """Canonical name by normalised spelling. Spellings match case-sensitively in text (so
    "Apple" the company is not "apple" the fruit), but lookups ignore case and punctuation."""

    canonical: dict[str, str] = field(default_factory=dict)
    spellings: set[str] = field(default_factory=set)

    def add(self, name: str, others: Iterable[str] = ()) -> None:
        name = name.strip()
        # A name already known as an alias keeps pointing at its canonical company.
        target = self.canonical.get(_key(name), name)
        for spelling in (name, *others):
            spelling = spelling.strip()
            if spelling:
                self.canonical.setdefault(_key(spelling), target)
                self.spellings.add(spelling)

    def resolve(self, name: str) -> str:
        """The canonical name, or the name itself (trimmed: no leading "the", trailing
        punctuation or legal form) when it is not in the table."""
        cleaned = strip_suffix(re.sub(r"(?:'s|\u2019s)$", "", name.strip(" ,;:")))
        known = self.canonical.get(_key(cleaned))
        return known if known is not None else re.sub(r"^[Tt]he\s+", "", cleaned)

    def known(self, name: str) -> bool:
        """Whether the name (any spelling, with or without a legal suffix) is in the table."""
        cleaned = strip_suffix(re.sub(r"(?:'s|\u2019s)$", "", name.strip()))
        return _key(cleaned) in self.canonical

    def pattern(self) -> str:
        """A regex alternation of every spelling, longest first."""
        ordered = sorted(self.spellings, key=len, reverse=True)
        return "|".join(re.escape(s) for s in ordered)

    def words(self) -> set[str]:
        """Single capitalised words of company names (never part of a person's name)."""
        return {w for s in self.spellings for w in re.split(r"[\s.]+", s) if w[:1].isupper()}


def load_alias_table(
    watchlist: Iterable[str] = (),
    extra: Mapping[str, list[str]] | None = None,
    path: Path = DEFAULT_ALIASES_FILE,
) -> AliasTable:
    """Seed file first, then the watchlist names, then the configured ``[aliases]``."""
    table = AliasTable()
    with path.open("rb") as handle:
        for name, others in tomllib.load(handle).items():
            table.add(name, others)
    for name in watchlist:
        table.add(name)
    for name, others in (extra or {}).items():
        table.add(name, others)
    return table
