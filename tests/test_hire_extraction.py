"""Hire extraction: a labelled set of news items (positives and every kind of non-hire) scored
for precision and recall, plus the alias table and the rules' explanations."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scrapers.hires import AliasTable, HireMention, load_alias_table
from scrapers.hires.models import Extractor
from tests.hires_helpers import FEEDS, extractor

Triple = tuple[str, str | None, str]


def labelled() -> list[dict[str, object]]:
    items: list[dict[str, object]] = json.loads((FEEDS / "labelled_hires.json").read_text())
    return items


def score(items: list[dict[str, object]], ex: Extractor) -> tuple[int, int, int, list[str]]:
    tp = fp = fn = 0
    misses: list[str] = []
    for item in items:
        expected: set[Triple] = {tuple(h) for h in item["hires"]}  # type: ignore[misc, attr-defined]
        got: set[Triple] = {
            (m.person, m.from_company, m.to_company)
            for m in ex.extract(str(item["title"]), str(item["summary"]))
        }
        tp += len(expected & got)
        fp += len(got - expected)
        fn += len(expected - got)
        if expected != got:
            misses.append(f"{item['title']!r}: missing {expected - got}, extra {got - expected}")
    return tp, fp, fn, misses


def test_labelled_set_is_large_and_covers_negatives() -> None:
    items = labelled()
    assert len(items) >= 80
    negatives = [i for i in items if not i["hires"]]
    assert len(negatives) >= 30
    assert sum(len(i["hires"]) for i in items) >= 50  # type: ignore[arg-type]


def test_precision_and_recall_on_labelled_set(capsys: pytest.CaptureFixture[str]) -> None:
    tp, fp, fn, misses = score(labelled(), extractor())
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    with capsys.disabled():
        print(
            f"\nhire extraction on {len(labelled())} items: precision {precision:.3f}, "
            f"recall {recall:.3f}, F1 {f1:.3f} (tp={tp} fp={fp} fn={fn})"
        )
        for miss in misses:
            print("  ", miss)
    assert precision >= 0.9, misses
    assert recall >= 0.85, misses


@pytest.mark.parametrize(
    ("title", "person", "frm", "to", "rule"),
    [
        (
            "xAI hires Zeeshan Patel and Ethan He from Nvidia",
            "Ethan He",
            "NVIDIA",
            "xAI",
            "hire-people-from",
        ),
        (
            "Yann Moreau, formerly of Facebook, has joined Open AI",
            "Yann Moreau",
            "Meta",
            "OpenAI",
            "formerly-joins",
        ),
        (
            "Meta poaches Apple's head of AI models Ruoming Pang",
            "Ruoming Pang",
            "Apple",
            "Meta",
            "hire-from-possessive",
        ),
        ("Andrej Karpathy leaves Tesla for X.AI", "Andrej Karpathy", "Tesla", "xAI", "leaves-for"),
        (
            "Akira Sato quits Sony for Sakana AI",
            "Akira Sato",
            "Sony",
            "Sakana AI",
            "leaves-for+unlisted",
        ),
        (
            "Scale AI Inc. hires Palantir's Owen Gallagher",
            "Owen Gallagher",
            "Palantir",
            "Scale AI",
            "hire-from-possessive",
        ),
    ],
)
def test_each_mention_explains_itself(
    title: str, person: str, frm: str, to: str, rule: str
) -> None:
    mentions = {m.person: m for m in extractor().extract(title)}
    mention = mentions[person]
    assert (mention.from_company, mention.to_company, mention.rule) == (frm, to, rule)
    assert mention.evidence == title
    assert 0 < mention.confidence <= 1


def test_role_is_captured_and_a_named_move_outranks_an_unsourced_one() -> None:
    (m,) = extractor().extract(
        "Meta poaches Apple's head of AI models Ruoming Pang", "Ruoming Pang has joined Meta."
    )
    assert m.role == "head of AI models"
    assert m.from_company == "Apple"


def test_an_appointment_needs_the_previous_company_named() -> None:
    ex = extractor()
    assert ex.extract("Tomás Ibáñez named CEO of Poolside") == []
    (m,) = ex.extract(
        "Tomás Ibáñez named CEO of Poolside",
        "Ibáñez, who led developer tools at GitHub, starts next month.",
    )
    assert (m.from_company, m.to_company, m.rule) == (
        "GitHub",
        "Poolside",
        "named-role+context-from",
    )
    assert m.confidence < 0.9


def test_unlisted_companies_need_support_from_the_sentence() -> None:
    ex = extractor()
    assert ex.extract("Ada Byron joins Foo Bar from Baz") == []  # nothing reads as a company
    assert ex.extract("Apple's Craig Federighi heads to WWDC") == []
    assert ex.extract("Google's Demis Hassabis joins OpenAI's Sam Altman at a dinner") == []


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("OpenAI is in talks to hire Jane Doe from Meta", "rumour"),
        ("Anthropic plans to hire 100 researchers in London", "plan"),
        ("Meta lays off 600 people in its AI unit", "layoff"),
        ("Nvidia acquires Run:ai for $700 million", "acquisition"),
        ("Google promotes Koray Kavukcuoglu to chief AI architect", "promotion"),
        ("OpenAI names Fidji Simo to its board of directors", "board"),
    ],
)
def test_vetoes_name_the_kind_of_non_hire(text: str, kind: str) -> None:
    ex = extractor()
    assert ex.veto(text) == kind
    assert ex.extract(text) == []


def test_unnamed_and_same_company_moves_are_not_hires() -> None:
    ex = extractor()
    assert ex.extract("xAI hires three researchers from Google DeepMind") == []
    assert ex.extract("Jane Roe leaves DeepMind for Google DeepMind") == []


def test_alias_table_resolves_spellings_and_config_extends_it(tmp_path: Path) -> None:
    table = load_alias_table(["Example Robotics"], {"Example Robotics": ["ExRo"]})
    assert table.resolve("Nvidia") == "NVIDIA"
    assert table.resolve("DeepMind") == "Google DeepMind"
    assert table.resolve("Facebook") == "Meta"
    assert table.resolve("X.AI") == "xAI"
    assert table.resolve("Open AI") == "OpenAI"
    assert table.resolve("ExRo") == "Example Robotics"
    assert table.resolve("Unknown Robotics") == "Unknown Robotics"
    # legal forms are not part of the name, wherever the company is registered
    for written, name in [
        ("McKinsey & Co.", "McKinsey"),
        ("Carlsberg NV", "Carlsberg"),
        ("Delphi Automotive PLC", "Delphi Automotive"),
        ("Nokia Oyj", "Nokia"),
        ("Procter & Gamble", "Procter & Gamble"),
        ("Co-operative Group", "Co-operative Group"),
    ]:
        assert table.resolve(written) == name
    from scrapers.hires import RuleExtractor

    (m,) = RuleExtractor(table).extract("Ada Byron joins ExRo from Nvidia")
    assert (m.to_company, m.from_company) == ("Example Robotics", "NVIDIA")
    assert RuleExtractor(AliasTable()).extract("Ada Byron joins ExRo from Nvidia") == []


def test_a_replacement_extractor_only_needs_extract() -> None:
    class Fixed:
        def extract(self, title: str, summary: str = "") -> list[HireMention]:
            return [HireMention("A B", "xAI", None, None, title, 0.5, "fixed")]

    tp, fp, fn, _ = score([{"title": "t", "summary": "", "hires": [["A B", None, "xAI"]]}], Fixed())
    assert (tp, fp, fn) == (1, 0, 0)
