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

# Every kind the contract names; the ones without a scraper yet are refused by config loading.
KNOWN_KINDS = ("greenhouse", "lever", "ashby", "workday", "smartrecruiters", "workable",
               "recruitee", "personio", "jsonld", "hackernews")
TOKEN_KINDS = frozenset({"greenhouse", "lever", "ashby", "smartrecruiters", "workable",
                         "recruitee", "personio"})
URL_KINDS = frozenset({"workday", "jsonld"})

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


def get_scraper(ats: str) -> Scraper:
    try:
        return SCRAPERS[ats]
    except KeyError:
        raise KeyError(f"no scraper for ats {ats!r}") from None
