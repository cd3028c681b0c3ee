"""The taxonomy: loading with file:line errors, phrase rules, exclusions, evidence, determinism."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from scrapers.enrich.topics import (
    DEFAULT_TAXONOMY_FILE,
    Taxonomy,
    TaxonomyError,
    load_taxonomy,
    normalize,
    parse_taxonomy,
    taxonomy_at,
)
from scrapers.models import NormalizedPosting
from scrapers.sources.greenhouse import parse_jobs
from tests.conftest import SHARED_SAMPLES

REQUIRED_TOPICS = {
    "world-models",
    "video-generation",
    "image-generation",
    "audio",
    "multimodal",
    "robotics",
    "games",
    "pretraining",
    "post-training",
    "inference",
    "infrastructure",
    "hardware",
    "safety",
    "data-annotation",
    "agents",
}
FUNCTIONS = [
    "research",
    "engineering",
    "product",
    "design",
    "data",
    "go-to-market",
    "operations",
    "other",
]

MINIMAL = """\
[defaults]
threshold = 3

[topics.games]
label = "Games"
exclude = ["game changing"]
[topics.games.title]
"game" = 3
[topics.games.description]
"game engine*" = 2
"gameplay" = 1

[functions.other]
label = "Other"

[seniority.mid]
label = "Mid"
"""


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return load_taxonomy()


def test_shipped_taxonomy_has_every_required_slug(taxonomy: Taxonomy) -> None:
    assert set(taxonomy.topic_slugs) >= REQUIRED_TOPICS
    assert taxonomy.function_slugs == FUNCTIONS
    assert taxonomy.seniority_slugs[0] == "intern"
    assert taxonomy.seniority_slugs[-1] == "executive"
    assert {"junior", "mid", "senior", "staff", "principal", "manager", "director"} <= set(
        taxonomy.seniority_slugs
    )


@pytest.mark.parametrize(
    ("title", "description", "not_topic"),
    [
        (
            "Senior Software Engineer",
            "Ship game-changing features with a world-class team.",
            "games",
        ),
        ("Game-Changing Growth Marketer", "", "games"),
        (
            "Software Engineer",
            "Join a world-class team building models of the real world.",
            "world-models",
        ),
        (
            "Support Engineer",
            "Help customers over video calls and video conferencing.",
            "video-generation",
        ),
        (
            "DevOps Engineer",
            "Publish Docker images and container images to our registry.",
            "image-generation",
        ),
        ("Data Engineer", "Model data in Unity Catalog.", "games"),
        ("Customer Support Agent", "Answer tickets by chat.", "agents"),
        ("Recommendations Engineer", "Causal inference and A/B tests.", "inference"),
        ("Infrared Camera Engineer", "Thermal imaging sensors.", "infrastructure"),
        ("Site Lead", "Own health and safety and OSHA compliance.", "safety"),
        ("Program Manager", "Drive cross-functional alignment across teams.", "safety"),
        ("Security Engineer", "SOC 2 audits and a SOC analyst rotation.", "hardware"),
    ],
)
def test_exclusions_and_word_boundaries_prevent_false_topics(
    taxonomy: Taxonomy, title: str, description: str, not_topic: str
) -> None:
    assert not_topic not in taxonomy.classify(title, description).topics


@pytest.mark.parametrize(
    ("title", "description", "topic"),
    [
        ("Gameplay Engineer", "", "games"),
        ("Research Scientist, World Models", "", "world-models"),
        (
            "Research Engineer",
            "Text-to-video diffusion and video generation models.",
            "video-generation",
        ),
        ("Robotics Software Engineer", "", "robotics"),
        ("Software Engineer, Humanoids", "", "robotics"),
        (
            "Member of Technical Staff",
            "Pretraining at scale: scaling laws and data mixtures.",
            "pretraining",
        ),
        ("AI Tutor, Chemistry", "", "data-annotation"),
    ],
)
def test_phrases_find_their_topic(
    taxonomy: Taxonomy, title: str, description: str, topic: str
) -> None:
    assert topic in taxonomy.classify(title, description).topics


@pytest.mark.parametrize(
    "title", ["Account Executive", "Office Manager", "Enterprise Account Executive"]
)
def test_go_to_market_and_operations_roles_take_no_topic_from_the_description(
    taxonomy: Taxonomy, title: str
) -> None:
    description = (
        "Sell our robotics, world models, video generation and inference platform; "
        "work with the post-training, pretraining and AI safety teams."
    )
    result = taxonomy.classify(title, description)
    assert result.topics == []
    assert result.function in {"go-to-market", "operations"}


def test_title_evidence_still_counts_for_go_to_market(taxonomy: Taxonomy) -> None:
    result = taxonomy.classify("Sales Engineer, Robotics", "Sell to warehouses.")
    assert result.function == "go-to-market"
    assert result.topics == ["robotics"]


def test_description_alone_needs_several_signals(taxonomy: Taxonomy) -> None:
    weak = taxonomy.classify("Software Engineer", "We like robots.")
    strong = taxonomy.classify(
        "Software Engineer", "Build teleoperation tools for humanoid robots."
    )
    assert "robotics" not in weak.topics
    assert "robotics" in strong.topics
    assert weak.scores["topic:robotics"] == 2
    assert strong.scores["topic:robotics"] == 6


def test_evidence_names_the_rules_that_decided(taxonomy: Taxonomy) -> None:
    result = taxonomy.classify(
        "Senior Research Scientist, World Models",
        "Learned simulators of the physical world.",
        team="Genie",
    )
    assert result.topics == ["world-models"]
    topic_evidence = {(e.field, e.phrase, e.weight) for e in result.evidence if e.kind == "topic"}
    assert topic_evidence == {
        ("title", "world models", 3.0),
        ("team", "genie", 3.0),
        ("description", "learned simulator*", 2.0),
        ("description", "physical world", 1.0),
    }
    assert result.function == "research" and result.seniority == "senior"
    assert "seniority senior: title has 'senior' (+5)" in result.explain()


def test_classification_is_deterministic_and_sorted(taxonomy: Taxonomy) -> None:
    args = (
        "Research Scientist, Multimodal World Models and Robotics",
        "Video generation for embodied agents.",
    )
    first = taxonomy.classify(*args)
    assert first == taxonomy.classify(*args)
    assert first.topics == sorted(first.topics)
    assert {"multimodal", "world-models", "robotics"} <= set(first.topics)


@pytest.mark.parametrize(
    ("title", "employment_type", "seniority"),
    [
        ("Senior Staff Software Engineer", None, "staff"),
        ("Senior Engineering Manager, Infrastructure", None, "manager"),
        ("Senior Product Manager", None, "senior"),
        ("Office Manager", None, "mid"),
        ("Member of Technical Staff", None, "mid"),
        ("Chief of Staff", None, "director"),
        ("Executive Assistant to the CEO", None, "mid"),
        ("VP, Research", None, "executive"),
        ("Head of Talent", None, "director"),
        ("New Grad Software Engineer", None, "junior"),
        ("Software Engineer", "intern", "intern"),
        ("Principal Engineer", None, "principal"),
    ],
)
def test_seniority(
    taxonomy: Taxonomy, title: str, employment_type: str | None, seniority: str
) -> None:
    assert taxonomy.classify(title, employment_type=employment_type).seniority == seniority


@pytest.mark.parametrize(
    ("title", "function"),
    [
        ("Research Engineer, Pretraining", "research"),
        ("Data Scientist", "data"),
        ("Data Engineer", "data"),
        ("UX Researcher", "design"),
        ("Physical Design Engineer", "engineering"),
        ("Product Marketing Manager", "go-to-market"),
        ("Product Manager, API", "product"),
        ("Technical Recruiter", "operations"),
        ("Stunt Double", "other"),
    ],
)
def test_function(taxonomy: Taxonomy, title: str, function: str) -> None:
    assert taxonomy.classify(title).function == function


def test_classifies_a_normalized_posting_with_team_and_department(taxonomy: Taxonomy) -> None:
    item = NormalizedPosting(
        external_id="1",
        title="Member of Technical Staff",
        team="Omni",
        department="Research",
        description="",
    )
    result = taxonomy(item)
    assert result.topics == ["multimodal"]
    assert any(e.field == "team" and e.phrase == "omni" for e in result.evidence)


def test_normalize_folds_case_and_punctuation() -> None:
    assert normalize("Post-Training & RL / C++") == " post training and rl c++ "
    assert normalize(None) == ""


def test_longest_overlapping_phrase_counts_once() -> None:
    taxonomy = parse_taxonomy(MINIMAL.replace('"game" = 3', '"game" = 3\n"game engine" = 5'))
    result = taxonomy.classify("Game Engine Programmer")
    assert result.scores["topic:games"] == 5  # "game engine" only, not also "game"


def test_weights_sum_to_the_threshold_and_exclusions_mask_text() -> None:
    taxonomy = parse_taxonomy(MINIMAL)
    assert taxonomy.classify("Engineer", "game engines and gameplay").topics == ["games"]
    assert taxonomy.classify("Engineer", "game engines").topics == []  # 2 < 3
    assert taxonomy.classify("Game-changing Engineer").topics == []
    assert taxonomy.classify("Game Engineer").topics == ["games"]
    assert taxonomy.classify("Anything").function == "other"
    assert taxonomy.classify("Anything").seniority == "mid"


def test_negative_weights_count_against_a_topic() -> None:
    taxonomy = parse_taxonomy(MINIMAL.replace('"game" = 3', '"game" = 3\n"board" = -3'))
    assert taxonomy.classify("Board Game Designer").topics == []


def _error(text: str) -> TaxonomyError:
    with pytest.raises(TaxonomyError) as caught:
        parse_taxonomy(text, Path("tax.toml"))
    return caught.value


def test_invalid_toml_names_file_and_line() -> None:
    err = _error(MINIMAL.replace('"gameplay" = 1', '"gameplay" = '))
    assert err.line == 11
    assert str(err).startswith("tax.toml:11: invalid TOML")


def test_bad_weight_names_the_phrase_line() -> None:
    err = _error(MINIMAL.replace('"gameplay" = 1', '"gameplay" = "high"'))
    assert (err.line, err.path) == (11, Path("tax.toml"))
    assert "weight of 'gameplay'" in err.message


def test_zero_weight_and_misplaced_star_are_refused() -> None:
    assert "non-zero" in _error(MINIMAL.replace('"game" = 3', '"game" = 0')).message
    err = _error(MINIMAL.replace('"game" = 3', '"ga*me" = 3'))
    assert err.line == 8 and "may only end a word" in err.message


def test_unknown_keys_and_sections_are_refused_with_their_line() -> None:
    err = _error(MINIMAL.replace('label = "Games"', 'label = "Games"\ntitel = 3'))
    assert err.line == 6 and "unknown key 'titel'" in err.message
    err = _error(MINIMAL + "\n[topicz.x]\nlabel = 'x'\n")
    assert err.line == 19 and "unknown section 'topicz'" in err.message


def test_bad_slug_and_defaults_are_refused() -> None:
    err = _error(
        MINIMAL.replace("[topics.games]", "[topics.Games]").replace(
            "topics.games.", "topics.Games."
        )
    )
    assert err.line == 4 and "slug" in err.message
    err = _error(MINIMAL.replace("threshold = 3", 'threshold = 3\nfunction = "sales"'))
    assert err.line == 3 and "'sales' is not one of the [functions]" in err.message
    err = _error(MINIMAL.replace("[seniority.mid]", "[seniority.senior]"))
    assert "seniority 'mid'" in err.message
    err = _error(MINIMAL.replace("threshold = 3", 'title_evidence_only = ["sales"]'))
    assert "unknown function(s) sales" in err.message


def test_missing_section_is_refused() -> None:
    err = _error(MINIMAL.split("[functions.other]")[0])
    assert "[functions] needs at least one entry" in err.message


def test_unreadable_file_is_a_taxonomy_error(tmp_path: Path) -> None:
    with pytest.raises(TaxonomyError, match="cannot read the taxonomy"):
        load_taxonomy(tmp_path / "missing.toml")
    with pytest.raises(TaxonomyError, match="cannot read the taxonomy"):
        taxonomy_at(tmp_path / "missing.toml")


def test_taxonomy_at_rereads_an_edited_file(tmp_path: Path) -> None:
    path = tmp_path / "taxonomy.toml"
    path.write_text(MINIMAL)
    assert taxonomy_at(path).classify("Gaming Lead").topics == []
    assert taxonomy_at(path) is taxonomy_at(path)  # cached while unchanged
    path.write_text(MINIMAL.replace('"game" = 3', '"game" = 3\n"gaming" = 3'))
    os.utime(path, ns=(1, 10**18))  # a different mtime, whatever the clock resolution
    assert taxonomy_at(path).classify("Gaming Lead").topics == ["games"]


def test_default_file_is_the_shipped_one() -> None:
    assert taxonomy_at().path == DEFAULT_TAXONOMY_FILE.resolve()


def test_real_greenhouse_captures(taxonomy: Taxonomy) -> None:
    """Real descriptions carry company boilerplate; sales roles must stay topic-free."""
    sample = SHARED_SAMPLES / "greenhouse" / "anthropic_jobs_content_list.json"
    if not sample.exists():
        pytest.skip(f"shared samples not present at {sample.parent}")
    by_title = {item.title: taxonomy(item) for item in parse_jobs(json.loads(sample.read_text()))}
    assert by_title["Account Executive, Public Sector"].topics == []
    assert by_title["Account Executive, Public Sector"].function == "go-to-market"
    assert by_title["Amazon GTM Partnership, Startups"].topics == []
    assert by_title["Anthropic Fellows Program, AI Safety"].topics == ["safety"]
    assert by_title["Anthropic Fellows Program, AI Safety"].function == "research"
