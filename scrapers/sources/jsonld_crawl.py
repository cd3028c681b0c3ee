"""The JSON-LD career-page crawl: the board page, then same-host links from it.

Every URL is kept in its public form (robots.txt rules, posting URLs and identities use it);
only the request goes to ``api_base`` when one is configured, which replaces scheme+host.

Completeness: every page is an HTML document that ends (``Document.html``), and a failed page
counts by what it is, so one dead link cannot keep a board from ever closing anything:

- the board page failing fails the run;
- a **known posting page** (the URL of an open posting, fragment and query aside) answering
  404/410 is that posting gone: it is simply absent, the snapshot stays complete; any other
  failure makes the run partial;
- a **listing page** (any other page under the board page's path: "page 2", or a posting not
  stored yet) failing makes the run partial, except a 404/410: the site says the page does not
  exist, as for a stale link to a role just removed;
- any other page (``/about``, a cookie page) failing is a warning only.

Shape: a crawl that reads every page yet finds no JobPosting while the board has open postings
is ``unexpected response shape`` (the site was redesigned, or its JSON-LD moved), never an
emptied board.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urljoin, urlsplit

from protego import Protego
from selectolax.lexbor import LexborHTMLParser

from scrapers.errors import BoardNotFound, FetchError, ParseError, ScrapeError
from scrapers.http import RETRY_STATUSES, Fetcher
from scrapers.models import BoardConfig, BoardSnapshot, NormalizedPosting
from scrapers.sources.base import BoardSpec, BoardState, SpecChecked
from scrapers.sources.jsonld import ATS, parse_page
from scrapers.sources.shape import shape_error

MAX_PAGES = 500  # pages fetched per run, the board page included
# Links are followed out of the board page, then out of listing pages (pages without postings,
# e.g. "page 2") whose path lies under the board page's, never across the whole site.
MAX_DEPTH = 2
_SKIP_EXTENSIONS = re.compile(
    r"\.(?:pdf|jpe?g|png|gif|svg|webp|ico|css|js|json|xml|zip|gz|mp4|mp3|woff2?|ttf|docx?)$",
    re.IGNORECASE,
)


def physical_url(public_url: str, api_base: str | None) -> str:
    """The URL actually requested: ``api_base`` replaces the public scheme+host."""
    if not api_base:
        return public_url
    parts = urlsplit(public_url)
    tail = parts.path or "/"
    if parts.query:
        tail += f"?{parts.query}"
    return api_base.rstrip("/") + tail


def page_key(url: str) -> str:
    """A URL without fragment and query: what a stored posting URL and a page are matched on
    (listings link ``/jobs/7?ref=list``, the posting names ``/jobs/7#apply``)."""
    parts = urlsplit(url)
    return parts._replace(query="", fragment="").geturl()


def same_host_links(page_html: str, page_url: str) -> list[str]:
    """Absolute, fragment-free links on the page to the page's own host (no assets)."""
    host = urlsplit(page_url).netloc.lower()
    found: dict[str, None] = {}
    for node in LexborHTMLParser(page_html).css("a[href]"):
        href = (node.attributes.get("href") or "").strip()
        if not href or href.startswith(("#", "mailto:", "tel:", "javascript:")):
            continue
        url = urldefrag(urljoin(page_url, href))[0]
        parts = urlsplit(url)
        if (
            parts.scheme in ("http", "https")
            and parts.netloc.lower() == host
            and not _SKIP_EXTENSIONS.search(parts.path)
        ):
            found[url] = None
    return list(found)


@dataclass
class CrawlResult:
    postings: dict[str, NormalizedPosting] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    complete: bool = True
    pages: int = 0

    def add(self, posting: NormalizedPosting) -> None:
        # A listing page may carry a JobPosting without `identifier` (identity = its URL) that
        # its detail page repeats with one: keep the detail page's version under its id.
        for key, known in list(self.postings.items()):
            if known.url == posting.url and key != posting.external_id and key == known.url:
                del self.postings[key]
        self.postings.setdefault(posting.external_id, posting)


class JsonLdCrawl:
    """One run over one board: robots.txt, then breadth-first pages up to the caps."""

    def __init__(
        self,
        board: BoardConfig,
        fetcher: Fetcher,
        max_pages: int = MAX_PAGES,
        known_urls: frozenset[str] = frozenset(),
    ) -> None:
        if not board.url:
            raise ValueError("jsonld boards need `url`")
        self.board, self.fetcher, self.max_pages = board, fetcher, max_pages
        self.known = {page_key(url) for url in known_urls}
        self.start = urldefrag(board.url)[0]
        self.scope = urlsplit(self.start).path.rstrip("/")
        self.result = CrawlResult()
        self.robots: Protego | None = None

    def _request_url(self, public_url: str) -> str:
        return physical_url(public_url, self.board.api_base)

    async def load_robots(self) -> None:
        parts = urlsplit(self.start)
        url = self._request_url(f"{parts.scheme}://{parts.netloc}/robots.txt")
        try:
            document = await self.fetcher.get_document(url, accept="text/plain")
        except FetchError as exc:
            status = exc.status_code
            if status is not None and 400 <= status < 500 and status not in RETRY_STATUSES:
                return  # no robots.txt: everything is allowed
            raise  # RFC 9309: an unreachable robots.txt means nothing may be crawled yet
        self.robots = Protego.parse(document.text)

    def allowed(self, url: str) -> bool:
        return self.robots is None or self.robots.can_fetch(url, self.fetcher.policy.user_agent)

    async def _get(self, public_url: str) -> str | None:
        """The page's HTML; None for a non-HTML body. Raises on HTTP failure and on an HTML
        document that does not end."""
        url = self._request_url(public_url)
        document = await self.fetcher.get_document(url, accept="text/html")
        kind = document.headers.get("Content-Type", "text/html").lower()
        if not kind.startswith("text/") and "html" not in kind and "xml" not in kind:
            return None  # a PDF or an image behind an innocent-looking link
        return document.html() if "html" in kind else document.text

    def in_scope(self, url: str) -> bool:
        return urlsplit(url).path.startswith(self.scope)

    def _failed(self, url: str, error: ScrapeError) -> None:
        """Count one failed page by what it is (see the module docstring)."""
        gone = isinstance(error, BoardNotFound)
        if page_key(url) in self.known:
            if gone:
                self.result.warnings.append(f"{url}: posting page gone, its posting is missing")
                return
        elif gone:
            self.result.warnings.append(f"{url}: page gone, ignored ({error})")
            return
        elif not self.in_scope(url):
            self.result.warnings.append(f"{url}: outside the listing, ignored ({error})")
            return
        self.result.complete = False
        self.result.warnings.append(f"{url}: {error}")

    def _read(self, page_html: str, public_url: str) -> bool:
        """Collect the page's postings; True when it carried any (a detail page)."""
        data = parse_page(page_html, public_url)
        if data.broken_job_scripts:
            self.result.complete = False
            self.result.warnings.append(f"{public_url}: unreadable JobPosting JSON-LD")
        for posting in data.postings:
            self.result.add(posting)
        return bool(data.postings)

    async def _visit(self, public_url: str) -> tuple[str, str | ScrapeError | None]:
        try:
            return public_url, await self._get(public_url)
        except ScrapeError as exc:
            return public_url, exc

    async def run(self) -> CrawlResult:
        await self.load_robots()
        if not self.allowed(self.start):
            raise FetchError(f"robots.txt disallows {self.start} for this User-Agent")
        start_html = await self._get(self.start)
        self.result.pages = 1
        if start_html is None:
            raise ParseError(f"{self.start} is not an HTML page")
        self._read(start_html, self.start)
        seen = {self.start}
        frontier = self._new_links(start_html, self.start, seen)
        for _depth in range(MAX_DEPTH):
            if not frontier:
                break
            room = self.max_pages - self.result.pages
            if len(frontier) > room:
                self.result.complete = False
                self.result.warnings.append(
                    f"page cap of {self.max_pages} reached; {len(frontier) - room} links not read"
                )
                frontier = frontier[:room]
            self.result.pages += len(frontier)
            visited = await asyncio.gather(*(self._visit(url) for url in frontier))
            frontier = []
            for url, page_html in visited:
                if isinstance(page_html, ScrapeError):
                    self._failed(url, page_html)
                elif (
                    page_html is not None and not self._read(page_html, url) and self.in_scope(url)
                ):
                    frontier.extend(
                        u for u in self._new_links(page_html, url, seen) if self.in_scope(u)
                    )
        if not self.result.postings and self.known and self.result.complete:
            raise shape_error(
                ATS,
                f"no JobPosting JSON-LD on any of the {self.result.pages} pages read, while "
                f"{len(self.known)} postings of this board are open",
            )
        return self.result

    def _new_links(self, page_html: str, page_url: str, seen: set[str]) -> list[str]:
        links = [
            u for u in same_host_links(page_html, page_url) if u not in seen and self.allowed(u)
        ]
        seen.update(links)
        return links


class JsonLdScraper(SpecChecked):
    ats = "jsonld"
    spec = BoardSpec("url", "the career page")

    def __init__(self, max_pages: int = MAX_PAGES) -> None:
        self.max_pages = max_pages

    async def fetch(self, board: BoardConfig, fetcher: Fetcher, state: BoardState) -> BoardSnapshot:
        result = await JsonLdCrawl(board, fetcher, self.max_pages, state.known_urls).run()
        return BoardSnapshot(
            board=board,
            postings=tuple(result.postings.values()),
            complete=result.complete,
            warnings=tuple(result.warnings),
        )
