"""Hacker News "Ask HN: Who is hiring?" (``ats = "hackernews"``, neither token nor url).

The newest thread of user ``whoishiring`` is found through the Firebase API; each top-level
comment is one company's post, loosely ``Company | Role | Location | REMOTE | pay``. One post may
list several roles: each becomes a posting ``{comment_id}-{n}``; a single role keeps
``{comment_id}``. The company comes from the comment, not from the watchlist.

Completeness: every kid of the thread was fetched and parsed as JSON; a kid that fails makes the
snapshot partial. Shape: the user is an object with a `submitted` list, and every item (thread
or comment) is an object with `id` and `type`; Firebase's `null` for an item that does not exist
is no item, anything else is ``unexpected response shape``.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

from scrapers.errors import BoardNotFound, FetchError
from scrapers.http import Fetcher, gather_partial
from scrapers.models import BoardConfig, BoardSnapshot, NormalizedPosting, Workplace
from scrapers.normalize.locations import (
    normalize_employment_type,
    normalize_workplace,
    workplace_from_locations,
)
from scrapers.normalize.text import clean_title, html_to_text
from scrapers.normalize.timestamps import parse_timestamp
from scrapers.sources import hackernews_fields as fields
from scrapers.sources.base import BoardSpec, BoardState, SpecChecked, api_root
from scrapers.sources.shape import require_item, require_list, shape_error

ATS = "hackernews"
DEFAULT_API_BASE = "https://hacker-news.firebaseio.com"
ITEM_URL = "https://news.ycombinator.com/item?id={id}"
THREAD_TITLE = re.compile(r"^\s*Ask HN:\s*Who is hiring\?", re.IGNORECASE)
THREAD_CANDIDATES = 12  # the newest submissions examined when looking for the thread
ITEM_CONCURRENCY = 8
COMPANY_OR_CITY_POPULATION = 100_000  # a field that may name a company is a place from here


def comment_text(item: dict[str, Any]) -> str:
    """Plain text of an HN item: HN writes bare ``<p>`` separators, made lines here. Entities
    are decoded once, by the HTML parser ("&amp;amp;" stays "&amp;")."""
    return html_to_text(str(item.get("text") or "").replace("<p>", "\n<p>"))


def _header_lines(company: str, lines: list[str]) -> int:
    """How many leading lines are headers: some posts give one ``Company | Role | …`` line per
    role."""
    count = 1
    while (
        count < len(lines)
        and company
        and re.match(rf"^\s*{re.escape(company)}\s*\|", lines[count], re.IGNORECASE)
    ):
        count += 1
    return count


def _continues_header(lines: list[str]) -> bool:
    """Whether the second line is more of the first line's ``|`` fields: short fields, none
    of them a sentence, and no third such line."""
    if len(lines) < 2 or "|" not in lines[1] or len(lines[1]) > 160:
        return False
    if len(lines) > 2 and "|" in lines[2]:
        return False  # one "Role | terms" line per role, not one header
    parts = [p.strip() for p in lines[1].split("|")]
    return all(p and len(p.split()) <= 8 and not p.endswith(".") for p in parts)


def _company_from_body(text: str) -> str | None:
    """ "Trainline is Europe's largest…" when the header starts with the role instead; "I'm a
    recruiter at Etsy"; "Hi all - Stephanie from Kubecost!"."""
    greeting = re.match(
        r"(?:hi|hello|hey)\b[^.!?\n]{0,40}?\bfrom\s+([A-Z][\w.&'-]*)", text, re.IGNORECASE
    )
    if greeting:
        return greeting.group(1)
    match = re.search(
        r"(?:^|\n)((?:[A-Z][\w.&'-]*)(?:[ \t]+[A-Z][\w.&'-]*){0,3})"  # a name within one line
        r"(?:\s+\([^)\n]*\))?\s+(?:is|are|builds|helps|makes|sells|was)\s",
        text,
    )
    if match and match.group(1).lower() not in {
        "we",
        "our",
        "you",
        "they",
        "it",
        "this",
        "i",
        "what",
        "who",
        "here",
        "there",
        "that",
    }:
        return match.group(1)
    match = re.search(
        r"\bI(?:'m|\u2019m| am)\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){1,4}?at\s+"
        r"([A-Z][\w.&'-]*(?:\s+[A-Z][\w.&'-]*){0,2})",
        text,
    )
    return match.group(1).rstrip(".") if match else None


