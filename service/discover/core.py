"""Finding a company's public boards: token guesses on every ATS, plus its careers page.

Every candidate is confirmed with the same list-only probe as ``talentflow sources check``
(:func:`service.probe.probe_boards`), so each ATS's own "not found" rules apply: a 404, or
SmartRecruiters' empty answer for an unknown company, is never offered as a board.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlsplit

import httpx

from scrapers.http import build_client, make_fetcher
from scrapers.models import BoardConfig
from scrapers.sources.registry import TOKEN_KINDS
from service.discover.embeds import BoardRef, find_boards
from service.discover.scan import CareersScan, ScanResult
from service.discover.slugs import Slug, name_slugs, registered_domain, url_slugs
from service.probe import ProbeResult, probe_boards
from service.settings import Settings

# The order boards are probed and, at equal confidence, listed.
PROBE_KINDS = (
    "greenhouse",
    "lever",
    "ashby",
    "smartrecruiters",
    "workable",
    "recruitee",
    "personio",
)
assert set(PROBE_KINDS) == TOKEN_KINDS
# How much a board's origin says about it being this company's.
BASE_CONFIDENCE = {
    "page": 0.9,
    "jsonld": 0.7,
    "name": 0.6,
    "variant": 0.55,
    "domain": 0.45,
    "short": 0.35,
}
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:(?://|/)")
_URLISH = re.compile(r"^(?:https?://)?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?::\d+)?(?:/\S*)?$")


@dataclass(frozen=True)
class Candidate:
    ats: str
    token: str | None
    url: str | None
    api_base: str | None
    postings: int
    confidence: float
    status: str  # "reachable" or "empty" (from the probe)
    via: str  # "careers page" or "name"
    evidence: str

    @property
    def label(self) -> str:
        return self.token or self.url or ""

    def board(self, company: str) -> BoardConfig:
        return BoardConfig(
            company=company, ats=self.ats, token=self.token, url=self.url, api_base=self.api_base
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "ats": self.ats,
            "token": self.token,
            "url": self.url,
            "api_base": self.api_base,
            "postings": self.postings,
            "confidence": self.confidence,
            "status": self.status,
            "via": self.via,
            "evidence": self.evidence,
        }


@dataclass
class Discovery:
    company: str
    query: str | None
    url: str | None
    candidates: list[Candidate] = field(default_factory=list)
    tried: int = 0
    notes: list[str] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)

    @property
    def found(self) -> bool:
        return bool(self.candidates)

    def add_command(self, pick: int = 1) -> str:
        target = self.url if self.url and not self.query else self.query or self.company
        parts = ["talentflow", "sources", "discover", shlex.quote(target or "")]
        if self.url and self.query:
            parts += ["--url", shlex.quote(self.url)]
        parts.append("--add")
        if pick != 1:
            parts += ["--pick", str(pick)]
        return " ".join(parts)

    def as_dict(self) -> dict[str, Any]:
        return {
            "company": self.company,
            "query": self.query,
            "url": self.url,
            "found": self.found,
            "tried": self.tried,
            "pages": self.pages,
            "notes": self.notes,
            "candidates": [
                {"rank": i, **c.as_dict(), "add_command": self.add_command(i)}
                for i, c in enumerate(self.candidates, start=1)
            ],
            "add_command": self.add_command() if self.found else None,
        }


def looks_like_url(text: str) -> bool:
    text = text.strip()
    return text.lower().startswith(("http://", "https://")) or (
        " " not in text and bool(_URLISH.match(text))
    )


def normalise_url(text: str) -> str:
    """``figure.ai/careers`` → ``https://figure.ai/careers``; a URL with a scheme is kept."""
    text = text.strip()
    return text if _SCHEME.match(text) else f"https://{text}"


def company_from_url(url: str, site: str | None) -> str:
    if site:
        return site
    domain = registered_domain(url) or urlsplit(url).hostname or url
    return domain.split(".")[0].capitalize()


@dataclass(frozen=True)
class _Plan:
    ref: BoardRef
    via: str  # key of BASE_CONFIDENCE
    also_named: bool = False  # a page board whose token the name also yields


def _plans(slugs: list[Slug], scan: ScanResult | None) -> list[_Plan]:
    plans: dict[str, _Plan] = {}
    for ref in scan.boards if scan else []:
        plans[ref.key.lower()] = _Plan(ref, "jsonld" if ref.ats == "jsonld" else "page")
    for slug in slugs:
        for ats in PROBE_KINDS:
            key = f"{ats}:{slug.token}".lower()
            if key in plans:
                if plans[key].via in ("page", "jsonld"):
                    plans[key] = replace(plans[key], also_named=True)
                continue
            origin = "domain" if slug.kind == "domain" else "name"
            plans[key] = _Plan(
                BoardRef(ats, token=slug.token, evidence=f"token {slug.token!r} from the {origin}"),
                slug.kind,
            )
    return list(plans.values())


