"""The OpenAPI document, completed with what only the running installation knows.

The function and seniority filters accept the slugs of the configured taxonomy, which can be
replaced (``TALENTFLOW_TAXONOMY_FILE``) and is re-read when it changes; so they are declared
with a marker, and every time the document is served the marker becomes the current list.
"""

from __future__ import annotations

import copy
from typing import Any

from fastapi import FastAPI

from scrapers.enrich.topics import TaxonomyError, taxonomy_at
from service.settings import Settings

TAXONOMY_ENUM = "x-talentflow-taxonomy"


def _slugs(settings: Settings) -> dict[str, list[str]] | None:
    try:
        taxonomy = taxonomy_at(settings.taxonomy_file)
    except TaxonomyError:
        return None  # the routes answer 503 then; the document still says "a string"
    return {"function": taxonomy.function_slugs, "seniority": taxonomy.seniority_slugs}


def _fill(node: Any, slugs: dict[str, list[str]] | None) -> None:
    if isinstance(node, dict):
        which = node.pop(TAXONOMY_ENUM, None)
        if which is not None and slugs is not None:
            node["enum"] = list(slugs[which])
        for value in node.values():
            _fill(value, slugs)
    elif isinstance(node, list):
        for value in node:
            _fill(value, slugs)


def install(app: FastAPI, settings: Settings) -> None:
    """Serve the document with the taxonomy's slugs in place of the markers."""
    generate = app.openapi  # FastAPI's, which builds the document once and keeps it

    def openapi() -> dict[str, Any]:
        document = copy.deepcopy(generate())
        _fill(document, _slugs(settings))
        return document

    app.openapi = openapi  # type: ignore[method-assign]
