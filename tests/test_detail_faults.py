"""Details never cost a listed posting, end to end through ``scrape_boards``: Greenhouse's pay
details, Workday's and SmartRecruiters' descriptions. Each faulty history is compared with the
same history on a twin board whose details never failed."""

from __future__ import annotations

import copy
import json
from datetime import timedelta
from typing import Any

import httpx
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from scrapers.models import BoardConfig
from scrapers.sources.workday import posting_id
from service.app import create_app
from service.settings import Settings
from store.ingest import DETAIL_RETRY_FIRST
from tests.conftest import at, load_fixture
from tests.details_helpers import (
    FakeBoard,
    differences,
    event_types,
    picture,
    runs,
    scrape,
    stored,
)

T0 = at("2026-11-23T08:00")
HOUR = timedelta(hours=1)

# -- Greenhouse: a list without `pay_input_ranges`, pay read from each job's detail ----------
OMNI, TUTOR, AE, DC, PRETRAIN, SECURITY = (
    "4567890",
    "4567891",
    "4567892",
    "4567893",
    "4567894",
    "4567895",
)


def greenhouse(token: str) -> tuple[BoardConfig, FakeBoard]:
    board = BoardConfig(company=token, ats="greenhouse", token=token, api_base="http://gh.test")
    jobs = f"/v1/boards/{token}/jobs"
    fake = FakeBoard(
        listing=lambda r: httpx.Response(404, json={"status": 404, "error": "Job not found"}),
        details={
            f"{jobs}/{job_id}": load_fixture("greenhouse", f"job_{job_id}.json")
            for job_id in (OMNI, TUTOR, AE, DC, PRETRAIN, SECURITY)
        },
    )
    list_greenhouse(fake, token, "jobs_without_pay.json")
    return board, fake


def list_greenhouse(fake: FakeBoard, token: str, fixture: str) -> None:
    body = load_fixture("greenhouse", fixture)
    assert not any("pay_input_ranges" in job for job in body["jobs"])

    def listing(request: httpx.Request) -> httpx.Response:
        assert request.url.path == f"/v1/boards/{token}/jobs"
        return httpx.Response(200, json=body)

    fake.listing = listing


def gh_path(token: str, job_id: str) -> str:
    return f"/v1/boards/{token}/jobs/{job_id}"