def _score(
    plan: _Plan, result: ProbeResult, site_domain: str | None, posting_domains: set[str]
) -> float:
    score = BASE_CONFIDENCE[plan.via]
    if plan.also_named:
        score += 0.05
    if site_domain and site_domain in posting_domains:
        score += 0.1  # the board's postings link back to the company's own site
    if result.status == "empty":
        score *= 0.5
    elif result.detail:
        score -= 0.05  # read only in part
    return round(max(0.01, min(score, 0.99)), 2)


# Most guesses are wrong, and a wrong Recruitee/Personio guess is a host that does not resolve:
# a network error the scrape policy retries. One retry keeps an interactive search quick.
MAX_RETRIES = 1


def _quick(settings: Settings) -> Settings:
    if settings.http_retries <= MAX_RETRIES:
        return settings
    quick = settings.model_copy(update={"http_retries": MAX_RETRIES})
    quick.__dict__.pop("http_policy", None)  # a cached_property copied along with the fields
    return quick


async def discover(
    settings: Settings,
    query: str | None = None,
    url: str | None = None,
    *,
    name: str | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> Discovery:
    """Candidates for a company given by name, careers-page URL, or both, best first."""
    query, url, name = ((" ".join(v.split()) or None) if v else None for v in (query, url, name))
    settings = _quick(settings)
    if query and not url and looks_like_url(query):
        url, query = normalise_url(query), None
    elif url:
        url = normalise_url(url)
    if not query and not url:
        raise ValueError("give a company name or a careers-page URL")
    if url and (
        urlsplit(url).scheme.lower() not in ("http", "https") or not urlsplit(url).hostname
    ):
        raise ValueError(f"not an http(s) URL: {url}")
    scan: ScanResult | None = None
    direct = [replace(ref, evidence="the given URL") for ref in find_boards(url)] if url else []
    if direct:  # a board's own URL (jobs.lever.co/acme): nothing to read to know the board
        scan = ScanResult(start=url or "", boards=direct)
    elif url:
        async with build_client(settings.http_policy, transport) as client:
            scan = await CareersScan(make_fetcher(settings.http_policy, client)).run(url)
    if direct and not (name or query):
        # The ATS's domain says nothing of the company; the board's token or tenant does.
        first = direct[0]
        company = first.token or (urlsplit(first.url or "").hostname or "").split(".")[0]
    else:
        company = name or query or company_from_url(url or "", scan.site_name if scan else None)
    company = " ".join(company.split())
    # Tokens from the search term and the given name, then the domain's; with only a URL,
    # from the site's own name too.
    slugs: dict[str, Slug] = {}
    for part in (
        [*name_slugs(query or ""), *name_slugs(name or "")]
        + (url_slugs(url) if url and not direct else [])
        + ([] if (query or name) else name_slugs(company))
    ):
        slugs.setdefault(part.token, part)
    plans = _plans(list(slugs.values()), scan)
    boards = [
        BoardConfig(
            company=company,
            ats=p.ref.ats,
            token=p.ref.token,
            url=p.ref.url,
            api_base=p.ref.api_base,
        )
        for p in plans
    ]
    # JSON-LD boards were read by the scan itself; a full crawl would be far too heavy here.
    probed = iter(
        await probe_boards(settings, [b for b in boards if b.ats != "jsonld"], transport=transport)
    )
    results = [
        ProbeResult(b, "reachable", (scan.jsonld_counts if scan else {}).get(b.url or "", 0))
        if b.ats == "jsonld"
        else next(probed)
        for b in boards
    ]
    site_domain = registered_domain(scan.final_url or url) if scan and url else None
    discovery = Discovery(
        company=company,
        query=query,
        url=url,
        tried=len(boards),
        notes=list(scan.notes) if scan else [],
        pages=list(scan.pages) if scan else [],
    )
    for plan, result in zip(plans, results, strict=True):
        if result.status not in ("reachable", "empty"):
            if plan.via in ("page", "jsonld"):
                discovery.notes.append(
                    f"{plan.ref.key} (from the page): {result.status}"
                    f"{': ' + result.detail if result.detail else ''}"
                )
            continue
        if result.status == "empty" and plan.ref.ats == "smartrecruiters":
            continue  # SmartRecruiters answers an unknown company with an empty list
        count = result.count or 0
        via = "careers page" if plan.via in ("page", "jsonld") else "name"
        discovery.candidates.append(
            Candidate(
                ats=plan.ref.ats,
                token=plan.ref.token,
                url=plan.ref.url,
                api_base=plan.ref.api_base,
                postings=count,
                confidence=_score(
                    plan,
                    result,
                    site_domain,
                    {d for u in result.sample_urls if (d := registered_domain(u))},
                ),
                status=result.status,
                via=via,
                evidence=plan.ref.evidence[:200],
            )
        )
    discovery.candidates.sort(
        key=lambda c: (
            -c.confidence,
            -c.postings,
            PROBE_KINDS.index(c.ats) if c.ats in PROBE_KINDS else len(PROBE_KINDS),
        )
    )
    return discovery
