"""HTML to plain text, with selectolax."""

from __future__ import annotations

import html
import re

from selectolax.lexbor import LexborHTMLParser as HTMLParser

_BLOCK_TAGS = "p, div, li, br, h1, h2, h3, h4, h5, h6, tr, ul, ol, section, article"
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u2009\u202f]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def html_to_text(markup: str | None) -> str:
    """Plain text of an HTML fragment: one line per block, whitespace folded."""
    if not markup:
        return ""
    tree = HTMLParser(markup)
    for node in tree.css("script, style"):
        node.decompose()
    for node in tree.css(_BLOCK_TAGS):
        node.insert_after("\n")
    root = tree.body or tree.root
    text = root.text(separator="") if root is not None else ""
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(line for line in lines if line)).strip()


def escaped_html_to_text(escaped: str | None) -> str:
    """Plain text of entity-escaped HTML (Greenhouse `content`): unescape exactly once."""
    if not escaped:
        return ""
    return html_to_text(html.unescape(escaped))


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def without_control_chars(text: str) -> str:
    """Text safe to store and publish: PostgreSQL refuses NUL, XML most control characters."""
    return _CONTROL.sub("", text)


def clean_title(title: str | None) -> str:
    return _SPACES.sub(" ", (title or "").replace("\n", " ")).strip()
