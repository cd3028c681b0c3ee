"""Workday CXS: parsing, paging, the 2000 clamp and its facet split, partial runs, end to end."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from scrapers.errors import BoardNotFound, FetchError, ParseError
from scrapers.models import BoardConfig, Pay
from scrapers.sources.base import BoardState
from scrapers.sources.workday import (
    CLAMP,
    WorkdayScraper,
    choose_split,
    parse_board_url,
    parse_detail,
    parse_page,
    posting_id,
)
from tests.ats_helpers import (
    json_response,
    read_postings,
    runs,
    scrape_through_cli,
    server_requests,
    subset,
    write_sources,
)
from tests.conftest import SHARED_SAMPLES, load_fixture
from tests.e2e_helpers import Reply, Request, local_server
from tests.enrich_helpers import settled
from tests.scraper_helpers import fetch as run_fetch

CAREERS = "https://nvidia.wd5.myworkdayjobs.com/en-US/NVIDIAExternalCareerSite"
BOARD = BoardConfig(company="NVIDIA", ats="workday", url=CAREERS, api_base="http://wd.test")
CXS = "/wday/cxs/nvidia/NVIDIAExternalCareerSite"
SITE = parse_board_url(CAREERS)
INFERENCE = "Senior-Deep-Learning-Engineer--Inference_JR2004567"
CUDA = "CUDA-Intern---Summer-2027_JR2004570"
SA = "Solutions-Architect--Public-Sector_JR2004571"


def page0() -> dict[str, Any]:
    return dict(load_fixture("workday", "jobs_page0.json"))


def detail_for(path: str) -> dict[str, Any]:
    return dict(load_fixture("workday", f"detail_{path.rsplit('_', 1)[-1]}.json"))


def make_row(number: int, family: str = "eng") -> dict[str, Any]:
    return {
        "title": f"Engineer {number} ({family})",
        "externalPath": f"/job/US-CA-Santa-Clara/Engineer-{number}_JR{2100000 + number}",
        "locationsText": "US, CA, Santa Clara",
        "postedOn": "Posted Today",
        "bulletFields": [f"JR{2100000 + number}"],
    }


def make_detail(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "jobPostingInfo": {
            "id": row["bulletFields"][0].lower(),
            "title": row["title"],
            "jobDescription": "<p>Build things.</p>",
            "location": "US, CA, Santa Clara",
            "postedOn": "Posted Today",
            "startDate": "2026-11-01",
            "timeType": "Full time",
            "jobReqId": row["bulletFields"][0],
            "jobPostingId": posting_id(row["externalPath"]),
            "jobPostingSiteId": "NVIDIAExternalCareerSite",
            "externalUrl": f"https://nvidia.wd5.myworkdayjobs.com/NVIDIAExternalCareerSite"
            f"{row['externalPath']}",
        },
        "hiringOrganization": {"name": "NVIDIA USA", "url": ""},
        "similarJobs": [],
        "userAuthenticated": False,
    }


class FakeTenant:
    """A CXS server with Workday's quirks: totals only on page 0, at most 20 per page, a
    reported total clamped at 2000 with offsets past it repeating page 1, and facet counts
    that are not clamped."""

    def __init__(
        self,
        families: dict[str, list[dict[str, Any]]],
        *,
        failing_offsets: frozenset[int] = frozenset(),
        failing_details: frozenset[str] = frozenset(),
    ) -> None:
        self.families = families
        self.failing_offsets = failing_offsets
        self.failing_details = failing_details
        self.bodies: list[dict[str, Any]] = []
        self.detail_paths: list[str] = []

    def rows(self, applied: dict[str, list[str]]) -> list[dict[str, Any]]:
        wanted = applied.get("jobFamilyGroup")
        return [
            row
            for family, rows in self.families.items()
            if wanted is None or f"id-{family}" in wanted
            for row in rows
        ]

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if request.method == "POST" and path == f"{CXS}/jobs":
            body = json.loads(request.content)
            self.bodies.append(body)
            assert body["limit"] <= 20 and body["searchText"] == ""
            if not body["appliedFacets"] and body["offset"] in self.failing_offsets:
                return httpx.Response(500, text="busy")
            return json_response(self.page(body["appliedFacets"], body["offset"]))
        if request.method == "GET" and path.startswith(f"{CXS}/job/"):
            external_path = path.removeprefix(CXS)
            self.detail_paths.append(external_path)
            if external_path in self.failing_details:
                return json_response({"errorCode": "HTTP_404"}, 404)
            row = next(r for r in self.rows({}) if r["externalPath"] == external_path)
            return json_response(make_detail(row))
        return json_response({"errorCode": "HTTP_400"}, 400)

    def page(self, applied: dict[str, list[str]], offset: int) -> dict[str, Any]:
        rows = self.rows(applied)
        if offset >= CLAMP:
            offset = 20  # clamped boards repeat page 1 past the cap
        elif offset >= len(rows):
            offset = max(0, len(rows) - 20)  # past the end: a full page, not an empty one
        facets = [
            {
                "facetParameter": "jobFamilyGroup",
                "descriptor": "Job Category",
                "values": [
                    {"descriptor": name, "id": f"id-{name}", "count": len(rows)}
                    for name, rows in self.families.items()
                ],
            }
        ]
        return {
            "total": min(len(rows), CLAMP) if offset == 0 else 0,
            "jobPostings": rows[offset : offset + 20],
            "facets": facets if offset == 0 else [],
            "userAuthenticated": False,
        }


def fetch(tenant: FakeTenant, known: frozenset[str] = frozenset()) -> Any:
    return run_fetch(WorkdayScraper(), BOARD, tenant, BoardState(known_ids=known))


def test_board_url_gives_tenant_and_site_with_or_without_locale() -> None:
    assert (SITE.tenant, SITE.site, SITE.origin) == (
        "nvidia",
        "NVIDIAExternalCareerSite",
        "https://nvidia.wd5.myworkdayjobs.com",
    )
    plain = parse_board_url("https://begacheese.wd3.myworkdayjobs.com/Bega_Careers")
    assert (plain.tenant, plain.site) == ("begacheese", "Bega_Careers")
    scraper = WorkdayScraper()
    assert scraper.validate(BoardConfig(company="x", ats="workday", url=CAREERS)) is None
    for bad in (None, "https://nvidia.wd5.myworkdayjobs.com/", "ftp://x.y/site"):
        assert scraper.validate(BoardConfig(company="x", ats="workday", url=bad)) is not None
    assert scraper.cxs_root(BOARD)[1] == f"http://wd.test{CXS}"
    unset = BoardConfig(company="x", ats="workday", url=CAREERS)
    assert scraper.cxs_root(unset)[1] == f"https://nvidia.wd5.myworkdayjobs.com{CXS}"


def test_parse_detail_fields() -> None:
    _, rows, _ = parse_page(page0())
    postings = {
        p.external_id: settled(p)
        for p in (parse_detail(detail_for(r["externalPath"]), r, SITE) for r in rows)
    }
    inference = postings[INFERENCE]
    assert inference.title == "Senior Deep Learning Engineer, Inference"  # list title trimmed
    assert inference.locations == ("US, CA, Santa Clara", "US, WA, Seattle")
    assert inference.workplace == "hybrid" and inference.employment_type == "full_time"
    assert inference.posted_at == datetime(2026, 11, 20, tzinfo=UTC)  # startDate, not postedOn
    assert inference.pay == Pay(184000, 356500, "USD", "year", "text")
    assert (
        inference.url == f"https://nvidia.wd5.myworkdayjobs.com/NVIDIAExternalCareerSite/job/"
        f"US-CA-Santa-Clara/{INFERENCE}"
    )
    assert inference.extra == {"job_req_id": "JR2004567", "country": "US"}
    assert "Optimise TensorRT-LLM" in inference.description
    assert postings[CUDA].workplace is None and postings[CUDA].pay is None
    assert "Students & graduates" in postings[CUDA].description
    assert postings[SA].workplace == "remote"


def test_parse_page_rejects_bad_shapes_and_picks_a_splitting_facet() -> None:
    with pytest.raises(ParseError):
        parse_page({"total": 3})
    with pytest.raises(ParseError):
        parse_page({"total": 1, "jobPostings": [{"title": "no path"}]})
    nested = [
        {
            "facetParameter": "locationMainGroup",
            "values": [
                {
                    "facetParameter": "locations",
                    "values": [{"id": "a", "count": 1500}, {"id": "b", "count": 900}],
                }
            ],
        },
        {"facetParameter": "jobFamilyGroup", "values": [{"id": "x", "count": 2400}]},
        {"facetParameter": "timeType", "values": [{"id": "ft", "count": 1900}]},
    ]
    # jobFamilyGroup has a clamped value, timeType misses jobs: the nested facet is used.
    assert choose_split(nested) == ("locations", ["a", "b"])
    assert choose_split(nested[1:]) is None


def test_paging_is_bounded_by_total_and_deduplicated() -> None:
    rows = [make_row(i) for i in range(45)]
    tenant = FakeTenant({"eng": rows})
    snapshot = fetch(tenant)
    assert snapshot.complete and snapshot.reported_total == 45 and not snapshot.warnings
    assert len(snapshot.postings) == 45
    assert sorted(b["offset"] for b in tenant.bodies) == [0, 20, 40]
    assert all(b["limit"] == 20 and b["appliedFacets"] == {} for b in tenant.bodies)
    assert {p.external_id for p in snapshot.postings} == {
        posting_id(r["externalPath"]) for r in rows
    }


def test_details_only_for_postings_not_stored_yet() -> None:
    rows = [make_row(i) for i in range(30)]
    tenant = FakeTenant({"eng": rows})
    known = frozenset(posting_id(r["externalPath"]) for r in rows[:25])
    snapshot = fetch(tenant, known)
    assert snapshot.complete and len(snapshot.postings) == 30
    assert sorted(tenant.detail_paths) == sorted(r["externalPath"] for r in rows[25:])
    by_id = {p.external_id: settled(p) for p in snapshot.postings}
    stored = by_id[posting_id(rows[0]["externalPath"])]
    assert not stored.hydrated and stored.title == "Engineer 0 (eng)"
    assert (
        stored.url
        == "https://nvidia.wd5.myworkdayjobs.com/NVIDIAExternalCareerSite" + rows[0]["externalPath"]
    )
    fresh = by_id[posting_id(rows[29]["externalPath"])]
    assert fresh.hydrated and fresh.employment_type == "full_time"


def test_a_failed_page_makes_the_run_partial() -> None:
    rows = [make_row(i) for i in range(65)]
    snapshot = fetch(FakeTenant({"eng": rows}, failing_offsets=frozenset({40})))
    assert not snapshot.complete
    assert len(snapshot.postings) == 45  # everything but the 20 rows of the failed page
    assert any("offset 40" in w for w in snapshot.warnings)


def test_a_gone_detail_leaves_its_posting_out_of_a_complete_run() -> None:
    rows = [make_row(i) for i in range(5)]
    snapshot = fetch(
        FakeTenant({"eng": rows}, failing_details=frozenset({rows[2]["externalPath"]}))
    )
    # The detail answered 404: that posting is gone (the store counts it as missing); the
    # listing was read whole, so the board did not fail.
    assert snapshot.complete and len(snapshot.postings) == 4
    assert any(posting_id(rows[2]["externalPath"]) in w for w in snapshot.warnings)


def test_clamped_total_is_split_by_facet_and_read_completely() -> None:
    families = {
        "eng": [make_row(i, "eng") for i in range(1200)],
        "sales": [make_row(i, "sales") for i in range(1200, 1900)],
        "ops": [make_row(i, "ops") for i in range(1900, 2110)],
    }
    tenant = FakeTenant(families)
    every = [r for rows in families.values() for r in rows]
    known = frozenset(posting_id(r["externalPath"]) for r in every[5:])  # keep details few
    snapshot = fetch(tenant, known)
    assert snapshot.complete, snapshot.warnings
    assert len(snapshot.postings) == 2110 > CLAMP
    assert {p.external_id for p in snapshot.postings} == {
        posting_id(r["externalPath"]) for r in every
    }
    applied = [b["appliedFacets"] for b in tenant.bodies if b["appliedFacets"]]
    assert {tuple(a["jobFamilyGroup"]) for a in applied} == {
        ("id-eng",),
        ("id-sales",),
        ("id-ops",),
    }
    assert max(b["offset"] for b in tenant.bodies) < CLAMP
    assert len(tenant.detail_paths) == 5


def test_clamped_total_without_a_usable_facet_is_partial() -> None:
    tenant = FakeTenant({"eng": [make_row(i) for i in range(2050)]})
    every = tenant.rows({})
    snapshot = fetch(tenant, frozenset(posting_id(r["externalPath"]) for r in every))
    assert not snapshot.complete
    assert len(snapshot.postings) == CLAMP
    assert any("clamped" in w for w in snapshot.warnings)
    assert max(b["offset"] for b in tenant.bodies) < CLAMP


def test_dead_site_and_garbage_fail_the_run() -> None:
    with pytest.raises(BoardNotFound):
        run_fetch(WorkdayScraper(), BOARD, lambda r: json_response({}, 404))
    with pytest.raises(FetchError):
        run_fetch(WorkdayScraper(), BOARD, lambda r: json_response({"errorCode": "x"}, 422))
    with pytest.raises(ParseError):
        run_fetch(WorkdayScraper(), BOARD, lambda r: httpx.Response(200, text='{"total": 3, "jo'))
    with pytest.raises(ParseError):
        run_fetch(WorkdayScraper(), BOARD, lambda r: httpx.Response(200, text="<html>Akamai"))


def test_end_to_end_through_the_cli(tmp_path: Path, empty_database_url: str) -> None:
    url = empty_database_url

    def jobs(request: Request) -> Reply:
        body = json.loads(request.body)
        page = page0() if body["offset"] == 0 else {**page0(), "total": 0, "facets": []}
        return Reply(body=json.dumps(page))

    with local_server() as server:
        server.route("POST", f"{CXS}/jobs", jobs)
        for row in page0()["jobPostings"]:
            server.route(
                "GET",
                f"{CXS}{row['externalPath']}",
                Reply(body=json.dumps(detail_for(row["externalPath"]))),
            )
        sources = write_sources(
            tmp_path,
            "NVIDIA",
            f'ats = "workday", url = "{CAREERS}", api_base = "{server.base_url}"',
        )
        scrape_through_cli(url, sources)
        posts = [r for r in server.requests if r.method == "POST"]
        assert len(posts) == 1 and json.loads(posts[0].body)["limit"] == 20
        detail_path = f"{CXS}/job/US-CA-Santa-Clara/{INFERENCE}"
        assert server_requests(server, "GET", detail_path) == 1
        scrape_through_cli(url, sources, upgrade=False)  # a second run reads no detail again
        assert server_requests(server, "GET", detail_path) == 1
    items = read_postings(url)
    assert set(items) == {INFERENCE, CUDA, SA}
    expected: dict[str, Any] = {
        "company": "NVIDIA",
        "ats": "workday",
        "external_id": INFERENCE,
        "title": "Senior Deep Learning Engineer, Inference",
        "team": None,
        "department": None,
        "locations": ["US, CA, Santa Clara", "US, WA, Seattle"],
        "workplace": "hybrid",
        "employment_type": "full_time",
        "pay": {
            "min": 184000,
            "max": 356500,
            "currency": "USD",
            "period": "year",
            "annual_min": 184000,
            "annual_max": 356500,
            "annual_min_usd": 184000,
            "annual_max_usd": 356500,
            "source": "text",
        },
        "url": f"https://nvidia.wd5.myworkdayjobs.com/NVIDIAExternalCareerSite/job/"
        f"US-CA-Santa-Clara/{INFERENCE}",
        "posted_at": "2026-11-20T00:00:00Z",
        "closed_at": None,
        "status": "open",
    }
    assert subset(items[INFERENCE], expected) == expected
    assert items[SA]["workplace"] == "remote" and items[CUDA]["pay"] is None
    assert [r["outcome"] for r in runs(url)] == ["ok", "ok"]


@pytest.mark.skipif(
    not (SHARED_SAMPLES / "workday").is_dir(),
    reason=f"shared reference samples not present at {SHARED_SAMPLES}",
)
def test_real_clamped_capture_without_facets_is_partial() -> None:
    capture = json.loads(
        (
            SHARED_SAMPLES / "workday" / "nvidia_like_jobs_list_prettyirrelevant_hunt.json"
        ).read_text()
    )
    rows = capture["jobPostings"]
    known = frozenset(posting_id(r["externalPath"]) for r in rows)
    snapshot = run_fetch(
        WorkdayScraper(), BOARD, lambda r: json_response(capture), BoardState(known_ids=known)
    )
    # total 2000 and no facets to split by: the two distinct rows are kept, the run is partial.
    assert not snapshot.complete and snapshot.reported_total == CLAMP
    assert {p.external_id for p in snapshot.postings} == known
