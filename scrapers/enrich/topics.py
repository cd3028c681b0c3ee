"""Topics, function and seniority of a posting, from a user-editable TOML taxonomy.

Classification is deterministic and explainable: every category (a topic, a function or a
seniority level) has weighted phrase rules for the title (strong; also matched against team and
department) and for the description (weaker), plus exclusions that are masked out of the text
before its phrases are looked for ("game-changing" is not games). A category's score is the sum
of the weights of the distinct phrases found; overlapping phrases count once, the longest wins.

- topics: every topic scoring at least its threshold (a posting may have several, or none);
- function and seniority: the best-scoring category, ties going to the one listed first, or the
  taxonomy's default when nothing matches.

Each decision carries its :class:`Evidence` (category, field, phrase, weight). A posting's
fields are each scanned once for the phrases of every category (:class:`PhraseIndex`).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Literal

from scrapers.models import NormalizedPosting

DEFAULT_TAXONOMY_FILE = Path(__file__).resolve().parents[1] / "data" / "taxonomy.toml"

Kind = Literal["topic", "function", "seniority"]
Field = Literal["title", "team", "description", "employment_type"]
Span = tuple[int, int, int]  # (start, end, phrase index) of a match

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TOP_LEVEL_KEYS = {"version", "defaults", "topics", "functions", "seniority"}
DEFAULT_KEYS = {"threshold", "function", "seniority", "title_evidence_only", "exclude"}
CATEGORY_KEYS = {"label", "title", "description", "exclude", "threshold", "employment_types"}
MAX_WEIGHT = 100.0
# Characters kept by normalisation (everything else separates words).
_WORD = "a-z0-9+#"
_DROP = re.compile(rf"[^{_WORD}]+")
_WORDS = re.compile(rf"[{_WORD}]+")


class TaxonomyError(Exception):
    """A taxonomy file that cannot be used; the message names the file and line."""

    def __init__(self, path: Path, line: int | None, message: str) -> None:
        self.path, self.line, self.message = path, line, message
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {message}")


def normalize(text: str | None) -> str:
    """Lower-case words between single spaces: "Post-Training & RL" -> " post training and rl "."""
    if not text:
        return ""
    lowered = text.lower().replace("&", " and ")
    return " " + _DROP.sub(" ", lowered).strip() + " "


def _word_matches(pattern: str, word: str) -> bool:
    return word.startswith(pattern[:-1]) if pattern.endswith("*") else word == pattern


@dataclass(frozen=True)
class Tokens:
    """A field's normalised words, indexed by word, so each phrase is a few lookups."""

    words: tuple[str, ...]
    positions: dict[str, list[int]]

    @classmethod
    def of(cls, text: str | None) -> Tokens:
        words = tuple(_WORDS.findall(text.lower().replace("&", " and "))) if text else ()
        positions: dict[str, list[int]] = {}
        for i, word in enumerate(words):
            positions.setdefault(word, []).append(i)
        return cls(words, positions)


@dataclass(frozen=True)
class Phrase:
    text: str  # normalised words; a word ending in ``*`` matches any word it begins
    weight: float

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(self.text.split())


@dataclass(frozen=True)
class Rules:
    """Weighted phrases; where matches overlap, the longest (then the first listed) wins."""

    phrases: tuple[Phrase, ...] = ()
    words: tuple[tuple[str, ...], ...] = ()

    @classmethod
    def build(cls, phrases: Iterable[Phrase]) -> Rules:
        ordered = tuple(sorted(phrases, key=lambda p: (-len(p.words), -len(p.text), p.text)))
        return cls(ordered, tuple(p.words for p in ordered))

    def pick(self, spans: Iterable[Span], masked: frozenset[int] = frozenset()) -> list[Phrase]:
        """The distinct phrases of these matches (skipping any touching a masked word), in order
        of first appearance; where matches overlap, the longest (then the first listed) wins."""
        found: dict[str, Phrase] = {}
        taken_until = 0
        for start, end, index in sorted(spans, key=lambda m: (m[0], m[0] - m[1], m[2])):
            if start < taken_until or (masked and not masked.isdisjoint(range(start, end))):
                continue  # overlaps a longer match already counted, or an exclusion
            taken_until = end
            phrase = self.phrases[index]
            found.setdefault(phrase.text, phrase)
        return list(found.values())


