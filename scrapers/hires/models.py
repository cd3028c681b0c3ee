"""The shape of an extracted hire and the extractor interface."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class HireMention:
    person: str
    to_company: str
    from_company: str | None
    role: str | None
    evidence: str  # the sentence the move was read from
    confidence: float  # 0..1
    rule: str  # which rule matched, so every extraction can be explained


class Extractor(Protocol):
    def extract(self, title: str, summary: str = "") -> list[HireMention]:
        """Every named person moving between companies that the item announces."""
        ...
