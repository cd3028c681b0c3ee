"""Real "Who is hiring?" comments (tests/data/hackernews, labelled by hand; README there gives
the sources, the split and the labelling rules): parse_comment must name the right company and
the right set of titles for at least 90 % of the development half.

Match rule: names compare case-insensitively with whitespace collapsed, surrounding punctuation
and a leading "a"/"an" dropped; a title also ignores bracketed qualifiers at either end
("Senior Engineer (Generalist)" = "Senior Engineer"). The set of titles must be equal. A comment
labelled with no role is right when it yields no posting. Locations: equal sets, same rule
without dropping qualifiers."""

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


def post(text: str) -> list[NormalizedPosting]:
    return parse_comment({"id": 9, "parent": 1, "type": "comment", "time": 1700000000,
                          "text": text})


def test_a_city_is_a_place_not_a_title() -> None:
    (posting,) = post("Nimble | Bangkok, Thailand | Fulltime | HYBRID OR REMOTE<p>"
                      "Web Developer: https:&#x2F;&#x2F;jobs.example&#x2F;web")
    assert posting.title == "Web Developer" and posting.locations == ("Bangkok, Thailand",)
    assert posting.workplace == "hybrid" and posting.employment_type == "full_time"
    postings = post("Squarespace | NYC, Portland, Dublin | Full time | Onsite &amp; Remote<p>"
                    "- Senior ML Platform Engineer: https:&#x2F;&#x2F;x.example&#x2F;1<p>"
                    "- Site Reliability Engineer for Machine Learning: https:&#x2F;&#x2F;x.example")
    assert [p.title for p in postings] == ["Senior ML Platform Engineer",
                                           "Site Reliability Engineer for Machine Learning"]
    assert postings[0].locations == ("NYC", "Portland", "Dublin")


def test_a_remote_region_is_one_location() -> None:
    (posting,) = post("Acme | Backend Engineer | REMOTE (US and EU) | Full-time")
    assert posting.locations == ("REMOTE (US and EU)",) and posting.workplace == "remote"
    (posting,) = post("Acme | Backend Engineer | Remote in North America, Australia, or EU")
    assert posting.locations == ("Remote in North America, Australia, or EU",)
    (posting,) = post("Acme | Backend Engineer | Boston, MA, USA | ONSITE")
    assert posting.locations == ("Boston, MA, USA",) and posting.workplace == "onsite"
    (posting,) = post("Acme | Engineer | ONSITE (Berlin, Lisbon, Tel Aviv) and (some) REMOTE")
    assert posting.locations == ("Berlin", "Lisbon", "Tel Aviv")


def test_roles_only_where_the_post_lists_roles() -> None:
    header_roles = post("N26 | SREs, JVM Backend Engineers, Product Owners | Berlin<p>"
                        "- We eliminated paperwork<p>- Lead with empathy")
    assert [p.title for p in header_roles] == ["SREs", "JVM Backend Engineers", "Product Owners"]
    (one,) = post("Prenosis | Software Engineer, Applied Machine Learning | Chicago, IL")
    assert one.title == "Software Engineer, Applied Machine Learning"
    listed = post("AuditBoard | Los Angeles | Full-time<p>- Node.js, Ember.js, Kubernetes<p>"
                  "- Small empowered product teams, flexible schedules<p>Looking for:<p>"
                  "- API Product Manager<p>- Senior Software Engineers")
    assert [p.title for p in listed] == ["API Product Manager", "Senior Software Engineers"]
    assert post("Acme | Multiple roles | Remote<p>- Great benefits<p>- Flexible hours") == []


def test_prose_names_the_role_when_nothing_lists_one() -> None:
    (posting,) = post("Goody | Remote | $170-230K + equity | Full-time<p>Goody is hiring a "
                      "Senior Software Engineer (Ruby, Rails) who likes to ship.")
    assert posting.title == "Senior Software Engineer" and posting.company == "Goody"
    assert post("Eleos | Remote (US only) | Full time<p>We're looking for someone to own "
                "our web backends.") == []


def test_other_separators_and_entities_decoded_once() -> None:
    (dash,) = post("WunderGraph - Staff Platform Engineer - REMOTE-EMEA<p>We build APIs.")
    assert (dash.company, dash.title, dash.locations) == \
        ("WunderGraph", "Staff Platform Engineer", ("REMOTE-EMEA",))
    (slash,) = post("Hasura &#x2F; Haskell Engineer &#x2F; Remote<p>GraphQL engine.")
    assert (slash.company, slash.title, slash.workplace) == ("Hasura", "Haskell Engineer",
                                                             "remote")
    (amp,) = post("AT&amp;amp;T Labs | Research Scientist | Paris")
    assert amp.company == "AT&amp;T Labs"  # "&amp;amp;" is "&amp;" once decoded, not "&"
    (jupiter,) = post("Jupiter (YC S19) | ML Engineer | SF&#x2F;Remote")
    assert (jupiter.company, jupiter.locations, jupiter.workplace) == \
        ("Jupiter", ("SF",), "remote")


def test_a_post_without_a_header_that_says_whom_it_hires() -> None:
    (posting,) = post("SiteZeus is hiring a Machine Learning Engineer to join our team!<p>"
                      "We are remote-first.")
    assert (posting.company, posting.title) == ("SiteZeus", "Machine Learning Engineer")
    assert post("Is anyone hiring for embedded work in Lisbon? Asking for a friend.") == []