def _covered(spans: Iterable[Span]) -> frozenset[int]:
    return frozenset(i for start, end, _ in spans for i in range(start, end))


Phrasing = tuple[str, ...]  # a phrase's words
Part = Literal["title", "description", "exclude"]
RulesKey = tuple[str, str, Part]  # (kind, slug, part): which rules of which category
Matches = dict[RulesKey, list[Span]]  # a field's matches, by the rules they belong to
FIRST_WORD_CACHE_SIZE = 50_000  # distinct words remembered by each index


@dataclass(frozen=True)
class PhraseIndex:
    """Every distinct phrase of many rules, looked for in a text in one pass.

    ``spans`` gives, for each of the rules, every match of its phrases (unmasked), so a
    posting's fields are scanned once for all categories rather than once per category.
    Phrases are indexed by their first two words when both are whole words (most of the
    multi-word ones), else by their exact first word or by its stem when it ends in ``*``.
    """

    by_pair: dict[tuple[str, str], tuple[Phrasing, ...]]
    pair_firsts: frozenset[str]
    by_first: dict[str, tuple[Phrasing, ...]]
    by_stem: dict[str, tuple[Phrasing, ...]]
    stem_lengths: tuple[int, ...]  # ascending
    owners: dict[Phrasing, tuple[tuple[RulesKey, int], ...]]  # phrase -> (rules, index)
    first_word_cache: dict[str, tuple[Phrasing, ...]] = field(
        default_factory=dict, repr=False, compare=False
    )

    @classmethod
    def build(cls, rules: Iterable[tuple[RulesKey, Rules]]) -> PhraseIndex:
        owners: dict[Phrasing, list[tuple[RulesKey, int]]] = {}
        for key, each in rules:
            for index, words in enumerate(each.words):
                owners.setdefault(words, []).append((key, index))
        by_pair: dict[tuple[str, str], list[Phrasing]] = {}
        by_first: dict[str, list[Phrasing]] = {}
        by_stem: dict[str, list[Phrasing]] = {}
        for words in owners:
            if words[0].endswith("*"):
                by_stem.setdefault(words[0][:-1], []).append(words)
            elif len(words) > 1 and not words[1].endswith("*"):
                by_pair.setdefault((words[0], words[1]), []).append(words)
            else:
                by_first.setdefault(words[0], []).append(words)
        return cls(
            by_pair={k: tuple(v) for k, v in by_pair.items()},
            pair_firsts=frozenset(first for first, _ in by_pair),
            by_first={k: tuple(v) for k, v in by_first.items()},
            by_stem={k: tuple(v) for k, v in by_stem.items()},
            stem_lengths=tuple(sorted({len(stem) for stem in by_stem})),
            owners={k: tuple(v) for k, v in owners.items()},
        )

    def spans(self, tokens: Tokens) -> Matches:
        """(start, end, phrase index) of every match, for each of the rules with any."""
        out: Matches = {}
        text = tokens.words
        last = len(text) - 1
        pairs: dict[tuple[str, str], list[int]] = {}
        for word, starts in tokens.positions.items():
            for words in self.starting_with(word):
                self._add(out, tokens, words, starts, 1)
            if word in self.pair_firsts:
                for i in starts:
                    if i < last and (pair := (word, text[i + 1])) in self.by_pair:
                        pairs.setdefault(pair, []).append(i)
        for pair, starts in pairs.items():
            for words in self.by_pair[pair]:
                self._add(out, tokens, words, starts, 2)
        return out

    def starting_with(self, word: str) -> tuple[Phrasing, ...]:
        """The phrases (not indexed by pair) whose first word matches ``word``; memoised, as
        a board's descriptions share most of their vocabulary."""
        found = self.first_word_cache.get(word)
        if found is None:
            found = self.by_first.get(word, ())
            for length in self.stem_lengths:
                if length > len(word):
                    break
                found += self.by_stem.get(word[:length], ())
            if len(self.first_word_cache) >= FIRST_WORD_CACHE_SIZE:
                self.first_word_cache.clear()
            self.first_word_cache[word] = found
        return found

    def _add(
        self, out: Matches, tokens: Tokens, words: Phrasing, starts: list[int], matched: int
    ) -> None:
        """Record the matches of a phrase whose first ``matched`` words are at each start."""
        n = len(words)
        if n > matched:
            text = tokens.words
            rest = tuple(enumerate(words[matched:], matched))
            starts = [
                i
                for i in starts
                if i + n <= len(text) and all(_word_matches(w, text[i + k]) for k, w in rest)
            ]
        if not starts:
            return
        for key, index in self.owners[words]:
            spans = out.get(key)
            if spans is None:
                spans = out[key] = []
            spans.extend((start, start + n, index) for start in starts)


