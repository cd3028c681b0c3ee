"""Board tokens a company name (or its web domain) is likely to use."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urlsplit

# Legal forms dropped before a name becomes a token ("Acme, Inc." → "acme").
LEGAL_SUFFIXES = frozenset(
    {
        "inc",
        "incorporated",
        "llc",
        "ltd",
        "limited",
        "gmbh",
        "ag",
        "sa",
        "sas",
        "bv",
        "nv",
        "plc",
        "corp",
        "corporation",
        "co",
        "company",
        "holdings",
        "group",
        "srl",
        "oy",
        "ab",
        "as",
    }
)
# Words companies often leave out of their token ("Figure AI" → "figure").
SOFT_SUFFIXES = frozenset(
    {
        "ai",
        "labs",
        "lab",
        "technologies",
        "technology",
        "tech",
        "software",
        "robotics",
        "hq",
        "io",
        "app",
        "systems",
        "inc",
    }
)
MAX_SLUGS = 5


@dataclass(frozen=True)
class Slug:
    token: str
    kind: str  # "name" (the whole name), "variant" (spelled another way), "short", "domain"


def words(name: str) -> list[str]:
    """Lower-case ASCII words of a name, accents folded, ``&`` read as "and"."""
    folded = unicodedata.normalize("NFKD", name.replace("&", " and "))
    ascii_name = folded.encode("ascii", "ignore").decode("ascii").lower()
    return re.findall(r"[a-z0-9]+", ascii_name)


def name_slugs(name: str) -> list[Slug]:
    """Tokens to try for a company name, most likely first."""
    all_words = words(name)
    core = list(all_words)
    while len(core) > 1 and core[-1] in LEGAL_SUFFIXES:
        core.pop()
    if not core:
        return []
    out: dict[str, Slug] = {}

    def add(token: str, kind: str) -> None:
        if len(token) >= 2 and token not in out:
            out[token] = Slug(token, kind)

    add("".join(core), "name")
    if len(core) > 1:
        add("-".join(core), "variant")
        short = list(core)
        while len(short) > 1 and short[-1] in SOFT_SUFFIXES:
            short.pop()
        if short != core:
            add("".join(short), "short")
            if len(short) > 1:
                add("-".join(short), "short")
        if len(core[0]) >= 4:
            add(core[0], "short")
    return list(out.values())[:MAX_SLUGS]


def domain_label(url: str) -> str | None:
    """``figure`` from ``https://www.figure.ai/careers``: the label left of the public suffix."""
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    labels = [p for p in host.split(".") if p]
    if len(labels) < 2:
        return None
    # "example.co.uk": the second-level label is part of the suffix.
    if (
        len(labels) >= 3
        and len(labels[-1]) == 2
        and labels[-2] in {"co", "com", "org", "net", "ac", "gov", "edu"}
    ):
        labels = labels[:-1]
    label = labels[-2]
    return label if re.fullmatch(r"[a-z0-9-]{2,}", label) else None


def registered_domain(url: str) -> str | None:
    """``figure.ai`` from ``https://www.figure.ai/careers`` (see :func:`domain_label`)."""
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    labels = [p for p in host.split(".") if p]
    if len(labels) < 2:
        return None
    keep = (
        3
        if (
            len(labels) >= 3
            and len(labels[-1]) == 2
            and labels[-2] in {"co", "com", "org", "net", "ac", "gov", "edu"}
        )
        else 2
    )
    return ".".join(labels[-keep:])


def url_slugs(url: str) -> list[Slug]:
    label = domain_label(url)
    return [Slug(label, "domain")] if label else []
