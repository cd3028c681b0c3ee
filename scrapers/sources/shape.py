"""Shape checks: is a response the source's own, or has its shape changed?

Every source states two rules in its module docstring:

- **completeness**: what proves the response whole (JSON that parses, XML whose root closes, an
  HTML page that ends, totals that agree; see ``scrapers/completeness.py``);
- **shape**: the keys or elements a body must carry to be the source's.

A body that parses but is not the source's shape (a key renamed, elements without their id, a
non-empty body the parser finds nothing in) raises :func:`shape_error`: a ``ParseError`` whose
message says ``unexpected response shape``, so the run is ``failed`` and nothing can close. A
well-formed empty listing (Lever ``[]``, Ashby ``{"jobs": []}``) is not a shape error: it is an
empty board, which the store's empty-board guard handles.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from scrapers.errors import ParseError

UNEXPECTED_SHAPE = "unexpected response shape"


def shape_error(source: str, problem: str) -> ParseError:
    """``ParseError("{source}: unexpected response shape: {problem}")``."""
    return ParseError(f"{source}: {UNEXPECTED_SHAPE}: {problem}")


def _excerpt(value: Any) -> str:
    return str(value)[:200]


def require_list(payload: Any, key: str | None, source: str) -> list[Any]:
    """``payload[key]`` as a list (``payload`` itself when ``key`` is None), else a shape
    error naming what was there instead."""
    if key is None:
        if not isinstance(payload, list):
            raise shape_error(source, f"expected a JSON array, got {type(payload).__name__}")
        return payload
    if not isinstance(payload, dict):
        raise shape_error(source, f"expected an object with `{key}`, got {type(payload).__name__}")
    value = payload.get(key)
    if not isinstance(value, list):
        keys = ", ".join(f"`{k}`" for k in list(payload)[:8]) or "none"
        raise shape_error(source, f"no `{key}` list (keys: {keys})")
    return value


def require_item(item: Any, keys: Iterable[str], source: str, what: str) -> dict[str, Any]:
    """``item`` when it is an object whose ``keys`` are all present and non-empty, else a shape
    error naming the first missing key."""
    if not isinstance(item, dict):
        raise shape_error(source, f"{what} is not an object: {_excerpt(item)}")
    for key in keys:
        if item.get(key) in (None, "", [], {}):
            raise shape_error(source, f"{what} without `{key}`: {_excerpt(item)}")
    return item