@dataclass(frozen=True)
class Category:
    kind: Kind
    slug: str
    label: str
    title: Rules
    description: Rules
    exclude: Rules
    threshold: float
    employment_types: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Evidence:
    kind: Kind
    slug: str
    field: Field
    phrase: str
    weight: float

    def __str__(self) -> str:
        return f"{self.kind} {self.slug}: {self.field} has {self.phrase!r} ({self.weight:+g})"


@dataclass(frozen=True)
class Classification:
    """What the taxonomy says about one posting, and why."""

    topics: list[str]
    function: str
    seniority: str
    evidence: tuple[Evidence, ...] = ()
    scores: dict[str, float] = field(default_factory=dict)  # "topic:games" -> score

    def explain(self) -> list[str]:
        return [str(e) for e in self.evidence]


@dataclass(frozen=True)
class _Text:
    """A posting's fields, each with the matches of every category's phrases in it."""

    title: Matches
    team: Matches
    description: Matches
    employment_type: str | None
    # (kind, slug) of every category with a title or description phrase in some field.
    candidates: frozenset[tuple[str, str]] = frozenset()


@dataclass(frozen=True)
class Taxonomy:
    path: Path
    topics: tuple[Category, ...]
    functions: tuple[Category, ...]
    seniority: tuple[Category, ...]
    default_function: str
    default_seniority: str
    # Functions whose topics come from the title and team alone (an account executive selling
    # to robotics companies is not a robotics role, whatever the description says).
    title_evidence_only: frozenset[str] = frozenset()

    @property
    def topic_slugs(self) -> list[str]:
        return [c.slug for c in self.topics]

    @property
    def function_slugs(self) -> list[str]:
        return [c.slug for c in self.functions]

    @property
    def seniority_slugs(self) -> list[str]:
        return [c.slug for c in self.seniority]

    def classify(
        self,
        title: str,
        description: str = "",
        *,
        team: str | None = None,
        department: str | None = None,
        employment_type: str | None = None,
    ) -> Classification:
        headings, body = self._indexes
        team_text = " . ".join(p for p in (team, department) if p)
        fields = (
            headings.spans(Tokens.of(title)),
            headings.spans(Tokens.of(team_text)),
            body.spans(Tokens.of(description)),
        )
        text = _Text(
            *fields,
            employment_type=employment_type,
            candidates=frozenset(
                (kind, slug) for found in fields for kind, slug, part in found if part != "exclude"
            ),
        )
        evidence: list[Evidence] = []
        scores: dict[str, float] = {}
        function, f_ev = self._best(self.functions, text, self.default_function, scores)
        seniority, s_ev = self._best(self.seniority, text, self.default_seniority, scores)
        title_only = function in self.title_evidence_only
        topics: list[str] = []
        for category in self.topics:
            score, found = _score(category, text, use_description=True)
            if title_only:  # the team names the area as well as the title does
                found = [e for e in found if e.field in ("title", "team")]
                score = sum(e.weight for e in found)
            scores[f"topic:{category.slug}"] = score
            if found and score >= category.threshold:
                topics.append(category.slug)
                evidence.extend(found)
        evidence.extend(f_ev)
        evidence.extend(s_ev)
        return Classification(
            topics=sorted(topics),
            function=function,
            seniority=seniority,
            evidence=tuple(evidence),
            scores=scores,
        )

    def classify_posting(self, item: NormalizedPosting) -> Classification:
        return self.classify(
            item.title,
            item.description,
            team=item.team,
            department=item.department,
            employment_type=item.employment_type,
        )

    __call__ = classify_posting

    @cached_property
    def _indexes(self) -> tuple[PhraseIndex, PhraseIndex]:
        """The phrases looked for in the title and team, and those in the description."""
        categories = (*self.topics, *self.functions, *self.seniority)
        headings = PhraseIndex.build(
            rules
            for c in categories
            for rules in (
                ((c.kind, c.slug, "title"), c.title),
                ((c.kind, c.slug, "exclude"), c.exclude),
            )
        )
        # Only topics look at the description.
        body = PhraseIndex.build(
            rules
            for c in self.topics
            for rules in (
                ((c.kind, c.slug, "description"), c.description),
                ((c.kind, c.slug, "exclude"), c.exclude),
            )
        )
        return headings, body

    @staticmethod
    def _best(
        categories: tuple[Category, ...], text: _Text, default: str, scores: dict[str, float]
    ) -> tuple[str, list[Evidence]]:
        best: tuple[float, str, list[Evidence]] = (0.0, default, [])
        for category in categories:
            score, found = _score(category, text, use_description=False)
            scores[f"{category.kind}:{category.slug}"] = score
            if found and score >= category.threshold and score > best[0]:
                best = (score, category.slug, found)
        return best[1], best[2]


