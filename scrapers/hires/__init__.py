"""Extracting announced hires ("X hires Y from Z") from news items.

``Extractor`` is the interface the feed pipeline depends on. ``SpacyExtractor`` is the default:
it reads who moved where from spaCy's entities and dependency parse; ``RuleExtractor`` holds the
regex templates and vetoes it builds on. Every mention names the rule that produced it. A better
extractor only has to provide ``extract(title, summary)``.
"""

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from scrapers.hires.aliases import DEFAULT_ALIASES_FILE, AliasTable, load_alias_table
from scrapers.hires.models import Extractor, HireMention
from scrapers.hires.nlp import ModelMissing, load_pipeline
from scrapers.hires.rules import RuleExtractor

if TYPE_CHECKING:
    from scrapers.hires.parse import SpacyExtractor


def __getattr__(name: str) -> Any:
    # SpacyExtractor imports spaCy (seconds): loaded on first use, so every CLI command and
    # the API start fast and only the process that reads news pays for it.
    if name == "SpacyExtractor":
        from scrapers.hires.parse import SpacyExtractor

        return SpacyExtractor
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def extract_all(extractor: Extractor, items: Sequence[tuple[str, str]]) -> list[list[HireMention]]:
    """Mentions per (title, summary): in one batch when the extractor can batch."""
    many = getattr(extractor, "extract_many", None)
    if callable(many):
        result: list[list[HireMention]] = many(items)
        return result
    return [extractor.extract(title, summary) for title, summary in items]


__all__ = [
    "DEFAULT_ALIASES_FILE",
    "AliasTable",
    "Extractor",
    "HireMention",
    "ModelMissing",
    "RuleExtractor",
    "SpacyExtractor",
    "extract_all",
    "load_alias_table",
    "load_pipeline",
]
