"""The learned choice of the company a hired person left: trained on the development halves
only, reproducible from them, and deciding what the rules leave open."""

from __future__ import annotations

import hashlib
import json
from functools import cache

import pytest

from scrapers.hires import learn
from scrapers.hires.learned import PREVIOUS_FILE, Candidate, LogisticModel
from scrapers.hires.parse import SpacyExtractor
from tests.hires_helpers import REAL, WATCHLIST, load_alias_table

DEVELOPMENT = [
    REAL / "news_dev.jsonl",
    REAL / "news_round2_dev.jsonl",
    REAL / "news_round3_dev.jsonl",
]


@cache
def extractors() -> tuple[SpacyExtractor, SpacyExtractor]:
    aliases = load_alias_table(WATCHLIST)
    return SpacyExtractor(aliases), SpacyExtractor(aliases, learned=False)


def shipped() -> dict[str, object]:
    data: dict[str, object] = json.loads(PREVIOUS_FILE.read_text(encoding="utf-8"))
    return data


def test_the_shipped_weights_come_from_the_development_halves_as_they_are() -> None:
    trained_on = shipped()["trained_on"]
    assert isinstance(trained_on, list)
    assert {entry["file"] for entry in trained_on} == {p.name for p in DEVELOPMENT}
    for entry in trained_on:
        digest = hashlib.sha256((REAL / entry["file"]).read_bytes()).hexdigest()
        assert digest == entry["sha256"], (
            f"{entry['file']} changed since the model was trained: run "
            "python -m scrapers.hires.learn "
            + " ".join(f"tests/data/hires/{p.name}" for p in DEVELOPMENT)
        )


def test_training_again_gives_the_shipped_model(capsys: pytest.CaptureFixture[str]) -> None:
    record = learn.train(DEVELOPMENT)
    with capsys.disabled():
        print(
            f"\ncompany left, {record['rows']} labelled hires of the development halves: rules "
            f"right {record['rules']:.3f}, model {record['cross_validated']:.3f} cross-validated"
        )
    assert json.loads(json.dumps(record)) == shipped()
    # chosen by cross-validation for beating the rules on rows it was not fitted on
    assert float(record["cross_validated"]) > float(record["rules"])


def test_held_out_halves_are_refused_as_training_data() -> None:
    with pytest.raises(SystemExit):
        learn.main([str(REAL / "news_test.jsonl")])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The departure is a blow to Adept, which also lost its co-founder, David Kim, in "
            "March when he took a new job at Amazon.",
            ("David Kim", "Adept", "Amazon"),
        ),
        (
            "Capellas's rise to the top of the heap at Compaq has been swift. He joined the "
            "company in August, 1998, after serving as senior vice president and general "
            "manager of Oracle's global energy business.",
            ("Capellas", "Oracle", "Compaq"),
        ),
    ],
)
def test_the_model_names_the_company_left_where_the_rules_do_not(
    text: str, expected: tuple[str, str, str]
) -> None:
    learned, rules_only = extractors()
    [mention] = learned.extract("", text)
    assert (mention.person, mention.from_company, mention.to_company) == expected
    assert mention.rule.endswith("+learned-from")
    [plain] = rules_only.extract("", text)
    assert plain.from_company is None


def test_no_candidate_at_the_threshold_means_no_company_left() -> None:
    model = LogisticModel({"rules-chose": 2.0, "far": -3.0}, intercept=0.0, threshold=0.6)
    near, far = Candidate("Acme", {"rules-chose": 1.0}), Candidate("Initech", {"far": 1.0})
    assert model.choose([far, near])[0] == "Acme"  # p = 0.88
    assert model.choose([far])[0] is None  # p = 0.05
    model.threshold = 0.9
    assert model.choose([far, near])[0] is None
