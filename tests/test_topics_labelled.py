"""The shipped taxonomy against a labelled set of real-style postings: topic micro-F1 ≥ 0.9.

The figures are printed in every run (also under ``-q``), so a taxonomy edit shows its effect.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from typing import Any

import pytest

from scrapers.enrich.topics import Taxonomy, load_taxonomy
from tests.conftest import FIXTURES

MIN_F1 = 0.9
MIN_POSTINGS = 120


@dataclass
class Scores:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def labelled() -> list[dict[str, Any]]:
    with (FIXTURES / "topics" / "labelled.toml").open("rb") as fh:
        rows: list[dict[str, Any]] = tomllib.load(fh)["posting"]
    return rows


def micro_f1(taxonomy: Taxonomy, rows: list[dict[str, Any]]) -> tuple[Scores, list[str]]:
    scores, misses = Scores(), []
    for row in rows:
        got = set(taxonomy.classify(row["title"], row["description"], team=row.get("team")).topics)
        want = set(row["topics"])
        scores.tp += len(got & want)
        scores.fp += len(got - want)
        scores.fn += len(want - got)
        if got != want:
            misses.append(f"{row['title']!r}: expected {sorted(want)}, got {sorted(got)}")
    return scores, misses


def test_labelled_set_is_large_and_uses_known_labels() -> None:
    rows, taxonomy = labelled(), load_taxonomy()
    assert len(rows) >= MIN_POSTINGS
    assert len({r["title"] for r in rows}) == len(rows)
    used = {t for r in rows for t in r["topics"]}
    assert used == set(taxonomy.topic_slugs)  # every topic is measured
    assert sum(not r["topics"] for r in rows) >= 20  # and so are postings with none
    assert {r["function"] for r in rows} <= set(taxonomy.function_slugs)
    assert {r["seniority"] for r in rows} <= set(taxonomy.seniority_slugs)


def test_topic_micro_f1_meets_the_bar(capsys: pytest.CaptureFixture[str]) -> None:
    rows = labelled()
    taxonomy = load_taxonomy()
    scores, misses = micro_f1(taxonomy, rows)
    functions = sum(
        taxonomy.classify(r["title"], r["description"], team=r.get("team")).function
        == r["function"]
        for r in rows
    )
    seniority = sum(
        taxonomy.classify(r["title"], r["description"], team=r.get("team")).seniority
        == r["seniority"]
        for r in rows
    )
    with capsys.disabled():
        print(
            f"\ntaxonomy on {len(rows)} labelled postings: topic micro-F1 {scores.f1:.3f} "
            f"(precision {scores.precision:.3f}, recall {scores.recall:.3f}); "
            f"function accuracy {functions / len(rows):.3f}; "
            f"seniority accuracy {seniority / len(rows):.3f}"
        )
    assert scores.f1 >= MIN_F1, "\n".join(misses)


def test_the_measure_can_fail() -> None:
    """A taxonomy that tags nothing scores zero: the bar is not met by construction."""
    rows = labelled()
    empty = load_taxonomy()
    nothing = Taxonomy(
        path=empty.path,
        topics=(),
        functions=empty.functions,
        seniority=empty.seniority,
        default_function=empty.default_function,
        default_seniority=empty.default_seniority,
    )
    scores, misses = micro_f1(nothing, rows)
    assert scores.f1 == 0.0
    assert len(misses) == sum(bool(r["topics"]) for r in rows)
