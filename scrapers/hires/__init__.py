"""Extracting announced hires ("X hires Y from Z") from news items.

``Extractor`` is the interface the feed pipeline depends on; ``RuleExtractor`` is the shipped,
explainable implementation (every mention names the rule that produced it). A better extractor
only has to provide ``extract(title, summary)``.
"""

from scrapers.hires.aliases import DEFAULT_ALIASES_FILE, AliasTable, load_alias_table
from scrapers.hires.models import Extractor, HireMention
from scrapers.hires.rules import RuleExtractor

__all__ = ["DEFAULT_ALIASES_FILE", "AliasTable", "Extractor", "HireMention", "RuleExtractor",
           "load_alias_table"]
