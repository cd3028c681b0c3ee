"""Personio XML feed: ``GET https://{sub}.jobs.personio.de/xml?language=en``.

``api_base`` replaces ``https://{sub}.jobs.personio.de``. The feed is parsed with defusedxml so
entity-expansion and external-entity tricks in a hostile feed are refused.

Completeness: the one feed is the whole board, proven whole by parsing strictly: a cut feed
leaves its root unclosed, which the parser refuses (XML's own rules make bad bytes fatal too,
so nothing is decoded with replacement). Shape: the root is ``<workzag-jobs>``, every
``<position>`` has ``<id>`` and ``<name>``; a root with children but no ``<position>`` is
``unexpected response shape``, ``<workzag-jobs/>`` an empty board.
"""

from __future__ import annotations

from dataclasses import replace
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError as XmlParseError
from defusedxml.ElementTree import fromstring

from scrapers.errors import ParseError
from scrapers.http import Fetcher
from scrapers.models import BoardConfig, BoardSnapshot, EmploymentType, NormalizedPosting
from scrapers.normalize.locations import normalize_employment_type, workplace_from_locations
from scrapers.normalize.text import clean_title, html_to_text
from scrapers.normalize.timestamps import parse_timestamp
from scrapers.sources.base import BoardSpec, BoardState, SpecChecked
from scrapers.sources.shape import shape_error

ATS = "personio"
DEFAULT_API_BASE = "https://{token}.jobs.personio.de"


def _text(element: Element | None, tag: str) -> str | None:
    child = element.find(tag) if element is not None else None
    value = (child.text or "").strip() if child is not None else ""
    return value or None


def _employment_type(position: Element) -> EmploymentType | None:
    kind = normalize_employment_type(_text(position, "employmentType"))
    schedule = normalize_employment_type(_text(position, "schedule"))
    if kind in (None, "full_time") and schedule == "part_time":
        return "part_time"
    return kind or schedule


def _description(position: Element) -> str:
    sections = []
    for item in position.findall("jobDescriptions/jobDescription"):
        name, body = _text(item, "name"), html_to_text(_text(item, "value"))
        if body:
            sections.append(f"{name}\n{body}" if name else body)
    return "\n\n".join(sections)


def parse_position(position: Element, public_root: str | None = None) -> NormalizedPosting:
    job_id, title = _text(position, "id"), _text(position, "name")
    if not job_id or not title:
        raise shape_error(ATS, "<position> without <id>/<name>")
    offices = [
        _text(position, "office"),
        *(_text(o, ".") for o in position.findall("additionalOffices/office")),
    ]
    locations = list(dict.fromkeys(o for o in offices if o))
    description = _description(position)
    return NormalizedPosting(
        external_id=job_id,
        title=clean_title(title),
        url=f"{public_root}/job/{job_id}" if public_root else None,
        team=_text(position, "recruitingCategory"),
        department=_text(position, "department"),
        locations=tuple(locations),
        workplace=workplace_from_locations(locations),
        employment_type=_employment_type(position),
        pay_text=(description,),
        description=description,
        posted_at=parse_timestamp(_text(position, "createdAt")),
    )


def parse_feed(body: bytes | str, public_root: str | None = None) -> list[NormalizedPosting]:
    """Pure: the XML feed → postings. A position listed twice (same id) is one posting, its
    offices merged."""
    try:
        root = fromstring(body)
    except (XmlParseError, DefusedXmlException, ValueError) as exc:
        raise ParseError(f"personio feed is not well-formed XML ({exc})") from exc
    if root.tag != "workzag-jobs":
        raise shape_error(ATS, f"feed root is <{root.tag}>, expected <workzag-jobs>")
    postings: dict[str, NormalizedPosting] = {}
    positions = root.findall("position")
    if len(root) and not positions:
        raise shape_error(ATS, f"<{root[0].tag}> in <workzag-jobs>, no <position>")
    for position in positions:
        posting = parse_position(position, public_root)
        seen = postings.get(posting.external_id)
        if seen is not None:
            merged = tuple(dict.fromkeys((*seen.locations, *posting.locations)))
            posting = replace(seen, locations=merged)
        postings[posting.external_id] = posting
    return list(postings.values())


class PersonioScraper(SpecChecked):
    ats = ATS
    spec = BoardSpec("token", "the company subdomain")

    def public_root(self, board: BoardConfig) -> str:
        return DEFAULT_API_BASE.format(token=board.token)

    def feed_url(self, board: BoardConfig) -> str:
        return f"{(board.api_base or self.public_root(board)).rstrip('/')}/xml"

    async def fetch(self, board: BoardConfig, fetcher: Fetcher, state: BoardState) -> BoardSnapshot:
        url = self.feed_url(board)
        document = await fetcher.get_document(
            url, accept="application/xml, text/xml", params={"language": "en"}
        )
        postings = parse_feed(document.content, self.public_root(board))
        return BoardSnapshot(board=board, postings=tuple(postings))
