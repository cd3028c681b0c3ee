"""Fault matrix: every source kind, crossed with the ways a board fails in flight.

Each cell: two good runs establish the board's open postings; the fault then answers two runs
in a row, which is what the closure rule needs (missing from two consecutive ok runs), so a
fault taken for a good answer would close postings; then one good run. Asserted: the fault runs
have the expected outcome and error, close nothing and write no ``posting.closed``; the good run
after them is the run a good board gets anyway (the second good run's outcome, the same open
postings, no new ``posting.opened``).

Driven through ``service.scrape.scrape_boards`` against a local server on 127.0.0.1, so a cut
connection and a drip are real TCP; runs are 12 hours apart, so three suspicious runs would
span the 24 hours the mass-drop rule asks for.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import timedelta
from functools import cache
from typing import Any, Literal

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, select

from scrapers.models import BoardConfig
from service.scrape import RunSummary, scrape_boards
from service.settings import Settings
from store.engine import make_engine
from store.models import Event, Posting
from store.search import ensure_search_index
from tests.conftest import FIXTURES, at, load_fixture
from tests.fault_server import Answer, FaultServer, Hit, Site, fault_server, not_found

Format = Literal["json", "xml", "html"]
JSON = "application/json"
HTML = "text/html; charset=utf-8"
GOOD = "as a good run"  # the expected outcome of a fault the source reads through
DRIP_DEADLINE = 0.1  # seconds; the drip below needs far longer for any list body


def json_answer(body: Any) -> Answer:
    return Answer(body=json.dumps(body).encode(), content_type=JSON)


def query_int(hit: Hit, name: str) -> int:
    return int((hit.query.get(name) or ["0"])[0])


@dataclass(frozen=True)
class Kind:
    """A healthy board of one kind, and where its faults go."""

    ats: str
    board: Callable[[str], BoardConfig]  # the board, given the server's base URL
    good: Site
    is_list: Callable[[Hit], bool]  # the listing request the list faults hit
    reshaped: Callable[[Hit], Answer | None]  # the board in another shape (None: as good)
    marker: bytes  # a stray invalid byte goes in front of this, in the listing body
    format: Format = "json"
    # Kinds that read more than one page: the second page, and a board big enough to have one.
    is_page2: Callable[[Hit], bool] | None = None
    paged: Site | None = None  # None: `good` has a second page already


# -- the ten kinds, from the fixtures under tests/fixtures/ --------------------------------------


def _single(path: str, body: Answer) -> Site:
    return lambda hit: body if hit.path == path else not_found(hit)


def _path_is(path: str) -> Callable[[Hit], bool]:
    return lambda hit: hit.path == path


GH_PATH = "/v1/boards/acme/jobs"
GH_JOBS = load_fixture("greenhouse", "xai_jobs.json")
LEVER_PATH = "/v0/postings/acme"
LEVER_POSTINGS = load_fixture("lever", "postings.json")
ASHBY_PATH = "/posting-api/job-board/acme"
ASHBY_BOARD = load_fixture("ashby", "job_board.json")
WORKABLE_PATH = "/api/v1/widget/accounts/acme"
WORKABLE_ACCOUNT = load_fixture("workable", "acme_account.json")
RECRUITEE_PATH = "/api/offers/"
RECRUITEE_OFFERS = load_fixture("recruitee", "acme_offers.json")
PERSONIO_FEED = (FIXTURES / "personio" / "acme_feed.xml").read_bytes()


# Workday: the fixture's page; for the page-2 fault 23 postings, two pages of at most 20
# (pages after the first report total 0, as real ones do).
WD_CXS = "/wday/cxs/acme/External"
WD_PAGE0 = load_fixture("workday", "jobs_page0.json")
WD_ROWS = [
    *WD_PAGE0["jobPostings"],
    *(
        {
            "title": f"Robotics Engineer {n}",
            "externalPath": f"/job/US-CA-Santa-Clara/Robotics-Engineer-{n}_JR{2100000 + n}",
            "locationsText": "US, CA, Santa Clara",
            "postedOn": "Posted Yesterday",
            "bulletFields": [f"JR{2100000 + n}"],
        }
        for n in range(20)
    ),
]
WD_DETAIL = load_fixture("workday", "detail_JR2004567.json")


def workday_site(rows: list[dict[str, Any]]) -> Site:
    def site(hit: Hit) -> Answer:
        if hit.method == "POST" and hit.path == f"{WD_CXS}/jobs":
            offset = int(json.loads(hit.body).get("offset", 0))
            return json_answer(
                {
                    **WD_PAGE0,
                    "total": len(rows) if offset == 0 else 0,
                    "jobPostings": rows[offset : offset + 20],
                }
            )
        row = next((r for r in rows if hit.path == f"{WD_CXS}{r['externalPath']}"), None)
        if row is None:
            return not_found(hit)
        info = {**WD_DETAIL["jobPostingInfo"], "title": row["title"].strip()}
        info["externalUrl"] = f"https://acme.wd1.myworkdayjobs.com/External{row['externalPath']}"
        return json_answer({**WD_DETAIL, "jobPostingInfo": info})

    return site


def workday_page(offset: int) -> Callable[[Hit], bool]:
    def matches(hit: Hit) -> bool:
        return (
            hit.method == "POST"
            and hit.path == f"{WD_CXS}/jobs"
            and json.loads(hit.body).get("offset") == offset
        )

    return matches


# SmartRecruiters: the fixture's page; for the page-2 fault 103 postings, two pages of 100.
SR_PATH = "/v1/companies/acme/postings"
SR_PAGE0 = load_fixture("smartrecruiters", "postings_page0.json")
SR_ENTRIES = [
    *SR_PAGE0["content"],
    *(
        {**SR_PAGE0["content"][0], "id": str(744000170000000 + n), "name": f"Level Designer {n}"}
        for n in range(100)
    ),
]
SR_DETAIL = load_fixture("smartrecruiters", "posting_744000160000001.json")


def smartrecruiters_site(entries: list[dict[str, Any]]) -> Site:
    def site(hit: Hit) -> Answer:
        if hit.path == SR_PATH:
            offset = query_int(hit, "offset")
            return json_answer(
                {
                    **SR_PAGE0,
                    "offset": offset,
                    "totalFound": len(entries),
                    "content": entries[offset : offset + 100],
                }
            )
        entry = next((e for e in entries if hit.path == f"{SR_PATH}/{e['id']}"), None)
        if entry is None:
            return not_found(hit)
        return json_answer({**SR_DETAIL, "id": entry["id"], "name": entry["name"]})

    return site


def smartrecruiters_page(offset: int) -> Callable[[Hit], bool]:
    return lambda hit: hit.path == SR_PATH and query_int(hit, "offset") == offset


# JSON-LD: the career site of tests/test_jsonld.py.
JSONLD_PAGES = {
    "/careers": "careers.html",
    "/careers/jobs/ml-engineer": "job_ml_engineer.html",
    "/careers/jobs/designer": "job_designer.html",
    "/careers/jobs/support": "job_support.html",
    "/careers/page/2": "careers_page2.html",
    "/careers/jobs/intern": "job_intern.html",
    "/careers/jobs/technician": "job_technician.html",
    "/about": "about.html",
    "/": "about.html",
}
LD_SCRIPT = re.compile(rb"<script[^>]*ld\+json.*?</script>", re.DOTALL)


def jsonld_site(hit: Hit) -> Answer:
    if hit.path == "/robots.txt":
        return Answer(
            body=(FIXTURES / "jsonld" / "robots.txt").read_bytes(), content_type="text/plain"
        )
    name = JSONLD_PAGES.get(hit.path)
    if name is None:
        return Answer(404, b"<html><body>Not found</body></html>", HTML)
    return Answer(body=(FIXTURES / "jsonld" / name).read_bytes(), content_type=HTML)


def jsonld_redesigned(hit: Hit) -> Answer:
    """The site redesigned: every page without its JSON-LD (postings rendered by script)."""
    answer = jsonld_site(hit)
    return replace(answer, body=LD_SCRIPT.sub(b"", answer.body))


# Hacker News: the Firebase API of tests/test_hackernews.py.
HN_THREAD = 46100002
HN_ITEMS = {item["id"]: item for item in load_fixture("hackernews", "items.json")}


def hackernews_site(hit: Hit) -> Answer:
    if hit.path == "/v0/user/whoishiring.json":
        return json_answer(load_fixture("hackernews", "user_whoishiring.json"))
    match = re.fullmatch(r"/v0/item/(\d+)\.json", hit.path)
    item = HN_ITEMS.get(int(match.group(1))) if match else None
    return json_answer(item) if item is not None else Answer(body=b"null", content_type=JSON)


def hn_item(item_id: int) -> Callable[[Hit], bool]:
    return _path_is(f"/v0/item/{item_id}.json")


def _token_board(ats: str) -> Callable[[str], BoardConfig]:
    return lambda base: BoardConfig(f"Fault {ats}", ats, token="acme", api_base=base)


KINDS: dict[str, Kind] = {
    kind.ats: kind
    for kind in (
        Kind(
            "greenhouse",
            _token_board("greenhouse"),
            _single(GH_PATH, json_answer(GH_JOBS)),
            _path_is(GH_PATH),
            lambda _hit: json_answer({"postings": GH_JOBS["jobs"], "meta": GH_JOBS["meta"]}),
            b"Member of Technical Staff",
        ),
        Kind(
            "lever",
            _token_board("lever"),
            _single(LEVER_PATH, json_answer(LEVER_POSTINGS)),
            _path_is(LEVER_PATH),
            lambda _hit: json_answer({"data": LEVER_POSTINGS, "hasNext": False}),
            b"Research Engineer",
        ),
        Kind(
            "ashby",
            _token_board("ashby"),
            _single(ASHBY_PATH, json_answer(ASHBY_BOARD)),
            _path_is(ASHBY_PATH),
            lambda _hit: json_answer({"apiVersion": "2", "results": ASHBY_BOARD["jobs"]}),
            b"Member of Technical Staff",
        ),
        Kind(
            "workday",
            lambda base: BoardConfig(
                "Fault workday",
                "workday",
                url="https://acme.wd1.myworkdayjobs.com/External",
                api_base=base,
            ),
            workday_site(WD_PAGE0["jobPostings"]),
            workday_page(0),
            lambda _hit: json_answer({"total": len(WD_ROWS), "items": WD_ROWS[:20]}),
            b"Senior Deep Learning",
            is_page2=workday_page(20),
            paged=workday_site(WD_ROWS),
        ),
        Kind(
            "smartrecruiters",
            _token_board("smartrecruiters"),
            smartrecruiters_site(SR_PAGE0["content"]),
            smartrecruiters_page(0),
            lambda _hit: json_answer({"total": len(SR_ENTRIES), "results": SR_ENTRIES[:100]}),
            b"Senior Gameplay",
            is_page2=smartrecruiters_page(100),
            paged=smartrecruiters_site(SR_ENTRIES),
        ),
        Kind(
            "workable",
            _token_board("workable"),
            _single(WORKABLE_PATH, json_answer(WORKABLE_ACCOUNT)),
            _path_is(WORKABLE_PATH),
            lambda _hit: json_answer({"name": "Acme", "positions": WORKABLE_ACCOUNT["jobs"]}),
            b"Senior Data Engineer",
        ),
        Kind(
            "recruitee",
            _token_board("recruitee"),
            _single(RECRUITEE_PATH, json_answer(RECRUITEE_OFFERS)),
            _path_is(RECRUITEE_PATH),
            lambda _hit: json_answer({"jobs": RECRUITEE_OFFERS["offers"]}),
            b"Financial Accountant",
        ),
        Kind(
            "personio",
            _token_board("personio"),
            _single("/xml", Answer(body=PERSONIO_FEED, content_type="text/xml; charset=utf-8")),
            _path_is("/xml"),
            lambda _hit: Answer(
                body=b"<?xml version='1.0'?><jobs><job><id>1</id><title>QA</title></job></jobs>",
                content_type="text/xml",
            ),
            b"Staff Software Engineer",
            format="xml",
        ),
        Kind(
            "jsonld",
            lambda base: BoardConfig(
                "Fault jsonld", "jsonld", url="https://acme-robotics.example/careers", api_base=base
            ),
            jsonld_site,
            _path_is("/careers"),
            jsonld_redesigned,
            b"Join Acme Robotics",  # page text: HTML is decoded with replacement characters
            format="html",
            is_page2=_path_is("/careers/page/2"),
        ),
        Kind(
            "hackernews",
            lambda base: BoardConfig("Fault hackernews", "hackernews", api_base=base),
            hackernews_site,
            hn_item(HN_THREAD),
            # an Algolia hit where a Firebase item belongs
            lambda hit: (
                json_answer({"objectID": str(HN_THREAD), "children": []})
                if hn_item(HN_THREAD)(hit)
                else None
            ),
            b"Ask HN: Who is hiring",
            is_page2=hn_item(46100103),
        ),
    )
}


# -- the faults ----------------------------------------------------------------------------------


def _status(code: int) -> Callable[[Kind, Answer], Answer]:
    return lambda _kind, _good: Answer(code, b'{"error": "unavailable"}')


def _cut(good: Answer, declared_whole: bool) -> Answer:
    half = good.body[: len(good.body) // 2]
    return replace(good, body=half, declared_length=len(good.body) if declared_whole else None)


def _stray_byte(kind: Kind, good: Answer) -> Answer:
    assert kind.marker in good.body, kind.ats
    return replace(good, body=good.body.replace(kind.marker, b"\xff\xfe" + kind.marker, 1))


@dataclass(frozen=True)
class Fault:
    name: str
    listing: Callable[[Kind, Answer], Answer] | None  # what the listing request gets instead
    outcome: Callable[[Kind], str]
    error: Callable[[Kind], str]  # a regex the recorded error matches
    settings: dict[str, Any] | None = None


_DECODE = {
    "json": "not valid JSON",
    "xml": "not well-formed XML",
    "html": "does not end with </html>",
}
FAULTS = [
    Fault("500", _status(500), lambda k: "failed", lambda k: r"HTTP 500 after 2 attempts"),
    Fault("503", _status(503), lambda k: "failed", lambda k: r"HTTP 503 after 2 attempts"),
    Fault("429", _status(429), lambda k: "failed", lambda k: r"HTTP 429 after 2 attempts"),
    Fault("page2", None, lambda k: "partial", lambda k: r"HTTP 500 after 2 attempts"),
    # the server declares the length it cut the body to: only the document's end tells
    Fault(
        "truncated", lambda k, a: _cut(a, False), lambda k: "failed", lambda k: _DECODE[k.format]
    ),
    Fault(
        "length_mismatch",
        lambda k, a: _cut(a, True),
        lambda k: "failed",
        lambda k: r"RemoteProtocolError.*incomplete|received \d+ bytes",
    ),
    Fault(
        "invalid_utf8",
        _stray_byte,
        lambda k: GOOD if k.format == "html" else "failed",
        lambda k: {"json": "not UTF-8", "xml": "not well-formed XML"}.get(k.format, ""),
    ),
    Fault("shape", None, lambda k: "failed", lambda k: "unexpected response shape"),
    Fault(
        "empty", lambda k, a: replace(a, body=b""), lambda k: "failed", lambda k: _DECODE[k.format]
    ),
    Fault(
        "drip",
        lambda k, a: replace(a, drip=0.01),
        lambda k: "failed",
        lambda k: rf"timed out: the deadline of {DRIP_DEADLINE}s",
        {"http_deadline": DRIP_DEADLINE},
    ),
]


def healthy(kind: Kind, fault: Fault) -> Site:
    """The board the cell runs on: one with a second page for the page-2 fault."""
    return (kind.paged or kind.good) if fault.name == "page2" else kind.good


def faulty(kind: Kind, fault: Fault) -> Site:
    def site(hit: Hit) -> Answer:
        good = healthy(kind, fault)(hit)
        if fault.name == "shape":
            return kind.reshaped(hit) or good
        if fault.name == "page2":
            assert kind.is_page2 is not None
            return Answer(500, b'{"error": "unavailable"}') if kind.is_page2(hit) else good
        assert fault.listing is not None
        return fault.listing(kind, good) if kind.is_list(hit) else good

    return site


CELLS = [
    pytest.param(
        kind,
        fault,
        id=f"{kind.ats}-{fault.name}",
    )
    for kind in KINDS.values()
    for fault in FAULTS
    if fault.name != "page2" or kind.is_page2 is not None
]


# -- the runs ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server() -> Iterator[FaultServer]:
    with fault_server() as running:
        yield running


@pytest.fixture(scope="module")
def sqlite_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('matrix') / 'matrix.db'}")
    SQLModel.metadata.create_all(engine)
    ensure_search_index(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def cell_engine(backend: str, request: pytest.FixtureRequest) -> Iterator[Engine]:
    """An empty database per cell. On SQLite the schema is made once for the module and the
    rows deleted after each cell: making it was most of a cell's cost. PostgreSQL is the shared
    test database, emptied after each cell as tests/conftest.py does."""
    if backend == "sqlite":
        engine: Engine = request.getfixturevalue("sqlite_engine")
        yield engine
        with engine.begin() as conn:
            for table in reversed(SQLModel.metadata.sorted_tables):
                conn.execute(table.delete())
        return
    engine = make_engine(request.getfixturevalue("pg_shared_url"))
    ensure_search_index(engine)
    yield engine
    tables = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


@cache
def settings(**values: Any) -> Settings:
    return Settings(http_backoff=0, **values)


@dataclass
class Board:
    engine: Engine
    server: FaultServer
    kind: Kind
    runs: int = 0

    def scrape(self, site: Site, **values: Any) -> RunSummary:
        self.server.site = site
        when = at("2026-11-02T08:00") + timedelta(hours=12 * self.runs)
        self.runs += 1
        (summary,) = asyncio.run(
            scrape_boards(
                self.engine,
                settings(**values),
                [self.kind.board(self.server.base_url)],
                # plain HTTP to 127.0.0.1: no certificate store to load for every run
                transport=httpx.AsyncHTTPTransport(verify=False),
                clock=lambda: when,
            )
        )
        return summary

    def state(self) -> tuple[frozenset[str], int, Counter[str]]:
        """(open external ids, closed postings, events by type)."""
        with Session(self.engine) as session:
            postings = session.exec(select(Posting)).all()
            events = Counter(e.type for e in session.exec(select(Event)))
        opened = frozenset(p.external_id for p in postings if p.status == "open")
        return opened, sum(p.status == "closed" for p in postings), events


@pytest.mark.parametrize(("kind", "fault"), CELLS)
def test_a_fault_closes_nothing_and_leaves_no_trace(
    cell_engine: Engine, server: FaultServer, kind: Kind, fault: Fault
) -> None:
    board, good = Board(cell_engine, server, kind), healthy(kind, fault)
    first, second = board.scrape(good), board.scrape(good)
    assert first.outcome == "ok" and first.new >= 2, first
    assert second.outcome in ("ok", "unchanged") and second.closed == 0, second
    opened, _, events = board.state()
    assert len(opened) == first.new

    # A good board answering the same content again is `unchanged`: that is the run a fault
    # read through gets, and the run after any fault, as if the fault never happened.
    expected = fault.outcome(kind)
    for _ in range(2):
        run = board.scrape(faulty(kind, fault), http_retries=1, **(fault.settings or {}))
        assert run.outcome == ("unchanged" if expected == GOOD else expected), run
        assert re.search(fault.error(kind), run.error or ""), run.error
        assert (run.closed, *board.state()[1:]) == (0, 0, events), run

    after = board.scrape(good)
    assert (after.outcome, after.new, after.closed) == ("unchanged", 0, 0), after
    assert board.state() == (opened, 0, events)