def _score(
    category: Category, text: _Text, *, use_description: bool
) -> tuple[float, list[Evidence]]:
    found: list[Evidence] = []
    if (category.kind, category.slug) in text.candidates:
        title_hits = _find(category, "title", text.title)
        seen = {p.text for p in title_hits}
        found += [
            Evidence(category.kind, category.slug, "title", p.text, p.weight) for p in title_hits
        ]
        # Team and department are as telling as the title, but one phrase counts once.
        found += [
            Evidence(category.kind, category.slug, "team", p.text, p.weight)
            for p in _find(category, "title", text.team)
            if p.text not in seen
        ]
        if use_description:
            found += [
                Evidence(category.kind, category.slug, "description", p.text, p.weight)
                for p in _find(category, "description", text.description)
            ]
    if text.employment_type and text.employment_type in category.employment_types:
        found.append(
            Evidence(
                category.kind,
                category.slug,
                "employment_type",
                text.employment_type,
                category.threshold,
            )
        )
    return sum(e.weight for e in found), found


def _find(
    category: Category, part: Literal["title", "description"], matches: Matches
) -> list[Phrase]:
    """The category's ``part`` phrases in a field, its exclusions masked out."""
    spans = matches.get((category.kind, category.slug, part))
    if not spans:
        return []
    rules = category.title if part == "title" else category.description
    excluded = matches.get((category.kind, category.slug, "exclude"))
    return rules.pick(spans, _covered(excluded) if excluded else frozenset())


# -- loading -------------------------------------------------------------------------------


