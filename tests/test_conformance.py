"""Every real captured response under ../shared/reference/ats/samples/ parses.

Each source kind registers a function that parses one sample file into postings; the test
runs over every sample of every registered kind when the shared folder exists.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from scrapers.models import NormalizedPosting
from scrapers.sources import greenhouse
from tests.ats_helpers import SAMPLE_PARSERS as ATS_SAMPLE_PARSERS
from tests.boards_helpers import SAMPLE_PARSERS as BOARD_SAMPLE_PARSERS
from tests.conftest import SHARED_SAMPLES


def load_json(path: Path) -> object:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".jsonc":
        text = re.sub(r"^\s*//.*$", "", text, flags=re.MULTILINE)
    return json.loads(text)


def parse_greenhouse(path: Path) -> list[NormalizedPosting]:
    data = load_json(path)
    if isinstance(data, dict) and "jobs" not in data:
        if "departments" in data or "offices" in data:
            # department/office listings nest jobs without content; parse those.
            groups = data.get("departments") or data.get("offices") or []
            jobs = [job for group in groups for job in group.get("jobs", [])]
            return greenhouse.parse_jobs({"jobs": jobs})
        return [greenhouse.parse_job(data)]  # a single job (detail endpoint)
    return greenhouse.parse_jobs(data)


# kind -> parser of one sample file. Each source kind adds its entry here.
SAMPLE_PARSERS: dict[str, Callable[[Path], list[NormalizedPosting]]] = {
    "greenhouse": parse_greenhouse,
    **ATS_SAMPLE_PARSERS,  # lever, ashby, workday, smartrecruiters
    **BOARD_SAMPLE_PARSERS,  # workable, recruitee, personio, hackernews
}


def _samples() -> list[Path]:
    if not SHARED_SAMPLES.is_dir():
        return []
    return sorted(p for p in SHARED_SAMPLES.glob("*/*") if p.is_file())


@pytest.mark.skipif(
    not SHARED_SAMPLES.is_dir(), reason=f"shared reference samples not present at {SHARED_SAMPLES}"
)
@pytest.mark.parametrize("sample", _samples(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_sample_parses(sample: Path) -> None:
    kind = sample.parent.name
    assert kind in SAMPLE_PARSERS, f"no conformance parser for the {kind} samples"
    postings = SAMPLE_PARSERS[kind](sample)
    for posting in postings:
        assert posting.external_id
        assert posting.title and posting.title == posting.title.strip()
        # Entity-escaped HTML is decoded exactly once: no entities survive into the text.
        assert "&lt;" not in posting.description and "&amp;" not in posting.description
        if posting.pay is not None:
            assert posting.pay.currency and len(posting.pay.currency) == 3
            assert (
                posting.pay.min is None
                or posting.pay.max is None
                or posting.pay.min <= posting.pay.max
            )
