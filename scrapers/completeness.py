"""What proves a body is a whole document of its format.

Transfers get cut, and a server that builds its answer on the fly may declare the length it
managed to send, so a matching ``Content-Length`` proves nothing about the document. Each format
has its own proof, all of them about how the document ends:

- **JSON**: it parses (``Document.json``); a cut anywhere leaves it unparseable.
- **XML**: the root element's end tag closes it (:func:`xml_ends`). Strict parsers (Personio's
  defusedxml) find that themselves; feedparser repairs a cut feed silently, so feeds check it.
- **HTML**: the document closes ``</html>`` or ``</body>`` (:func:`html_ends`). HTML parsers
  repair anything, so only the end tells a cut page from a whole one. A page that omits both
  end tags (HTML allows it) cannot be proven whole and is treated as cut.

Whitespace and comments after the end are allowed (``<!-- served in 12 ms -->``).
"""

from __future__ import annotations

import re

_HTML_END = re.compile(r"</(?:html|body)\s*>\Z", re.IGNORECASE)
_XML_ROOT = re.compile(rb"<(?![?!/])([^\s/>]+)")
_EMPTY_ELEMENT = re.compile(rb"[^>]*/>")
TAIL = 4096  # how much of the end is examined: trailers are short


def _without_trailer(text: str) -> str:
    """``text`` without trailing whitespace and comments."""
    text = text.rstrip()
    while text.endswith("-->"):
        start = text.rfind("<!--")
        if start < 0:
            break
        text = text[:start].rstrip()
    return text


def html_ends(text: str) -> bool:
    """True when the HTML document closes ``</html>`` or ``</body>``."""
    return bool(_HTML_END.search(_without_trailer(text[-TAIL:])))


def xml_ends(body: bytes) -> bool:
    """True when the XML document ends with its root element's end tag, or its root is an
    empty element (``<workzag-jobs/>``)."""
    root = _XML_ROOT.search(body)
    if root is None:
        return False
    empty = _EMPTY_ELEMENT.match(body, root.end())
    if empty and not _without_trailer(body[empty.end() :].decode("utf-8", errors="replace")):
        return True
    name = re.escape(root.group(1).decode("utf-8", errors="replace"))
    tail = _without_trailer(body[-TAIL:].decode("utf-8", errors="replace"))
    return re.search(rf"</{name}\s*>\Z", tail) is not None