class _Locator:
    """Finds the line of a ``[table]`` header and of a key or phrase inside it."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()

    def header(self, *names: str) -> int | None:
        dotted = r"\s*\.\s*".join(rf"(?:{re.escape(n)}|\"{re.escape(n)}\")" for n in names)
        pattern = re.compile(rf"^\s*\[\s*{dotted}\s*\]")
        return next((i + 1 for i, ln in enumerate(self.lines) if pattern.match(ln)), None)

    def inside(self, start: int | None, needle: str) -> int | None:
        """The first line at or after ``start`` (before the next header) containing needle."""
        if start is None:
            return None
        for number in range(start, len(self.lines) + 1):
            line = self.lines[number - 1]
            if number > start and re.match(r"^\s*\[", line):
                break
            if needle in line:
                return number
        return start


class _Loader:
    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.where = _Locator(text)

    def fail(self, line: int | None, message: str) -> TaxonomyError:
        return TaxonomyError(self.path, line, message)

    def phrases(
        self, raw: Any, line: int | None, what: str, default_weight: float | None
    ) -> list[Phrase]:
        """``{ "phrase" = weight, ... }``, or a list of phrases when a default weight applies."""
        if isinstance(raw, list) and default_weight is not None:
            raw = dict.fromkeys(raw, default_weight)
        if not isinstance(raw, dict):
            raise self.fail(line, f'{what} must be a table of "phrase" = weight')
        out: list[Phrase] = []
        for phrase, weight in raw.items():
            at = self.where.inside(line, f'"{phrase}"') if isinstance(phrase, str) else line
            if not isinstance(phrase, str) or not normalize(phrase.replace("*", "")).strip():
                raise self.fail(at, f"{what}: {phrase!r} is not a phrase (it needs a word)")
            if any("*" in token.rstrip("*") for token in phrase.split()):
                raise self.fail(at, f"{what}: {phrase!r}: `*` may only end a word")
            if (
                isinstance(weight, bool)
                or not isinstance(weight, int | float)
                or not (0 < abs(weight) <= MAX_WEIGHT)
            ):
                raise self.fail(
                    at,
                    f"{what}: the weight of {phrase!r} must be a non-zero "
                    f"number between -{MAX_WEIGHT:g} and {MAX_WEIGHT:g}",
                )
            words: list[str] = []
            for token in phrase.split():
                parts = normalize(token.rstrip("*")).split()
                if token.endswith("*") and parts:
                    parts[-1] += "*"
                words += parts
            text = " ".join(words)
            out.append(Phrase(text, float(weight)))
        return out

    def exclusions(self, raw: Any, line: int | None, what: str) -> list[str]:
        if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
            raise self.fail(line, f"{what}: `exclude` must be a list of phrases")
        return [p.text for p in self.phrases(raw, line, f"{what} exclude", 1.0)]

    def rules_line(self, section: str, slug: str, key: str) -> int | None:
        """Where ``[section.slug.key]`` (or ``key = ...`` inside ``[section.slug]``) starts."""
        return self.where.header(section, slug, key) or self.where.inside(
            self.where.header(section, slug), key
        )

    def category(
        self,
        kind: Kind,
        section: str,
        slug: str,
        raw: Any,
        threshold: float,
        global_exclude: list[str],
    ) -> Category:
        line = self.where.header(section, slug)
        what = f"{section}.{slug}"
        if not SLUG.match(slug):
            raise self.fail(line, f"{what}: a slug is lower-case words joined by '-'")
        if not isinstance(raw, dict):
            raise self.fail(line, f"{what} must be a table")
        unknown = set(raw) - CATEGORY_KEYS
        if unknown:
            key = sorted(unknown)[0]
            expected = ", ".join(sorted(CATEGORY_KEYS))
            raise self.fail(
                self.where.inside(line, key), f"{what}: unknown key {key!r} (expected {expected})"
            )
        title = self.phrases(
            raw.get("title", {}), self.rules_line(section, slug, "title"), f"{what} title", None
        )
        description = self.phrases(
            raw.get("description", {}),
            self.rules_line(section, slug, "description"),
            f"{what} description",
            None,
        )
        exclude = global_exclude + self.exclusions(
            raw.get("exclude", []), self.where.inside(line, "exclude"), what
        )
        own = raw.get("threshold", threshold)
        if isinstance(own, bool) or not isinstance(own, int | float) or own <= 0:
            raise self.fail(
                self.where.inside(line, "threshold"),
                f"{what}: `threshold` must be a positive number",
            )
        types = raw.get("employment_types", [])
        if not isinstance(types, list) or not all(isinstance(t, str) for t in types):
            raise self.fail(
                self.where.inside(line, "employment_types"),
                f"{what}: `employment_types` must be a list of strings",
            )
        label = raw.get("label", slug)
        if not isinstance(label, str):
            raise self.fail(self.where.inside(line, "label"), f"{what}: `label` must be text")
        return Category(
            kind=kind,
            slug=slug,
            label=label,
            title=Rules.build(title),
            description=Rules.build(description),
            exclude=Rules.build(Phrase(p, 1.0) for p in exclude),
            threshold=float(own),
            employment_types=frozenset(types),
        )

    def section(
        self,
        data: dict[str, Any],
        kind: Kind,
        name: str,
        threshold: float,
        global_exclude: list[str],
    ) -> tuple[Category, ...]:
        raw = data.get(name)
        if not isinstance(raw, dict) or not raw:
            raise self.fail(
                self.where.header(name), f"[{name}] needs at least one entry, e.g. [{name}.example]"
            )
        return tuple(
            self.category(kind, name, slug, body, threshold, global_exclude)
            for slug, body in raw.items()
        )

    def load(self, data: dict[str, Any]) -> Taxonomy:
        unknown = set(data) - TOP_LEVEL_KEYS
        if unknown:
            name = sorted(unknown)[0]
            line = next(
                (
                    i + 1
                    for i, ln in enumerate(self.where.lines)
                    if re.match(rf"^\s*\[*\s*{re.escape(name)}\b", ln)
                ),
                None,
            )
            raise self.fail(
                line, f"unknown section {name!r}; expected {', '.join(sorted(TOP_LEVEL_KEYS))}"
            )
        defaults = data.get("defaults", {})
        d_line = self.where.header("defaults")
        if not isinstance(defaults, dict) or set(defaults) - DEFAULT_KEYS:
            raise self.fail(d_line, f"[defaults] takes only {', '.join(sorted(DEFAULT_KEYS))}")
        threshold = defaults.get("threshold", 3)
        if isinstance(threshold, bool) or not isinstance(threshold, int | float) or threshold <= 0:
            raise self.fail(
                self.where.inside(d_line, "threshold"),
                "[defaults] `threshold` must be a positive number",
            )
        global_exclude = self.exclusions(
            defaults.get("exclude", []), self.where.inside(d_line, "exclude"), "[defaults]"
        )
        topics = self.section(data, "topic", "topics", threshold, global_exclude)
        functions = self.section(data, "function", "functions", threshold, [])
        seniority = self.section(data, "seniority", "seniority", threshold, [])
        taxonomy = Taxonomy(
            path=self.path,
            topics=topics,
            functions=functions,
            seniority=seniority,
            default_function=defaults.get("function", "other"),
            default_seniority=defaults.get("seniority", "mid"),
            title_evidence_only=frozenset(defaults.get("title_evidence_only", [])),
        )
        self._check_defaults(taxonomy, d_line)
        return taxonomy

    def _check_defaults(self, taxonomy: Taxonomy, line: int | None) -> None:
        if taxonomy.default_function not in taxonomy.function_slugs:
            raise self.fail(
                self.where.inside(line, "function"),
                f"[defaults] function {taxonomy.default_function!r} is not one of "
                f"the [functions]: {', '.join(taxonomy.function_slugs)}",
            )
        if taxonomy.default_seniority not in taxonomy.seniority_slugs:
            raise self.fail(
                self.where.inside(line, "seniority"),
                f"[defaults] seniority {taxonomy.default_seniority!r} is not one of "
                f"the [seniority] levels: {', '.join(taxonomy.seniority_slugs)}",
            )
        unknown = taxonomy.title_evidence_only - set(taxonomy.function_slugs)
        if unknown:
            raise self.fail(
                self.where.inside(line, "title_evidence_only"),
                f"[defaults] title_evidence_only names unknown function(s) "
                f"{', '.join(sorted(unknown))}",
            )


def parse_taxonomy(text: str, path: Path = Path("<taxonomy>")) -> Taxonomy:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"at line (\d+)", str(exc))
        line = int(match.group(1)) if match else max(1, len(text.splitlines()))
        raise TaxonomyError(path, line, f"invalid TOML: {exc}") from exc
    return _Loader(path, text).load(data)


def load_taxonomy(path: Path | None = None) -> Taxonomy:
    """Load and validate a taxonomy file (the shipped one by default)."""
    path = path or DEFAULT_TAXONOMY_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise TaxonomyError(path, None, f"cannot read the taxonomy: {exc.strerror or exc}") from exc
    return parse_taxonomy(text, path)


@lru_cache(maxsize=8)
def _cached(path: Path, mtime_ns: int) -> Taxonomy:
    return load_taxonomy(path)


def taxonomy_at(path: Path | None = None) -> Taxonomy:
    """The taxonomy at ``path`` (shipped by default), re-read when the file changes."""
    path = (path or DEFAULT_TAXONOMY_FILE).resolve()
    try:
        mtime = path.stat().st_mtime_ns
    except OSError as exc:
        raise TaxonomyError(path, None, f"cannot read the taxonomy: {exc.strerror or exc}") from exc
    return _cached(path, mtime)
