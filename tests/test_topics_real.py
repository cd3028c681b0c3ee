"""The shipped taxonomy on real AI-lab job titles (title and team only): topic micro-F1.

``tests/data/topics/real_dev.toml`` is the half the rules may be tuned on and must score at least
0.90; ``real_test.toml`` is never tuned on, and only a floor a little under the bar is asserted
for it. Both figures are printed in every run. ``real_fresh.toml`` was collected and labelled
after the taxonomy was tuned, from sources neither half drew on; its figure is printed and only a
floor of 0.80 is asserted, so it stays a measurement rather than a target. Sources and the
labelling guide are in ``tests/data/topics/SOURCES.md``.
"""

from __future__ import annotations

import hashlib
import tomllib
from pathlib import Path
from typing import Any

import pytest

from scrapers.topics import Taxonomy, load_taxonomy
from tests.test_topics_labelled import Scores

DATA = Path(__file__).parent / "data" / "topics"
MIN_DEV_F1 = 0.90
MIN_TEST_F1 = 0.85
MIN_ITEMS = 220
MIN_FRESH_F1 = 0.80
MIN_FRESH_ITEMS = 120


def rows(half: str) -> list[dict[str, Any]]:
    with (DATA / f"real_{half}.toml").open("rb") as fh:
        items: list[dict[str, Any]] = tomllib.load(fh)["posting"]
    return items


def score(taxonomy: Taxonomy, items: list[dict[str, Any]]) -> tuple[Scores, list[str]]:
    scores, misses = Scores(), []
    for row in items:
        got = set(taxonomy.classify(row["title"], "", team=row.get("team")).topics)
        want = set(row["topics"])
        scores.tp += len(got & want)
        scores.fp += len(got - want)
        scores.fn += len(want - got)
        if got != want:
            misses.append(f"{row['title']!r} (team {row.get('team')!r}): "
                          f"expected {sorted(want)}, got {sorted(got)}")
    return scores, misses


def test_the_real_sets_are_large_sourced_and_split_by_hash() -> None:
    dev, test, taxonomy = rows("dev"), rows("test"), load_taxonomy()
    both = dev + test
    assert len(both) >= MIN_ITEMS
    titles = [r["title"].lower() for r in both]
    assert len(set(titles)) == len(titles)  # no title in both halves, none twice
    assert {t for r in both for t in r["topics"]} <= set(taxonomy.topic_slugs)
    assert sum(not r["topics"] for r in both) >= 50  # ordinary titles at AI labs, traps included
    assert all(r["source"].strip() and r["company"].strip() for r in both)
    for half, items in (("dev", dev), ("test", test)):
        for row in items:
            digit = hashlib.sha256(row["title"].encode()).hexdigest()[0]
            assert (digit in "01234567") == (half == "dev"), row["title"]


def test_topic_micro_f1_on_real_titles(capsys: pytest.CaptureFixture[str]) -> None:
    taxonomy = load_taxonomy()
    dev, dev_misses = score(taxonomy, rows("dev"))
    test, _ = score(taxonomy, rows("test"))
    with capsys.disabled():
        for name, s, n in (("dev", dev, len(rows("dev"))), ("test", test, len(rows("test")))):
            print(f"\ntaxonomy on {n} real AI-lab titles ({name} half): topic micro-F1 "
                  f"{s.f1:.3f} (precision {s.precision:.3f}, recall {s.recall:.3f}; "
                  f"bar {MIN_DEV_F1 if name == 'dev' else MIN_TEST_F1})", end="")
        print()
    assert dev.f1 >= MIN_DEV_F1, "\n".join(dev_misses)
    assert test.f1 >= MIN_TEST_F1


def test_the_fresh_set_is_large_sourced_and_new() -> None:
    fresh, taxonomy = rows("fresh"), load_taxonomy()
    assert len(fresh) >= MIN_FRESH_ITEMS
    titles = [r["title"].lower() for r in fresh]
    assert len(set(titles)) == len(titles)
    assert not set(titles) & {r["title"].lower() for r in rows("dev") + rows("test")}
    assert {t for r in fresh for t in r["topics"]} <= set(taxonomy.topic_slugs)
    assert sum(not r["topics"] for r in fresh) >= 40  # ordinary titles and traps
    assert all(r["source"].strip() and r["company"].strip() for r in fresh)


def test_topic_micro_f1_on_the_fresh_set(capsys: pytest.CaptureFixture[str]) -> None:
    taxonomy, fresh = load_taxonomy(), rows("fresh")
    # Items outside the repository the tuned halves also drew on, reported on their own.
    elsewhere = [r for r in fresh if not r["source"].startswith("ever-jobs/")]
    scores, _ = score(taxonomy, fresh)
    other, _ = score(taxonomy, elsewhere)
    with capsys.disabled():
        for name, s, n in (("fresh set", scores, len(fresh)),
                           ("fresh set, other repositories", other, len(elsewhere))):
            print(f"\ntaxonomy on {n} real AI-lab titles ({name}): topic micro-F1 {s.f1:.3f} "
                  f"(precision {s.precision:.3f}, recall {s.recall:.3f}; floor {MIN_FRESH_F1})",
                  end="")
        print()
    assert scores.f1 >= MIN_FRESH_F1


def test_the_real_measure_can_fail() -> None:
    """A taxonomy that tags nothing scores zero on the labelled titles, so the bar can be missed."""
    full = load_taxonomy()
    nothing = Taxonomy(path=full.path, topics=(), functions=full.functions,
                       seniority=full.seniority, default_function=full.default_function,
                       default_seniority=full.default_seniority)
    for half in ("dev", "test", "fresh"):
        scores, misses = score(nothing, rows(half))
        assert scores.f1 == 0.0
        assert len(misses) == sum(bool(r["topics"]) for r in rows(half))


@pytest.mark.parametrize(("title", "team", "topics"), [
    ("Member of Technical Staff, Grok Imagine", None, ["image-generation", "video-generation"]),
    ("Kernel Engineer", None, ["inference"]),
    ("TPU Kernel Engineer", "AI Research & Engineering", ["inference"]),
    ("Distributed Training Engineer", None, ["infrastructure", "pretraining"]),
    ("AI Tutor \N{EN DASH} Physics", None, ["data-annotation"]),
    ("Voice Talent", None, ["audio", "data-annotation"]),
    ("Model Behavior", None, ["post-training"]),
    ("Technical Policy Manager, Cyber Harms", "Safeguards (Trust & Safety)", ["safety"]),
    ("Product Manager, Claude Code (Enterprise)", None, ["agents"]),
    ("Forward Deployed Engineer", None, []),
    # Traps: human agents, workplace safety, statistics, mechanics, live events.
    ("Customer Support Agent", "Support", []),
    ("Sales Development Agent", "Sales", []),
    ("EHS Specialist", "Data Center Operations", []),
    ("Environmental Health & Safety Manager", None, []),
    ("Data Scientist, Causal Inference", None, []),
    ("Mechanical Alignment Engineer", None, []),
    ("General Manager, Songkick (Live Music Experiences)", None, []),
    ("Research Engineer, Frontier Red Team (Autonomy)", None, ["safety"]),
])
def test_titles_named_in_the_issue(title: str, team: str | None, topics: list[str]) -> None:
    assert load_taxonomy().classify(title, "", team=team).topics == topics
