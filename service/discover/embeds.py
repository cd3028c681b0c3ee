"""Boards named in a careers page's HTML: ATS links, embed scripts and iframes.

Pure functions: page HTML in, board references out. The whole page text is searched (not just
``href``/``src``) because embeds are often configured in inline scripts, and JSON-escaped
slashes (``https:\\/\\/jobs.lever.co\\/acme``) are undone first.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote

from selectolax.lexbor import LexborHTMLParser


@dataclass(frozen=True)
class BoardRef:
    """A board a page points to, before it is probed."""

    ats: str
    token: str | None = None
    url: str | None = None
    api_base: str | None = None
    evidence: str = ""  # the text it was read from, for the report

    @property
    def key(self) -> str:
        return f"{self.ats}:{self.token or self.url}"


_SLUG = r"[A-Za-z0-9][A-Za-z0-9_.-]*"
# Path segments and subdomains that belong to the ATS itself, never to a customer.
_RESERVED = {
    "greenhouse": {"embed", "v1", "boards", "jobs", "static", "assets"},
    "lever": {"v0", "static", "assets", "embed"},
    "ashby": {"api", "embed", "static", "assets"},
    "smartrecruiters": {"oneclick-ui", "js", "static", "assets", "widget", "api", "sr-jobs"},
    "workable": {
        "api",
        "j",
        "widget",
        "static",
        "assets",
        "www",
        "apply",
        "jobs",
        "help",
        "resources",
        "careers",
    },
    "recruitee": {
        "www",
        "app",
        "api",
        "support",
        "blog",
        "help",
        "cdn",
        "static",
        "assets",
        "careers",
        "docs",
    },
    "personio": {"www", "api", "static", "assets"},
}


def _token(ats: str, raw: str) -> str | None:
    token = unquote(raw).strip().rstrip(".")
    if not token or token.lower() in _RESERVED[ats]:
        return None
    return token


Rule = tuple[str, re.Pattern[str], Callable[[re.Match[str]], BoardRef | None]]


def _tok(
    ats: str, api_base: Callable[[re.Match[str]], str | None] | None = None, group: int = 1
) -> Callable[[re.Match[str]], BoardRef | None]:
    def build(match: re.Match[str]) -> BoardRef | None:
        token = _token(ats, match.group(group))
        if token is None:
            return None
        return BoardRef(
            ats,
            token=token,
            api_base=api_base(match) if api_base else None,
            evidence=match.group(0),
        )

    return build


def _workday(match: re.Match[str]) -> BoardRef | None:
    host, site = match.group("host").lower(), match.group("site")
    if site.lower() in {"wday", "static", "assets"}:
        return None
    return BoardRef("workday", url=f"https://{host}/{site}", evidence=match.group(0))


def _workday_cxs(match: re.Match[str]) -> BoardRef | None:
    host, site = match.group("host").lower(), match.group("site")
    return BoardRef("workday", url=f"https://{host}/{site}", evidence=match.group(0))


_LOCALE = r"(?:[a-z]{2}(?:-[A-Za-z]{2})?/)?"
_WD_HOST = r"(?P<host>[A-Za-z0-9-]+\.wd\d+\.myworkdayjobs\.com)"

RULES: list[Rule] = [
    # Greenhouse: the embed script/iframe (`?for=token`), hosted boards, and the JSON API.
    (
        "greenhouse",
        re.compile(
            r"(?:job-)?boards(?:\.eu)?\.greenhouse\.io/embed/"
            r"job_(?:board|app)(?:/js)?\?(?:[^\"'\s<>]*?&)?for=(" + _SLUG + ")"
        ),
        _tok("greenhouse"),
    ),
    (
        "greenhouse",
        re.compile(r"(?:job-)?boards(?:\.eu)?\.greenhouse\.io/(?!embed\b)(" + _SLUG + ")"),
        _tok("greenhouse"),
    ),
    (
        "greenhouse",
        re.compile(r"boards-api\.greenhouse\.io/v1/boards/(" + _SLUG + ")"),
        _tok("greenhouse"),
    ),
    # Lever: hosted board and the postings API; the EU board is served by its own API host.
    (
        "lever",
        re.compile(r"jobs\.(eu\.)?lever\.co/(" + _SLUG + ")"),
        _tok("lever", lambda m: "https://api.eu.lever.co" if m.group(1) else None, group=2),
    ),
    (
        "lever",
        re.compile(r"api\.(eu\.)?lever\.co/v0/postings/(" + _SLUG + ")"),
        _tok("lever", lambda m: "https://api.eu.lever.co" if m.group(1) else None, group=2),
    ),
    # Ashby: hosted board, its embed script (`/{board}/embed`) and the posting API. Board names
    # may carry URL-encoded spaces.
    ("ashby", re.compile(r"jobs\.ashbyhq\.com/((?:[A-Za-z0-9_.-]|%20)+)"), _tok("ashby")),
    (
        "ashby",
        re.compile(r"api\.ashbyhq\.com/posting-api/job-board/((?:[A-Za-z0-9_.-]|%20)+)"),
        _tok("ashby"),
    ),
    # Workday: a career site, with or without a locale segment, or its CXS API path.
    (
        "workday",
        re.compile(_WD_HOST + r"/wday/cxs/[A-Za-z0-9_-]+/(?P<site>[A-Za-z0-9_-]+)"),
        _workday_cxs,
    ),
    ("workday", re.compile(_WD_HOST + "/" + _LOCALE + r"(?P<site>[A-Za-z0-9_-]+)"), _workday),
    # SmartRecruiters: hosted pages, the public API, and the widget's `company_code`.
    (
        "smartrecruiters",
        re.compile(r"(?:jobs|careers)\.smartrecruiters\.com/(" + _SLUG + ")"),
        _tok("smartrecruiters"),
    ),
    (
        "smartrecruiters",
        re.compile(r"api\.smartrecruiters\.com/v1/companies/(" + _SLUG + ")"),
        _tok("smartrecruiters"),
    ),
    (
        "smartrecruiters",
        re.compile(r"company_code[\"']?\s*[:=]\s*[\"'](" + _SLUG + ")[\"']"),
        _tok("smartrecruiters"),
    ),
    # Workable: the widget API, hosted boards on apply.workable.com, and old subdomains.
    (
        "workable",
        re.compile(r"apply\.workable\.com/api/v[13]/(?:widget/)?accounts/(" + _SLUG + ")"),
        _tok("workable"),
    ),
    ("workable", re.compile(r"apply\.workable\.com/(" + _SLUG + ")"), _tok("workable")),
    ("workable", re.compile(r"//(" + _SLUG + r")\.workable\.com"), _tok("workable")),
    # Recruitee and Personio: the company is the subdomain; Personio also runs a .com host.
    ("recruitee", re.compile(r"//([A-Za-z0-9-]+)\.recruitee\.com"), _tok("recruitee")),
    (
        "personio",
        re.compile(r"//([A-Za-z0-9-]+)\.jobs\.personio\.(de|com)"),
        _tok(
            "personio",
            lambda m: f"https://{m.group(1)}.jobs.personio.com" if m.group(2) == "com" else None,
        ),
    ),
]


def find_boards(page_html: str) -> list[BoardRef]:
    """Every distinct board the page links to or embeds, in order of first appearance."""
    text = html.unescape(page_html.replace("\\/", "/"))
    hits: list[tuple[int, BoardRef]] = []
    for _ats, pattern, build in RULES:
        for match in pattern.finditer(text):
            ref = build(match)
            if ref is not None:
                hits.append((match.start(), ref))
    found: dict[str, BoardRef] = {}
    for _pos, ref in sorted(hits, key=lambda h: h[0]):
        found.setdefault(ref.key.lower(), ref)  # board tokens are matched case-insensitively
    return list(found.values())


_CAREER_WORDS = re.compile(
    r"career|jobs?\b|join(?:-|\s)?us|join\b|openings|open-positions|positions|vacanc|hiring|"
    r"work-with-us|work with us|karriere|stellen|emploi|trabaja",
    re.IGNORECASE,
)


def careers_links(page_html: str) -> list[tuple[str, str]]:
    """``(href, text)`` of the page's links that look like they lead to job listings."""
    out: list[tuple[str, str]] = []
    for node in LexborHTMLParser(page_html).css("a[href]"):
        href = (node.attributes.get("href") or "").strip()
        label = " ".join((node.text(deep=True) or "").split())
        if href and _CAREER_WORDS.search(f"{href} {label}"):
            out.append((href, label))
    return out


def site_name(page_html: str) -> str | None:
    """The site's own name (``og:site_name``), for naming a company found from a URL."""
    tree = LexborHTMLParser(page_html)
    node = tree.css_first('meta[property="og:site_name"]')
    value = (node.attributes.get("content") or "").strip() if node else ""
    return value or None
