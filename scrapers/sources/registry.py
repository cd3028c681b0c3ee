"""Maps the ``ats`` name used in ``sources.toml`` to its scraper."""

from __future__ import annotations

from scrapers.sources.ashby import AshbyScraper
from scrapers.sources.base import Scraper
from scrapers.sources.greenhouse import GreenhouseScraper
from scrapers.sources.hackernews import HackerNewsScraper
from scrapers.sources.jsonld_crawl import JsonLdScraper
from scrapers.sources.lever import LeverScraper
from scrapers.sources.personio import PersonioScraper
from scrapers.sources.recruitee import RecruiteeScraper
from scrapers.sources.smartrecruiters import SmartRecruitersScraper
from scrapers.sources.workable import WorkableScraper
from scrapers.sources.workday import WorkdayScraper

SCRAPERS: dict[str, Scraper] = {
    "greenhouse": GreenhouseScraper(),
    "lever": LeverScraper(),
    "ashby": AshbyScraper(),
    "workday": WorkdayScraper(),
    "smartrecruiters": SmartRecruitersScraper(),
    "workable": WorkableScraper(),
    "recruitee": RecruiteeScraper(),
    "personio": PersonioScraper(),
    "jsonld": JsonLdScraper(),
    "hackernews": HackerNewsScraper(),
}

# Derived from each scraper's BoardSpec, so a kind states its requirements in one place.
KNOWN_KINDS = tuple(SCRAPERS)
TOKEN_KINDS = frozenset(k for k, s in SCRAPERS.items() if s.spec.needs == "token")
URL_KINDS = frozenset(k for k, s in SCRAPERS.items() if s.spec.needs == "url")
