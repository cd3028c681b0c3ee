"""Hacker News "Ask HN: Who is hiring?" (``ats = "hackernews"``, neither token nor url).

The newest thread of user ``whoishiring`` is found through the Firebase API; each top-level
comment is one company's post, loosely ``Company | Role | Location | REMOTE | pay``. One post may
list several roles: each becomes a posting ``{comment_id}-{n}``; a single role keeps
``{comment_id}``. The company comes from the comment, not from the watchlist.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

from scrapers.base import BoardState, api_root
from scrapers.errors import BoardNotFound, FetchError, ScrapeError
from scrapers.http import Fetcher
from scrapers.locations import (
    normalize_employment_type,
    normalize_workplace,
    split_locations,
    workplace_from_locations,
)
from scrapers.models import BoardConfig, BoardSnapshot, NormalizedPosting, Pay, Workplace
from scrapers.pay import parse_pay_text
from scrapers.text import clean_title, html_to_text
from scrapers.timestamps import parse_timestamp

ATS = "hackernews"
DEFAULT_API_BASE = "https://hacker-news.firebaseio.com"
ITEM_URL = "https://news.ycombinator.com/item?id={id}"
THREAD_TITLE = re.compile(r"^\s*Ask HN:\s*Who is hiring\?", re.IGNORECASE)
THREAD_CANDIDATES = 12  # the newest submissions examined when looking for the thread
ITEM_CONCURRENCY = 8

_ROLE_WORDS = re.compile(
    r"\b(engineer|engineers|developer|developers|scientist|researcher|designer|manager|"
    r"architect|analyst|lead|head of|director|sre|devops|intern|internship|recruiter|"
    r"programmer|specialist|consultant|technician|administrator|writer|marketer|cto|vp|"
    r"founding|staff|principal|product|data|ml|ai|frontend|front-end|backend|back-end|"
    r"full[- ]?stack|mobile|ios|android|security|qa|sales|account executive|support|"
    r"operations|ops|swe|mle|phd|hacker|generalist)\b",
    re.IGNORECASE,
)
_WORKPLACE_FIELD = re.compile(
    r"^\s*\(?\s*(remote|onsite|on-site|on site|in[- ]office|hybrid)\b[\s)/,&+a-z-]*$",
    re.IGNORECASE,
)
_EMPLOYMENT_FIELD = re.compile(
    r"^\s*(full[- ]?time|part[- ]?time|contract(or)?|intern(ship)?s?|freelance|ft|pt)\b"
    r"[\s,/&+a-z()-]*$", re.IGNORECASE,
)
_URL_FIELD = re.compile(r"^\s*(https?://\S+|www\.\S+|[\w-]+(\.[\w-]+)*\.[a-z]{2,}(/\S*)?)\s*$",
                        re.IGNORECASE)
_PAY_FIELD = re.compile(r"[$€£¥₹]|\b(USD|EUR|GBP|CAD|CHF|salary|equity|\d+\s?k)\b", re.IGNORECASE)
_VISA_FIELD = re.compile(r"\b(visa|sponsor|relocation|equity|benefits)\b", re.IGNORECASE)
_PARENTHESES = re.compile(r"\s*\([^)]*\)")
_BULLET = re.compile(r"^\s*(?:[-*•·]|\d+[.)])\s+")
_ROLE_SPLIT = re.compile(r"\s*(?:,|;|\s/\s|\s&\s|\sand\s)\s*", re.IGNORECASE)


def comment_text(item: dict[str, Any]) -> str:
    """Plain text of an HN item: HN writes bare ``<p>`` separators, made lines here."""
    return html_to_text(str(item.get("text") or "").replace("<p>", "\n<p>"))


def _fields(header: str) -> list[str]:
    fields = [f.strip() for f in header.split("|")]
    if len(fields) < 2:
        fields = [f.strip() for f in re.split(r"\s+[-\u2013\u2014]\s+", header)]
    return [f for f in fields if f]


def _split_roles(field: str) -> list[str]:
    pieces = [p.strip(" .") for p in _ROLE_SPLIT.split(field) if p.strip(" .")]
    if len(pieces) > 1 and all(_ROLE_WORDS.search(p) for p in pieces):
        return pieces
    return [field.strip()]


def _body_roles(lines: list[str]) -> list[str]:
    """Short bullet lines naming a role ("- Senior Backend Engineer (Go)")."""
    roles = []
    for line in lines:
        if _BULLET.match(line):
            text = _BULLET.sub("", line).strip()
            if len(text) <= 80 and _ROLE_WORDS.search(text) and not _PAY_FIELD.search(text):
                roles.append(text.rstrip(":"))
    return roles[:20]


class _Header:
    """The ``|``-separated first line of a post, sorted into what each field looks like."""

    def __init__(self, header: str) -> None:
        self.company = ""
        self.roles: list[str] = []
        self.locations: list[str] = []
        self.workplace: Workplace | None = None
        self.employment: str | None = None
        self.pay: Pay | None = None
        fields = _fields(header)
        if fields:
            self.company = _PARENTHESES.sub("", fields[0]).strip(" -:,\u2013\u2014") or fields[0]
        self.leftovers: list[str] = []  # fields of unknown kind: places, or else the role
        for field in fields[1:]:
            self._sort(field)

    def finish(self, body_roles: list[str]) -> list[str]:
        """The roles (from the header, else the body's bullets, else the first unknown field);
        the remaining unknown fields are places."""
        roles = self.roles or body_roles
        if not roles and self.leftovers:
            roles = _split_roles(self.leftovers.pop(0))
        for field in self.leftovers:
            self.locations.extend(split_locations(field))
        self.leftovers = []
        return roles

    def _sort(self, field: str) -> None:
        if _WORKPLACE_FIELD.match(field):
            self.workplace = self.workplace or normalize_workplace(field)
        elif _EMPLOYMENT_FIELD.match(field):
            self.employment = self.employment or field
        elif _URL_FIELD.match(field):
            pass
        elif _PAY_FIELD.search(field) and (pay := parse_pay_text(field)) is not None:
            self.pay = self.pay or pay
        elif _PAY_FIELD.search(field) or _VISA_FIELD.search(field):
            pass  # "Equity", "Visa sponsorship": not a role, not a place
        elif re.search(r"\bremote\b", field, re.IGNORECASE):
            self.locations.extend(split_locations(field))  # "Remote (US)", "NYC or Remote"
        elif _ROLE_WORDS.search(field) and not self.roles:
            self.roles = _split_roles(field)
        else:
            self.leftovers.append(field)


def parse_comment(item: dict[str, Any]) -> list[NormalizedPosting]:
    """Pure: one top-level comment → its postings (none for deleted, dead or unstructured)."""
    if not isinstance(item, dict) or item.get("deleted") or item.get("dead") \
            or item.get("id") is None or not item.get("text"):
        return []
    text = comment_text(item)
    lines = [line for line in text.split("\n") if line.strip()]
    if not lines or ("|" not in lines[0] and len(_fields(lines[0])) < 3):
        return []
    header = _Header(lines[0])
    roles = header.finish(_body_roles(lines[1:]))
    if not header.company or not roles:
        return []
    locations = list(dict.fromkeys(header.locations))
    workplace = header.workplace or workplace_from_locations(locations)
    employment = normalize_employment_type(header.employment) or normalize_employment_type(
        lines[0])
    pay = header.pay or parse_pay_text(text)
    comment_id = str(item["id"])
    postings = []
    for number, role in enumerate(dict.fromkeys(roles), start=1):
        postings.append(NormalizedPosting(
            external_id=comment_id if len(roles) == 1 else f"{comment_id}-{number}",
            title=clean_title(role)[:300],
            url=ITEM_URL.format(id=comment_id),
            locations=tuple(locations),
            workplace=workplace,
            employment_type=employment,
            pay=pay,
            description=text,
            posted_at=parse_timestamp(item.get("time")),
            company=header.company[:200],
        ))
    return postings


def parse_job_item(item: dict[str, Any]) -> list[NormalizedPosting]:
    """Pure: an HN ``job`` item (a YC company's ad) → one posting titled by the ad."""
    if not isinstance(item, dict) or item.get("deleted") or item.get("dead") \
            or item.get("type") != "job" or not item.get("title"):
        return []
    text = comment_text(item)
    return [NormalizedPosting(
        external_id=str(item["id"]),
        title=clean_title(item["title"]),
        url=item.get("url") or ITEM_URL.format(id=item["id"]),
        workplace=workplace_from_locations([text]) if re.search(r"\bremote\b", text, re.I)
        else None,
        pay=parse_pay_text(text),
        description=text,
        posted_at=parse_timestamp(item.get("time")),
    )]


def parse_item(item: Any) -> list[NormalizedPosting]:
    """Any single item: comments and job ads yield postings, stories and polls none."""
    if not isinstance(item, dict):
        return []
    if item.get("type") == "job":
        return parse_job_item(item)
    if item.get("type") == "comment":
        return parse_comment(item)
    return []


def parse_thread(thread: dict[str, Any], comments: list[Any]) -> list[NormalizedPosting]:
    """Pure: the thread item and its fetched kids → postings from top-level comments only."""
    postings: list[NormalizedPosting] = []
    for item in comments:
        if isinstance(item, dict) and item.get("parent") == thread.get("id") \
                and item.get("type", "comment") == "comment":
            postings.extend(parse_comment(item))
    return postings


class HackerNewsScraper:
    ats = ATS
    default_api_base = DEFAULT_API_BASE

    def validate(self, board: BoardConfig) -> str | None:
        return None

    def _item_url(self, board: BoardConfig, item_id: Any) -> str:
        return f"{api_root(board, DEFAULT_API_BASE)}/v0/item/{item_id}.json"

    async def find_thread(self, board: BoardConfig, fetcher: Fetcher) -> dict[str, Any]:
        user, _ = await fetcher.get_json(f"{api_root(board, DEFAULT_API_BASE)}"
                                         f"/v0/user/whoishiring.json")
        if not isinstance(user, dict):  # Firebase answers `null` for an unknown user
            raise BoardNotFound("user whoishiring not found")
        for item_id in (user.get("submitted") or [])[:THREAD_CANDIDATES]:
            item, _ = await fetcher.get_json(self._item_url(board, item_id))
            if isinstance(item, dict) and THREAD_TITLE.match(str(item.get("title") or "")) \
                    and not item.get("deleted") and not item.get("dead"):
                return item
        raise FetchError("no 'Ask HN: Who is hiring?' thread among whoishiring's newest "
                         f"{THREAD_CANDIDATES} submissions")

    async def fetch(self, board: BoardConfig, fetcher: Fetcher, state: BoardState) -> BoardSnapshot:
        thread = await self.find_thread(board, fetcher)
        kids = [k for k in thread.get("kids") or [] if isinstance(k, int)]
        limit = asyncio.Semaphore(ITEM_CONCURRENCY)
        warnings: list[str] = []

        async def load(item_id: int) -> Any:
            async with limit:
                try:
                    item, _ = await fetcher.get_json(self._item_url(board, item_id))
                    return item
                except ScrapeError as exc:
                    warnings.append(f"item {item_id}: {exc}")
                    return None

        comments = await asyncio.gather(*(load(k) for k in kids))
        postings = parse_thread(thread, list(comments))
        return BoardSnapshot(board=board, postings=tuple(postings), complete=not warnings,
                             warnings=(f"thread {thread.get('id')}", *warnings)
                             if warnings else ())