def test_greenhouse_details_that_fail_keep_every_listed_job(engine: Engine) -> None:
    board, fake = greenhouse("xai")
    twin, twin_fake = greenhouse("xaitwin")
    for b, f in ((board, fake), (twin, twin_fake)):
        assert scrape(engine, b, f, T0).outcome == "ok"
        assert f.detail_paths() == {gh_path(b.token or "", j) for j in (OMNI, TUTOR, AE, DC)}
        list_greenhouse(f, b.token or "", "jobs_without_pay_later.json")

    # TUTOR and AE changed (new `updated_at`), PRETRAIN and SECURITY are new; OMNI and DC
    # are unchanged and cost no request. TUTOR's detail is gone, AE's and PRETRAIN's fail.
    fake.faults = {
        gh_path("xai", TUTOR): 404,
        gh_path("xai", AE): 500,
        gh_path("xai", PRETRAIN): 503,
    }
    faulty = scrape(engine, board, fake, T0 + HOUR)
    assert fake.detail_paths() == {gh_path("xai", j) for j in (TUTOR, AE, PRETRAIN, SECURITY)}
    assert (faulty.outcome, faulty.details_pending, faulty.closed) == ("ok", 2, 0)
    assert faulty.error and "2 of 4 details not read" in faulty.error and TUTOR in faulty.error
    postings = stored(engine, board)
    assert set(postings) == {OMNI, TUTOR, AE, DC, PRETRAIN, SECURITY}
    assert {p.status for p in postings.values()} == {"open"}
    assert postings[TUTOR].missing_runs == 1  # gone: counted as missing, not closed
    pretrain, ae = postings[PRETRAIN], postings[AE]
    # New and pending: stored from the listing (no pay there), detail due in 30 minutes.
    assert (pretrain.title, pretrain.team, pretrain.pay_min) == (
        "Research Engineer, Pretraining",
        "Pretraining",
        None,
    )
    assert (pretrain.detail_pending, pretrain.listing_only, pretrain.detail_attempts) == (
        True,
        True,
        1,
    )
    assert pretrain.detail_retry_at == T0 + HOUR + DETAIL_RETRY_FIRST
    # Stored before: its details (the pay read from its text) are kept, the new title is taken.
    assert (ae.title, ae.pay_min, ae.detail_pending, ae.listing_only) == (
        "Account Executive, Enterprise (EMEA)",
        120000,
        True,
        False,
    )
    assert postings[SECURITY].pay_min == 180000 and not postings[SECURITY].detail_pending
    assert event_types(engine, board) == {"posting.opened": 6}

    client = TestClient(create_app(Settings(database_url=engine.url.render_as_string(False))))
    latest = client.get("/api/runs", params={"board": "xai"}).json()["items"][0]
    assert (latest["outcome"], latest["details_pending"]) == ("ok", 2)
    assert "Details pending" in client.get("/runs").text

    assert scrape(engine, twin, twin_fake, T0 + HOUR).details_pending == 0
    assert len(twin_fake.detail_paths()) == 4
    later = T0 + 3 * HOUR  # past both retry times
    for b, f in ((board, fake), (twin, twin_fake)):
        f.faults = {}
        good = scrape(engine, b, f, later)
        assert (good.details_pending, good.closed) == (0, 0)
    # The good run reads the due details and the gone one's again; the twin reads none.
    assert fake.detail_paths() == {gh_path("xai", j) for j in (TUTOR, AE, PRETRAIN)}
    assert twin_fake.detail_paths() == set()
    assert stored(engine, board)[PRETRAIN].pay_min == 200000
    assert not differences(picture(engine, board), picture(engine, twin))
    assert event_types(engine, board) == {"posting.opened": 6}

    before = picture(engine, board)
    again = scrape(engine, board, fake, later + HOUR)
    assert fake.detail_paths() == set()
    assert (again.new, again.changed, again.closed) == (0, 0, 0)
    assert picture(engine, board) == before


def test_greenhouse_detail_gone_twice_closes_that_job_once(engine: Engine) -> None:
    board, fake = greenhouse("xai")
    scrape(engine, board, fake, T0)
    list_greenhouse(fake, "xai", "jobs_without_pay_later.json")
    fake.faults = {gh_path("xai", TUTOR): 404}
    first = scrape(engine, board, fake, T0 + HOUR)
    assert (first.outcome, first.closed) == ("ok", 0)
    second = scrape(engine, board, fake, T0 + 2 * HOUR)
    assert gh_path("xai", TUTOR) in fake.detail_paths()
    assert (second.outcome, second.closed) == ("ok", 1)
    third = scrape(engine, board, fake, T0 + 3 * HOUR)
    assert third.closed == 0
    postings = stored(engine, board)
    assert [p.external_id for p in postings.values() if p.status == "closed"] == [TUTOR]
    assert event_types(engine, board)["posting.closed"] == 1
    # Its detail answers again: the job is back, reopened rather than duplicated.
    fake.faults = {}
    assert scrape(engine, board, fake, T0 + 4 * HOUR).outcome == "ok"
    assert stored(engine, board)[TUTOR].status == "open"
    assert event_types(engine, board) == {"posting.opened": 7, "posting.closed": 1}


