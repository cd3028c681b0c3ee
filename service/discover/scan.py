"""Reading a company's careers page for the boards it embeds or links to.

One host, a few pages at most, robots.txt obeyed (RFC 9309: a missing robots.txt allows
everything, an unreachable one allows nothing).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urldefrag, urljoin, urlsplit

from protego import Protego

from scrapers.errors import FetchError
from scrapers.http import Fetcher
from scrapers.sources.jsonld import parse_page
from service.discover.embeds import BoardRef, careers_links, find_boards, site_name
from service.discover.guard import REFUSED_HEADER

MAX_PAGES = 4  # the given page plus at most three careers links from it


@dataclass
class ScanResult:
    start: str
    boards: list[BoardRef] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    site_name: str | None = None
    final_url: str | None = None  # the page after redirects
    # JobPosting objects per page carrying them: a jsonld board's count, without a crawl.
    jsonld_counts: dict[str, int] = field(default_factory=dict)


class CareersScan:
    def __init__(self, fetcher: Fetcher, max_pages: int = MAX_PAGES) -> None:
        self.fetcher, self.max_pages = fetcher, max_pages
        self.robots: dict[str, Protego | None] = {}

    async def _robots(self, url: str) -> Protego | None:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self.robots:
            response = await self.fetcher.request(
                "GET", f"{origin}/robots.txt", headers={"Accept": "text/plain"}
            )
            if REFUSED_HEADER in response.headers:
                raise FetchError(response.text)
            if 400 <= response.status_code < 500:
                self.robots[origin] = None
            elif 200 <= response.status_code < 300:
                self.robots[origin] = Protego.parse(response.text)
            else:
                raise FetchError(
                    f"{origin}/robots.txt answered HTTP {response.status_code}; "
                    "nothing may be read until it answers"
                )
        return self.robots[origin]

    async def allowed(self, url: str) -> bool:
        robots = await self._robots(url)
        return robots is None or robots.can_fetch(url, self.fetcher.policy.user_agent)

    async def _page(self, url: str) -> tuple[str, str] | None:
        """(final URL, HTML) of a page, or None when it is not an HTML page."""
        response = await self.fetcher.request("GET", url, headers={"Accept": "text/html"})
        if REFUSED_HEADER in response.headers:
            raise FetchError(response.text)
        if not 200 <= response.status_code < 300:
            raise FetchError(
                f"GET {url}: HTTP {response.status_code}", status_code=response.status_code
            )
        kind = response.headers.get("Content-Type", "text/html").lower()
        if "html" not in kind and not kind.startswith("text/"):
            return None
        return str(response.url), response.text

    async def run(self, start: str) -> ScanResult:
        start = urldefrag(start)[0]
        result = ScanResult(start=start)
        try:
            await self._scan(start, result)
        except FetchError as exc:
            result.notes.append(str(exc))
        return result

    async def _scan(self, start: str, result: ScanResult) -> None:
        if not await self.allowed(start):
            result.notes.append(f"robots.txt disallows {start}")
            return
        page = await self._page(start)
        if page is None:
            result.notes.append(f"{start} is not an HTML page")
            return
        final, first_html = page
        result.final_url = final
        if urlsplit(final).netloc != urlsplit(start).netloc and not await self.allowed(final):
            result.notes.append(f"robots.txt disallows {final}")
            return
        result.pages.append(final)
        result.site_name = site_name(first_html)
        self._read(first_html, final, result)
        if result.boards:
            return  # the page itself names the board: no need to look further
        host = urlsplit(final).netloc.lower()
        queue: list[str] = []
        for href, _label in careers_links(first_html):
            link = urldefrag(urljoin(final, href))[0]
            parts = urlsplit(link)
            if (
                parts.scheme in ("http", "https")
                and parts.netloc.lower() == host
                and link not in queue
                and link != final
            ):
                queue.append(link)
        for link in queue[: self.max_pages - 1]:
            if not await self.allowed(link):
                result.notes.append(f"robots.txt disallows {link}")
                continue
            try:
                page = await self._page(link)
            except FetchError as exc:
                result.notes.append(str(exc))
                continue
            if page is None:
                continue
            result.pages.append(page[0])
            self._read(page[1], page[0], result)

    @staticmethod
    def _read(page_html: str, url: str, result: ScanResult) -> None:
        known = {b.key.lower() for b in result.boards}
        for ref in find_boards(page_html):
            if ref.key.lower() not in known:
                result.boards.append(ref)
                known.add(ref.key.lower())
        postings = len(parse_page(page_html, url).postings)
        if postings and f"jsonld:{url}".lower() not in known:
            result.jsonld_counts[url] = postings
            result.boards.append(
                BoardRef("jsonld", url=url, evidence="schema.org JobPosting JSON-LD")
            )
