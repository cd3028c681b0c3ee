"""Maps the ``ats`` name used in ``sources.toml`` to its scraper."""

from __future__ import annotations

from scrapers.ashby import AshbyScraper
from scrapers.base import Scraper
from scrapers.greenhouse import GreenhouseScraper
from scrapers.hackernews import HackerNewsScraper
from scrapers.jsonld_crawl import JsonLdScraper
from scrapers.lever import LeverScraper
from scrapers.personio import PersonioScraper
from scrapers.recruitee import RecruiteeScraper
from scrapers.smartrecruiters import SmartRecruitersScraper
from scrapers.workable import WorkableScraper
from scrapers.workday import WorkdayScraper

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