def _company_field(line: str) -> str | None:
    """ "Next.js Developer | Boo (boo.world) | Fully remote": the short name after the role."""
    names = fields.header_fields(line)[0][1:]
    for name in names[:2]:
        name = fields.company_name(name)
        if (
            0 < len(name.split()) <= 3
            and name[:1].isupper()
            and not fields.is_role(name)
            and not fields.WORKPLACE.search(name)
            and not fields.is_employment(name)  # "Full-time" names the terms, not who hires
            and not fields.is_discipline(name)
            # "Backend Engineer | Paderborn | Acme"; a name is a company before a small town
            # ("Boo" is one in Sweden)
            and not fields.is_gazetteer_place(name, COMPANY_OR_CITY_POPULATION)
        ):
            return name
    return None


# A header field about the terms of work, not a role: "Volunteer/unpaid position".
_TERMS_FIELD = re.compile(r"\b(?:volunteer|unpaid|paid)\b", re.I)


def _roles(header: fields.Header, body: list[str]) -> list[str]:
    """The header's roles, else the body's role list, else a header field right after the
    company that names a kind of engineer ("Backend, Fullstack, or Android"), else the role the
    prose names. A field that is merely no place, workplace or term ("ROBOTICS", "(3+ YoE)",
    a tagline) names no role."""
    if header.roles:
        return header.roles
    listed = fields.body_roles(body) or fields.addressed_roles("\n".join(body))
    if listed:
        return listed
    first = [
        t
        for position, t in header.others
        if position <= 2
        and not header.generic_roles
        and not re.search(r"\b(?:remote|hybrid|onsite|on-site)\b", t, re.I)
        and len(t.split()) <= 6
        and ":" not in t
        and not fields.is_department(t)
        and not _TERMS_FIELD.search(t)
        and not t[:1].isdigit()
        and (fields.ROLE_WORD.search(t) or fields.names_discipline(t))
    ]
    if first:
        return fields.split_roles(first[0])
    return fields.prose_roles("\n".join(body))


_WORKPLACES: tuple[tuple[Workplace, re.Pattern[str]], ...] = (
    ("hybrid", re.compile(r"\bhybrid\b", re.I)),
    ("remote", re.compile(r"(?<!not )(?<!no )(?<!non-)\bremote\b", re.I)),
    (
        "onsite",
        re.compile(r"\b(?:on-?site|on site|in[- ]office|in[- ]person|office based)\b", re.I),
    ),
)


def _workplace(texts: list[str]) -> Workplace | None:
    """Hybrid when any header field offers it, else remote, else onsite."""
    found = {normalize_workplace(t) for t in texts}
    for workplace, pattern in _WORKPLACES:
        if workplace in found or any(pattern.search(t) for t in texts):
            return workplace
    return None


_HIRING_SENTENCE = re.compile(
    r"^(?:The\s+(?:[\w-]+\s+){0,4}?(?:team|group)\s+at\s+)?"  # "The data team at Acme is…"
    r"((?:[A-Z0-9][\w.&'-]*)(?:\s+[A-Z0-9][\w.&'-]*){0,3})(?:\s+\([^)]*\))?\s+(?:is|are)\s+"
    r"(?:\w+ly\s+)?(?:hiring|looking\s+for|seeking)\b"  # "SeatGeek is actively hiring"
)


def _unstructured(item: dict[str, Any], text: str, first: str) -> list[NormalizedPosting]:
    """A post with no header that opens "SiteZeus is hiring a Machine Learning Engineer…"."""
    match = _HIRING_SENTENCE.match(first)
    roles = fields.prose_roles(first) if match else []
    company = match.group(1) if match else None
    titled = re.sub(
        r"\s+(?:opportunity|position|opening|vacancy|role)\s*[!.]?$", "", first, flags=re.I
    )
    if not roles and titled != first and fields.is_role(titled) and len(titled.split()) <= 8:
        company = _company_from_body(text)  # "Site Reliability Engineer Opportunity", then prose
        roles = [titled] if company else []
    if not roles:  # "Lively is revolutionizing hearing care. … We are hiring: - A - B"
        company = _company_from_body(text)
        body = [line for line in text.split("\n") if line.strip()][1:]
        roles = fields.body_roles(body) or fields.prose_roles("\n".join(body)) if company else []
    if not company or not roles:
        return []
    header = fields.Header(company=company, roles=roles)
    header.workplace_text = (
        [first] if re.search(r"\b(?:remote|hybrid|onsite)\b", first, re.I) else []
    )
    return _postings(item, text, header, roles, first)


_SITE = re.compile(r"https?://|www\.|\b[\w-]+\.(?:com|io|ai|co|org|net|dev|app)\b", re.I)
_GREETING = re.compile(r"^(?:hi|hello|hey|greetings)\b", re.IGNORECASE)


