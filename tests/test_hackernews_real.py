"""Real "Who is hiring?" comments (tests/data/hackernews, labelled by hand; README there gives
the sources, the split and the labelling rules): parse_comment must name the right company and
the right set of titles for at least 90 % of the development half."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from scrapers.hackernews import parse_comment
from scrapers.models import NormalizedPosting

DATA = Path(__file__).parent / "data" / "hackernews"
BAR = 0.90
TEST_FLOOR = 0.85
_QUALIFIER = re.compile(r"^\s*[\[(][^\])]*[\])]\s*|\s*[\[(][^\])]*[\])]\s*$")


def load(half: str) -> list[dict[str, Any]]:
    lines = (DATA / f"real_{half}.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def norm(name: str) -> str:
    text = " ".join(name.split()).casefold().strip(" .,;:!-\u2013\u2014|")
    return re.sub(r"^(?:a|an)\s+", "", text)


def norm_title(title: str) -> str:
    text = title
    while (stripped := _QUALIFIER.sub("", text)) != text and stripped:
        text = stripped
    return norm(text)


def as_item(record: dict[str, Any]) -> dict[str, Any]:
    return {"id": record["id"], "parent": record["thread"], "type": "comment",
            "time": 1700000000, "text": record["text"], "by": "someone"}


def judge(record: dict[str, Any], postings: list[NormalizedPosting]) -> tuple[bool, bool]:
    """(company and titles right, locations right). A comment naming no role is right when it
    yields no postings (there is no title to give one)."""
    if not record["titles"]:
        return not postings, not postings
    if not postings:
        return False, False
    titles = {norm_title(p.title) for p in postings}
    right = norm(postings[0].company or "") == norm(record["company"]) and \
        titles == {norm_title(t) for t in record["titles"]}
    places = {norm(p) for p in postings[0].locations} == {norm(p) for p in record["locations"]}
    return right, places


def score(half: str) -> tuple[float, float, float, int]:
    records = load(half)
    right = places = workplace = 0
    for record in records:
        postings = parse_comment(as_item(record))
        ok, ok_places = judge(record, postings)
        right += ok
        places += ok_places
        workplace += (postings[0].workplace if postings else None) == record["workplace"]
    n = len(records)
    return right / n, places / n, workplace / n, n


def test_the_halves_are_disjoint_real_and_large_enough() -> None:
    dev, test = load("dev"), load("test")
    assert not {r["id"] for r in dev} & {r["id"] for r in test}
    assert len(dev) + len(test) >= 70
    assert all(r["source"] and r["text"] and r["company"] for r in dev + test)


@pytest.mark.parametrize("half", ["dev", "test"])
def test_company_and_titles_on_real_comments(half: str, capsys: pytest.CaptureFixture[str]
                                             ) -> None:
    accuracy, places, workplace, n = score(half)
    with capsys.disabled():
        print(f"\nhackernews {half} (n={n}): company+titles {accuracy:.3f} (bar {BAR}), "
              f"locations {places:.3f}, workplace {workplace:.3f}")
    assert accuracy >= (BAR if half == "dev" else TEST_FLOOR)
