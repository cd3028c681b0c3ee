"""Maps the ``ats`` name used in ``sources.toml`` to its scraper."""

from __future__ import annotations

from scrapers.base import Scraper
from scrapers.greenhouse import GreenhouseScraper

# Every kind the contract names; the ones without a scraper yet are refused by config loading.
KNOWN_KINDS = ("greenhouse", "lever", "ashby", "workday", "smartrecruiters", "workable",
               "recruitee", "personio", "jsonld", "hackernews")
TOKEN_KINDS = frozenset({"greenhouse", "lever", "ashby", "smartrecruiters", "workable",
                         "recruitee", "personio"})
URL_KINDS = frozenset({"workday", "jsonld"})

SCRAPERS: dict[str, Scraper] = {
    "greenhouse": GreenhouseScraper(),
}


def get_scraper(ats: str) -> Scraper:
    try:
        return SCRAPERS[ats]
    except KeyError:
        raise KeyError(f"no scraper for ats {ats!r}") from None