# "Company: Jukebox Health" / "Job title: …" / "Location: …": a header written as labelled
# lines, read as the fields of a piped one.
_LABELLED_FIELD = re.compile(r"^\s*([A-Za-z][A-Za-z ]{1,24}?)\s*:\s*(\S.*)$")
_LABEL_ORDER = (
    ("company",),
    ("job title", "title", "position", "positions", "role", "roles", "open roles"),
    ("location", "locations", "office"),
    ("remote", "workplace", "work mode"),
    ("type", "role type", "job type", "employment", "employment type", "contract"),
    ("salary", "salary range", "compensation", "pay", "comp"),
)


def _labelled_header(lines: list[str]) -> tuple[str, int] | None:
    """The piped header a comment's opening "Label: value" lines amount to, and how many
    lines they take; None unless the first one names the company."""
    values: dict[str, str] = {}
    taken = 0
    for line in lines:
        match = _LABELLED_FIELD.match(line)
        if match is None:
            break
        values.setdefault(match[1].strip().lower(), match[2].strip())
        taken += 1
    if "company" not in values or taken < 2:
        return None
    fields_ = [next((values[k] for k in keys if k in values), "") for keys in _LABEL_ORDER]
    if values.get("remote", "").lower().startswith("no"):
        fields_[3] = ""  # "Remote: No (NL-based)"
    return " | ".join(f for f in fields_ if f), taken


def parse_comment(item: dict[str, Any]) -> list[NormalizedPosting]:
    """Pure: one top-level comment → its postings (none for deleted, dead or unstructured)."""
    if (
        not isinstance(item, dict)
        or item.get("deleted")
        or item.get("dead")
        or item.get("id") is None
        or not item.get("text")
    ):
        return []
    text = comment_text(item)
    lines = [line for line in text.split("\n") if line.strip()]
    if not lines:
        return []
    labelled = _labelled_header(lines)
    if labelled is not None:
        lines = [labelled[0], *lines[labelled[1] :]]
    header = fields.read_header(lines[0])
    if (
        header.field_count < 2
        or (not header.piped and len(header.company.split()) > 6)
        or _GREETING.match(header.company)
    ):
        return _unstructured(item, text, lines[0])
    extra = _header_lines(header.company, lines)
    if header.piped and not header.roles and extra == 1 and _continues_header(lines):
        # "Tracebit | London, UK | Full-Time | ONSITE" then "Founding Engineer | £70-100k":
        # one header written over two lines
        header = fields.read_header(f"{lines[0]} | {lines[1]}")
        lines = [f"{lines[0]} | {lines[1]}", *lines[2:]]
    for line in lines[1:extra]:
        header.roles.extend(fields.read_header(line).roles)
    if header.roles:  # one "Company | Role | …" block per role, prose between them
        for line in lines[extra:]:
            if re.match(rf"^\s*{re.escape(header.company)}\s*\|", line, re.IGNORECASE):
                header.roles.extend(fields.read_header(line).roles)
    named = fields.header_fields(lines[0])[0][0]
    if (
        fields.is_role(header.company) and not header.roles and not _SITE.search(named)
    ):  # a field citing its site is a company: "ROAS Expert
        # (roasexpert.com)"
        header.roles = fields.split_roles(header.company)
        header.company = _company_from_body("\n".join(lines[1:])) or _company_field(lines[0]) or ""
    roles = _roles(header, lines[extra:])
    if not header.company or not roles:
        return []
    return _postings(item, text, header, roles, lines[0])


# Words before a title that are no part of it: an article the prose gave ("hire the Senior
# SRE") or the terms ("full-time go interns").
_LEADING_WORDS = re.compile(
    r"^(?:(?:the|an?|our)\s+|(?:full|part)[- ]?time\s+(?=\S+\s+\S))+", re.IGNORECASE
)

# "Sr Software Engineer - NEW AI Agent Deployed Services Team": the team is no part of the title.
_TEAM_SUFFIX = re.compile(r"\s+[-\u2013\u2014]\s+(?:\S+\s+){0,6}(?:team|squad)\s*$", re.IGNORECASE)


# "Staff Software Engineer →": an arrow pointing at a link is no part of the title.
_TRAILING_ARROW = re.compile(r"(?:\s*(?:[\u2190-\u21ff\u27f5-\u27ff\u00bb\u203a]|->|=>))+\s*$")


