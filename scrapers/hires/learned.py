"""The company a hired person left, chosen by a learned model over the companies an item names.

The parse rules find the company left in a few dozen phrasings; real news has many more
("former Inflection AI CEO A", "a Stanford pediatric endocrinologist", "spent 16 years prior at
Google"). For each hire every other company of the item is a candidate, described by where it
stands relative to the nearest mention of the person (sentence, order, distance, the
dependency path between them), how it is attached (its preposition and what that modifies),
the cue words beside it, and whether the rules chose it. A logistic regression trained on the
labelled development halves (``learn.py``, with scikit-learn) scores each; the best at or above
the threshold is the company left, and none above it means the item does not tell. Inference
needs only the weights in ``learned_previous.json``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the features read parsed text; loading weights needs no spaCy
    from spacy.tokens import Span, Token

HERE = Path(__file__).resolve().parent
PREVIOUS_FILE = HERE / "learned_previous.json"

# Words around a company that tell of a past employer, or of something else.
CUES = frozenset(
    {
        "former",
        "formerly",
        "ex",
        "ex-",
        "previously",
        "recently",
        "prior",
        "until",
        "before",
        "after",
        "veteran",
        "alum",
        "alumnus",
        "co-founder",
        "cofounder",
        "founder",
        "from",
        "at",
        "of",
        "with",
        "for",
        "to",
        "rival",
        "'s",
        "\u2019s",
        "left",
        "leaving",
        "joined",
        "joining",
        "now",
        "then",
        "by",
    }
)


@dataclass(frozen=True)
class Candidate:
    """One company the item names, as a possible company left, with its features."""

    company: str
    features: dict[str, float]


def _bucket(value: int, edges: tuple[int, ...]) -> str:
    for edge in edges:
        if value <= edge:
            return f"<={edge}"
    return f">{edges[-1]}"


def _ancestors(token: Token) -> list[Token]:
    return [token, *token.ancestors]


def path_features(
    person: Token, company: Span, word_class: Callable[[Token], str]
) -> dict[str, float]:
    """Where the company stands relative to one mention of the person in the same sentence."""
    out: dict[str, float] = {}
    root = company.root
    before = company.start < person.i
    out["order=company-first" if before else "order=person-first"] = 1.0
    gap = (person.i - company.end) if before else (company.start - person.i)
    out[f"distance{_bucket(max(gap, 0), (1, 3, 6, 12))}"] = 1.0
    up_person = _ancestors(person)
    up_company = _ancestors(root)
    common = next((t for t in up_company if t in up_person), None)
    if common is None:
        out["path=none"] = 1.0
    else:
        length = up_company.index(common) + up_person.index(common)
        out[f"path{_bucket(length, (1, 2, 3, 5))}"] = 1.0
        if common == person:
            out["company-inside-person"] = 1.0  # "former Inflection AI CEO Mustafa Suleyman"
        elif common == root:
            out["person-inside-company"] = 1.0
        else:
            out[f"meet={word_class(common)}"] = 1.0
    return out


def own_features(company: Span, word_class: Callable[[Token], str]) -> dict[str, float]:
    """How the company itself is attached and the cue words beside it."""
    out: dict[str, float] = {}
    root = company.root
    doc = company.doc
    out[f"dep={root.dep_}"] = 1.0
    head = root.head
    if root.dep_ == "pobj":
        out[f"prep={head.lower_}"] = 1.0
        out[f"prep={head.lower_}:{word_class(head.head)}"] = 1.0
    elif root.dep_ in ("compound", "poss", "nmod", "amod"):
        out[f"modifies={word_class(head)}"] = 1.0
    elif root.dep_ in ("dobj", "nsubj", "nsubjpass"):
        out[f"{root.dep_}-of={word_class(head)}"] = 1.0
    for token in doc[max(company.start - 3, company.sent.start) : company.start]:
        word = token.lower_
        if word in CUES or word_class(token) != "other":
            out[f"before:{word if word in CUES else word_class(token)}"] = 1.0
    for token in doc[company.end : min(company.end + 2, company.sent.end)]:
        word = token.lower_
        if word in CUES or word_class(token) != "other":
            out[f"after:{word if word in CUES else word_class(token)}"] = 1.0
    return out


class LogisticModel:
    """A logistic regression over named features: weights, an intercept and a threshold."""

    def __init__(self, weights: Mapping[str, float], intercept: float, threshold: float) -> None:
        self.weights = dict(weights)
        self.intercept = intercept
        self.threshold = threshold

    @classmethod
    def load(cls, path: Path) -> LogisticModel:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return cls(data["weights"], float(data["intercept"]), float(data["threshold"]))

    def probability(self, features: Mapping[str, float]) -> float:
        z = self.intercept + sum(self.weights.get(f, 0.0) * v for f, v in features.items())
        return 1.0 / (1.0 + math.exp(-z))

    def choose(self, candidates: list[Candidate]) -> tuple[str | None, float]:
        """The likeliest company left and its probability; None when none reaches the
        threshold."""
        best: tuple[str | None, float] = (None, 0.0)
        for candidate in candidates:
            p = self.probability(candidate.features)
            if p > best[1]:
                best = (candidate.company, p)
        return best if best[1] >= self.threshold else (None, best[1])


@cache
def shipped_model(path: Path) -> LogisticModel | None:
    """A model trained on the development halves, or None where its weights are not shipped."""
    return LogisticModel.load(path) if path.exists() else None