# -- Workday: 22 postings on two pages, page 2 reporting `total: 0` --------------------------
def workday_detail(row: dict[str, Any], careers: str, number: int) -> dict[str, Any]:
    detail = copy.deepcopy(load_fixture("workday", "detail_JR2004567.json"))
    info = detail["jobPostingInfo"]
    listed = row["locationsText"]
    pay = f"<p>The base salary range is {100 + number},000 USD - {200 + number},000 USD.</p>"
    info.update(
        {
            "id": f"{number:032x}",
            "title": row["title"].strip(),
            "jobDescription": f"<p>Build {row['title'].strip()}.</p>" + (pay if number % 2 else ""),
            "location": listed if "Locations" not in listed else "US, CA, Santa Clara",
            "jobReqId": row["bulletFields"][0],
            "jobPostingId": posting_id(row["externalPath"]),
            "externalUrl": careers + row["externalPath"],
            "additionalLocations": [],
        }
    )
    return detail


def workday(site: str) -> tuple[BoardConfig, FakeBoard, list[dict[str, Any]]]:
    careers = f"https://nvidia.wd5.myworkdayjobs.com/{site}"
    board = BoardConfig(company=site, ats="workday", url=careers, api_base="http://wd.test")
    cxs = f"/wday/cxs/nvidia/{site}"
    pages = [load_fixture("workday", f"jobs_22_page{n}.json") for n in (0, 1)]
    assert pages[0]["total"] == 22 and pages[1]["total"] == 0
    rows = [row for page in pages for row in page["jobPostings"]]

    def listing(request: httpx.Request) -> httpx.Response:
        assert request.method == "POST" and request.url.path == f"{cxs}/jobs"
        return httpx.Response(200, json=pages[json.loads(request.content)["offset"] // 20])

    details = {
        f"{cxs}{r['externalPath']}": workday_detail(r, careers, i) for i, r in enumerate(rows)
    }
    return board, FakeBoard(listing=listing, details=details), rows


def test_workday_details_that_fail_keep_every_listed_posting(engine: Engine) -> None:
    board, fake, rows = workday("NVIDIAExternalCareerSite")
    twin, twin_fake, _ = workday("NVIDIATwin")
    cxs = "/wday/cxs/nvidia/NVIDIAExternalCareerSite"
    failing = [rows[i]["externalPath"] for i in (1, 5, 9, 20, 21)]
    fake.faults = {
        f"{cxs}{failing[0]}": 500,
        f"{cxs}{failing[1]}": 502,
        f"{cxs}{failing[2]}": httpx.ReadTimeout,
        f"{cxs}{failing[3]}": httpx.ConnectError,
        f"{cxs}{failing[4]}": 500,
    }
    faulty = scrape(engine, board, fake, T0)
    assert (faulty.outcome, faulty.new, faulty.details_pending, faulty.closed) == ("ok", 22, 5, 0)
    assert len(fake.detail_paths()) == 22
    postings = stored(engine, board)
    assert len(postings) == 22 and {p.status for p in postings.values()} == {"open"}
    pending = {posting_id(path) for path in failing}
    assert {k for k, p in postings.items() if p.detail_pending} == pending
    one = postings[posting_id(failing[0])]  # from its list row alone
    assert (one.title, one.locations, one.description, one.pay_min) == (
        "CUDA Intern - Summer 2027",
        ["Germany, Munich"],
        "",
        None,
    )
    assert scrape(engine, twin, twin_fake, T0).details_pending == 0
    assert len(twin_fake.detail_paths()) == 22

    later = T0 + HOUR
    fake.faults = {}
    good = scrape(engine, board, fake, later)
    assert (good.outcome, good.details_pending, good.new, good.changed) == ("ok", 0, 0, 0)
    assert fake.detail_paths() == {f"{cxs}{path}" for path in failing}
    completed = stored(engine, board)[posting_id(failing[0])]
    assert completed.pay_min == 101000 and completed.employment_type == "full_time"
    scrape(engine, twin, twin_fake, later)
    assert twin_fake.detail_paths() == set()
    twin_picture = picture(engine, twin, same=("NVIDIATwin", "NVIDIAExternalCareerSite"))
    assert not differences(picture(engine, board), twin_picture)
    # Pay first read from the detail is a first publication: no pay_changed, no history.
    assert event_types(engine, board) == {"posting.opened": 22}
    assert picture(engine, board)["history"] == []
    assert [r.details_pending for r in runs(engine, board)] == [5, 0]

    scrape(engine, board, fake, later + HOUR)
    assert fake.detail_paths() == set()


# -- SmartRecruiters: descriptions (and the pay in them) only in each posting's detail -------
GAMEPLAY, ANALYST, PRODUCER, LEVEL, ANIMATION = (
    "744000160000001",
    "744000160000002",
    "744000160000003",
    "744000160000004",
    "744000160000005",
)


def smartrecruiters(token: str) -> tuple[BoardConfig, FakeBoard, dict[str, Any]]:
    board = BoardConfig(
        company=token, ats="smartrecruiters", token=token, api_base="http://sr.test"
    )
    path = f"/v1/companies/{token}/postings"
    lists = {"page": load_fixture("smartrecruiters", "postings_page0.json")}

    def listing(request: httpx.Request) -> httpx.Response:
        assert request.url.path == path and request.url.params["offset"] == "0"
        return httpx.Response(200, json=lists["page"])

    details = {
        f"{path}/{pid}": load_fixture("smartrecruiters", f"posting_{pid}.json")
        for pid in (GAMEPLAY, ANALYST, PRODUCER, LEVEL, ANIMATION)
    }
    return board, FakeBoard(listing=listing, details=details), lists


def test_smartrecruiters_details_that_fail_keep_every_listed_posting(engine: Engine) -> None:
    board, fake, lists = smartrecruiters("Ubisoft2")
    twin, twin_fake, twin_lists = smartrecruiters("Ubisoft2Twin")
    path = "/v1/companies/Ubisoft2/postings"
    for b, f, listing in ((board, fake, lists), (twin, twin_fake, twin_lists)):
        assert scrape(engine, b, f, T0).outcome == "ok"
        f.detail_paths()
        listing["page"] = load_fixture("smartrecruiters", "postings_grown.json")

    # ANALYST's entry changed (its name), LEVEL and ANIMATION are new.
    fake.faults = {f"{path}/{ANALYST}": 410, f"{path}/{LEVEL}": 500}
    faulty = scrape(engine, board, fake, T0 + HOUR)
    assert fake.detail_paths() == {f"{path}/{pid}" for pid in (ANALYST, LEVEL, ANIMATION)}
    assert (faulty.outcome, faulty.details_pending, faulty.closed) == ("ok", 1, 0)
    postings = stored(engine, board)
    assert set(postings) == {GAMEPLAY, ANALYST, PRODUCER, LEVEL, ANIMATION}
    assert {p.status for p in postings.values()} == {"open"}
    level = postings[LEVEL]
    # Everything the list entry says is kept; the description (and its pay) awaits the detail.
    assert (level.title, level.team, level.locations, level.workplace) == (
        "Level Designer",
        "Design",
        ["Montpellier, OCC, France"],
        "hybrid",
    )
    assert (level.description, level.pay_min, level.detail_pending) == ("", None, True)
    assert postings[ANIMATION].pay_currency == "CAD"
    scrape(engine, twin, twin_fake, T0 + HOUR)
    assert len(twin_fake.detail_paths()) == 3

    for b, f in ((board, fake), (twin, twin_fake)):
        f.faults = {}
        assert scrape(engine, b, f, T0 + 2 * HOUR).details_pending == 0
    assert fake.detail_paths() == {f"{path}/{ANALYST}", f"{path}/{LEVEL}"}
    level = stored(engine, board)[LEVEL]
    assert (level.pay_min, level.pay_max, level.pay_currency) == (42000, 52000, "EUR")
    assert "Join the team as a Level Designer" in level.description
    assert not differences(picture(engine, board), picture(engine, twin))
    assert event_types(engine, board) == {"posting.opened": 5}
    assert [h[:2] for h in picture(engine, board)["history"]] == [(ANALYST, "title")]