def _postings(
    item: dict[str, Any], text: str, header: fields.Header, roles: list[str], first: str
) -> list[NormalizedPosting]:
    locations = list(dict.fromkeys(header.places))
    workplace = _workplace(header.workplace_text) or workplace_from_locations(locations)
    employment = normalize_employment_type(
        " ".join(header.employment_text)
    ) or normalize_employment_type(first)
    pay_text = (*header.pay_text, text)  # the header's pay fields win over the body
    comment_id = str(item["id"])
    # "Senior Engineer - Rotterdam": the place a role line names is no part of the title
    titles = list(
        dict.fromkeys(
            # "##CTO": a Markdown heading's marks are no part of the title
            clean_title(
                _TEAM_SUFFIX.sub(
                    "",
                    _LEADING_WORDS.sub(
                        "",
                        fields.peel_terms(
                            fields.peel_places(_TRAILING_ARROW.sub("", r.lstrip("# ")))[0]
                        )[0],
                    ),
                )
            )[:300]
            for r in roles
        )
    )
    return [
        NormalizedPosting(
            external_id=comment_id if len(titles) == 1 else f"{comment_id}-{number}",
            title=title,
            url=ITEM_URL.format(id=comment_id),
            locations=tuple(locations),
            workplace=workplace,
            employment_type=employment,
            pay_text=pay_text,
            description=text,
            posted_at=parse_timestamp(item.get("time")),
            company=header.company[:200],
        )
        for number, title in enumerate(titles, start=1)
    ]


def parse_job_item(item: dict[str, Any]) -> list[NormalizedPosting]:
    """Pure: an HN ``job`` item (a YC company's ad) → one posting titled by the ad."""
    if (
        not isinstance(item, dict)
        or item.get("deleted")
        or item.get("dead")
        or item.get("type") != "job"
        or not item.get("title")
    ):
        return []
    text = comment_text(item)
    return [
        NormalizedPosting(
            external_id=str(item["id"]),
            title=clean_title(item["title"]),
            url=item.get("url") or ITEM_URL.format(id=item["id"]),
            workplace=workplace_from_locations([text])
            if re.search(r"\bremote\b", text, re.I)
            else None,
            pay_text=(text,),
            description=text,
            posted_at=parse_timestamp(item.get("time")),
        )
    ]


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
        if (
            isinstance(item, dict)
            and item.get("parent") == thread.get("id")
            and item.get("type", "comment") == "comment"
        ):
            postings.extend(parse_comment(item))
    return postings


def _checked(item: Any) -> dict[str, Any] | None:
    """A Firebase item as fetched: None for `null` (no such item), else an object with `id`
    and `type`."""
    return None if item is None else require_item(item, ("id", "type"), ATS, "item")


class HackerNewsScraper(SpecChecked):
    ats = ATS
    spec = BoardSpec(None)

    def _item_url(self, board: BoardConfig, item_id: Any) -> str:
        return f"{api_root(board, DEFAULT_API_BASE)}/v0/item/{item_id}.json"

    async def find_thread(self, board: BoardConfig, fetcher: Fetcher) -> dict[str, Any]:
        user, _ = await fetcher.get_json(
            f"{api_root(board, DEFAULT_API_BASE)}/v0/user/whoishiring.json"
        )
        if user is None:  # Firebase answers `null` for an unknown user
            raise BoardNotFound("user whoishiring not found")
        for item_id in require_list(user, "submitted", ATS)[:THREAD_CANDIDATES]:
            item = await self._item(board, fetcher, item_id)
            if (
                item is not None
                and THREAD_TITLE.match(str(item.get("title") or ""))
                and not item.get("deleted")
                and not item.get("dead")
            ):
                return item
        raise FetchError(
            "no 'Ask HN: Who is hiring?' thread among whoishiring's newest "
            f"{THREAD_CANDIDATES} submissions"
        )

    async def _item(
        self, board: BoardConfig, fetcher: Fetcher, item_id: Any
    ) -> dict[str, Any] | None:
        """One Firebase item; None when it does not exist."""
        item, _ = await fetcher.get_json(self._item_url(board, item_id))
        return _checked(item)

    async def fetch(self, board: BoardConfig, fetcher: Fetcher, state: BoardState) -> BoardSnapshot:
        thread = await self.find_thread(board, fetcher)
        kids = thread.get("kids", [])
        if not isinstance(kids, list):
            raise shape_error(ATS, f"thread `kids` is not a list: {str(kids)[:200]}")
        limit = asyncio.Semaphore(ITEM_CONCURRENCY)

        async def load(item_id: int) -> Any:
            async with limit:
                item, _ = await fetcher.get_json(self._item_url(board, item_id))
                return item

        loaded, warnings = await gather_partial(
            ((f"item {k}", load(k)) for k in kids if isinstance(k, int)),
            warning="{label}: {error}",
        )
        # Checked after the gather: a failed request makes the run partial, a changed shape
        # makes it fail.
        comments = [item for item in map(_checked, loaded) if item is not None]
        postings = parse_thread(thread, comments)
        return BoardSnapshot(
            board=board,
            postings=tuple(postings),
            complete=not warnings,
            warnings=(f"thread {thread.get('id')}", *warnings) if warnings else (),
        )
