"""How a body proves itself whole: HTML and XML documents end, and each source's shape check
names an unexpected shape as such."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from scrapers.completeness import html_ends, xml_ends
from scrapers.errors import ParseError
from scrapers.sources import ashby, lever, personio, recruitee, workable
from scrapers.sources.shape import UNEXPECTED_SHAPE
from tests.conftest import FIXTURES, load_fixture


@pytest.mark.parametrize(
    ("text", "ends"),
    [
        ("<!doctype html><html><body><p>x</p></body></html>", True),
        ("<html><body>x</body></html>\n\n<!-- served in 3 ms -->\n<!-- cache: hit -->  ", True),
        ("<HTML><BODY>x</BODY >", True),  # </html> may be omitted once </body> closed
        ("<html><body>x</body></html><!-- unclosed comment", False),
        ("<html><body><ul><li>Role 1</li><li>Ro", False),
        ("<html><body>x</body></ht", False),
        ("", False),
        ("   \n", False),
    ],
)
def test_html_ends(text: str, ends: bool) -> None:
    assert html_ends(text) is ends


@pytest.mark.parametrize(
    ("body", "ends"),
    [
        (b'<?xml version="1.0"?>\n<!-- feed --><rss version="2.0"><channel/></rss>\n', True),
        (b'<?xml version="1.0"?><rss><channel><item><title>A', False),
        (b"<rss><channel></channel></rss>x", False),
        (b'<feed xmlns="http://www.w3.org/2005/Atom"><entry/></feed >', True),
        (b"<workzag-jobs/>\n", True),
        (b'<a href="1/2"><b/>', False),  # a slash in an attribute is not an empty root
        (b"", False),
    ],
)
def test_xml_ends(body: bytes, ends: bool) -> None:
    assert xml_ends(body) is ends


def test_the_shipped_fixtures_are_whole_documents() -> None:
    pages = sorted((FIXTURES / "jsonld").glob("*.html"))
    assert pages and all(html_ends(p.read_text(encoding="utf-8")) for p in pages)
    feeds = [*(FIXTURES / "feeds").glob("*.xml"), FIXTURES / "personio" / "acme_feed.xml"]
    assert all(xml_ends(p.read_bytes()) for p in feeds)


def _lever() -> Any:
    return load_fixture("lever", "postings.json")


# (parse, a body in another shape) for every kind whose parse is a pure function of one body.
CHANGED_SHAPES: list[tuple[str, Callable[[Any], Any], Any]] = [
    ("lever", lever.parse_postings, {"ok": False, "error": "Document not found"}),
    ("lever", lever.parse_postings, {"data": _lever()}),
    ("lever", lever.parse_postings, [{"id": "x", "title": "renamed from text"}]),
    ("ashby", ashby.parse_board, {"apiVersion": "2", "results": []}),
    ("ashby", ashby.parse_board, {"jobs": [{"id": "x", "isListed": False}]}),
    ("workable", workable.parse_account, {"name": "Acme", "positions": []}),
    ("workable", workable.parse_account, {"jobs": [{"code": "A1", "title": "t"}]}),
    ("recruitee", recruitee.parse_offers, {"jobs": []}),
    ("recruitee", recruitee.parse_offers, {"offers": [{"title": "no id"}]}),
    (
        "recruitee",
        recruitee.parse_offers,
        {
            "offers": [
                {**o, "status": "live"}
                for o in load_fixture("recruitee", "acme_offers.json")["offers"]
            ]
        },
    ),
    ("personio", personio.parse_feed, b"<jobs><job><id>1</id><name>x</name></job></jobs>"),
    ("personio", personio.parse_feed, b"<workzag-jobs><job><id>1</id></job></workzag-jobs>"),
    (
        "personio",
        personio.parse_feed,
        b"<workzag-jobs><position><id>1</id></position></workzag-jobs>",
    ),
]


@pytest.mark.parametrize(("kind", "parse", "body"), CHANGED_SHAPES)
def test_a_changed_shape_is_named(kind: str, parse: Callable[[Any], Any], body: Any) -> None:
    with pytest.raises(ParseError, match=f"^{kind}: {UNEXPECTED_SHAPE}: "):
        parse(body)


def test_well_formed_empty_listings_are_empty_boards() -> None:
    assert lever.parse_postings([]) == []
    assert ashby.parse_board({"apiVersion": "1", "jobs": []}) == []
    assert workable.parse_account({"name": "Acme", "jobs": []}) == []
    assert recruitee.parse_offers({"offers": []}) == []
    assert personio.parse_feed(b'<?xml version="1.0"?><workzag-jobs/>') == []
    # unlisted Ashby jobs are left out by design, not a changed shape
    listed = {"id": "a", "title": "Engineer", "isListed": False}
    assert ashby.parse_board({"jobs": [listed]}) == []
