"""The application context: what every use case needs, built once per process.

The API keeps one on ``app.state.context``; the CLI builds one per command. Files behind it
(the watchlist's aliases, rates, taxonomy) are read on first use, not on every request.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from sqlalchemy.engine import Engine

from scrapers.currency import Rates
from scrapers.enrich.topics import Taxonomy
from scrapers.hires.aliases import AliasTable
from service.news import alias_table_for
from service.scrape import rates_for, taxonomy_for
from service.settings import Settings
from store.engine import make_engine


@dataclass
class AppContext:
    settings: Settings = field(default_factory=Settings)
    engine_: Engine | None = None

    @cached_property
    def engine(self) -> Engine:
        return self.engine_ or make_engine(self.settings.database_url)

    @cached_property
    def aliases(self) -> AliasTable:
        return alias_table_for(self.settings)

    @cached_property
    def rates(self) -> Rates:
        """Raises RatesError (and is tried again next time) when the rates file is broken."""
        return rates_for(self.settings)

    @property
    def taxonomy(self) -> Taxonomy:
        """Raises TaxonomyError; re-read only when its file changes."""
        return taxonomy_for(self.settings)

    def company(self, name: str) -> str:
        """The canonical spelling of a company name ("X.AI" → "xAI")."""
        return self.aliases.resolve(name)
