"""A small, known history of a few companies, dated relative to a chosen ``now``, whose company
view figures are worked out by hand in the tests that use it.

Acme Robotics (greenhouse board ``acme``; every run complete; times are days before ``now``):

- D-120: r1 World Model Researcher (Omni, $200-300k), r2 Robotics Engineer (Optimus,
  $150-250k), r3 Account Executive (Sales, no pay) open;
- D-100: r4 Robot Learning Scientist (Optimus, $180-260k, posted by the board at D-200) opens;
- D-20: r5 Safety Researcher (Alignment, $300-400k) opens; r3 missing once;
- D-13: r3 missing twice: closed;
- D-3: r6 Robotics Lead (Optimus, $100-150 an hour) opens.

Open: r1 r2 r4 r5 r6 (5); closed: r3. Ages: r4 200 days (the board's date), r1 r2 120, r5 20,
r6 3. Its lever board ``acme`` answered 404 three times (D-10, D-5, D-1) and never succeeded.

Other boards, one per kind of failure after one ok run at D-30: AT&T Labs (HTTP 503 three
times, then a timeout), Ünited Robotics (two parse errors), 100% Human (a scraper crash).
Google DeepMind has one healthy board and one open role.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.engine import Engine

from scrapers.models import BoardConfig, BoardSnapshot, NormalizedPosting, Pay
from store.engine import session_scope
from store.hires import NewHire, record_hire
from store.ingest import get_or_create_board, record_failure
from tests.analytics_helpers import classify
from tests.enrich_helpers import store_snapshot

ACME = BoardConfig(company="Acme Robotics", ats="greenhouse", token="acme")
ACME_LEVER = BoardConfig(company="Acme Robotics", ats="lever", token="acme")
ATT = BoardConfig(company="AT&T Labs", ats="greenhouse", token="attlabs")
UNITED = BoardConfig(company="Ünited Robotics", ats="ashby", token="United Robotics")
HUMAN = BoardConfig(company="100% Human", ats="workable", token="human")
GDM = BoardConfig(company="Google DeepMind", ats="greenhouse", token="deepmind")

NOT_FOUND = "BoardNotFound: GET https://api.lever.co/v0/postings/acme?mode=json: 404 not found"
SERVER_ERROR = (
    "FetchError: GET https://boards-api.greenhouse.io/v1/boards/attlabs/jobs"
    "?content=true: HTTP 503 after 3 attempts"
)
TIMEOUT = (
    "FetchError: GET https://boards-api.greenhouse.io/v1/boards/attlabs/jobs"
    "?content=true: timed out (ReadTimeout)"
)
PARSE = "ParseError: ashby response has no `jobs` list"
CRASH = "internal error: KeyError: 'id'"


def usd(low: float, high: float, period: str = "year") -> Pay:
    return Pay(min=low, max=high, currency="USD", period=period)  # type: ignore[arg-type]


def role(
    ext: str,
    title: str,
    team: str,
    pay: Pay | None = None,
    posted_at: datetime | None = None,
    board: BoardConfig = ACME,
) -> NormalizedPosting:
    return NormalizedPosting(
        external_id=ext,
        title=title,
        team=team,
        locations=("Palo Alto, CA",),
        workplace="onsite",
        pay=pay,
        posted_at=posted_at,
        description=f"About {title}.",
        url=f"https://job-boards.greenhouse.io/{board.token}/jobs/{ext}",
    )


def acme_roles(now: datetime) -> dict[str, NormalizedPosting]:
    return {
        "r1": role("r1", "World Model Researcher", "Omni", usd(200_000, 300_000)),
        "r2": role("r2", "Robotics Engineer", "Optimus", usd(150_000, 250_000)),
        "r3": role("r3", "Account Executive", "Sales"),
        "r4": role(
            "r4",
            "Robot Learning Scientist",
            "Optimus",
            usd(180_000, 260_000),
            posted_at=now - timedelta(days=200),
        ),
        "r5": role("r5", "Safety Researcher", "Alignment", usd(300_000, 400_000)),
        "r6": role("r6", "Robotics Lead", "Optimus", usd(100, 150, "hour")),
    }


ACME_RUNS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (120, ("r1", "r2", "r3")),
    (100, ("r1", "r2", "r3", "r4")),
    (20, ("r1", "r2", "r4", "r5")),
    (13, ("r1", "r2", "r4", "r5")),
    (3, ("r1", "r2", "r4", "r5", "r6")),
)


def _ingest(
    engine: Engine, board: BoardConfig, at: datetime, items: tuple[NormalizedPosting, ...]
) -> None:
    with session_scope(engine) as session:
        store_snapshot(
            session,
            get_or_create_board(session, board),
            BoardSnapshot(board=board, postings=items, complete=True),
            started_at=at,
            now=at,
            classify=classify,
        )


def _fail(engine: Engine, board: BoardConfig, at: datetime, error: str) -> None:
    with session_scope(engine) as session:
        record_failure(session, get_or_create_board(session, board), error, started_at=at, now=at)


def seed_companies(engine: Engine, now: datetime) -> None:
    def ago(days: int) -> datetime:
        return now - timedelta(days=days)

    roles = acme_roles(now)
    for days, listed in ACME_RUNS:
        _ingest(engine, ACME, ago(days), tuple(roles[r] for r in listed))
    for days in (10, 5, 1):
        _fail(engine, ACME_LEVER, ago(days), NOT_FOUND)

    _ingest(engine, ATT, ago(30), (role("t1", "Research Engineer", "Labs", board=ATT),))
    for days, error in ((9, SERVER_ERROR), (6, SERVER_ERROR), (4, SERVER_ERROR), (2, TIMEOUT)):
        _fail(engine, ATT, ago(days), error)
    _ingest(engine, UNITED, ago(30), (role("u1", "Robotics Engineer", "Arms", board=UNITED),))
    for days in (8, 2):
        _fail(engine, UNITED, ago(days), PARSE)
    _ingest(engine, HUMAN, ago(30), (role("h1", "Data Annotator", "Ops", board=HUMAN),))
    _fail(engine, HUMAN, ago(1), CRASH)
    _ingest(engine, GDM, ago(2), (role("g1", "Research Scientist", "Gemini", board=GDM),))

    with session_scope(engine) as session:
        record_hire(
            session,
            NewHire(
                person="Ada Example",
                from_company="OpenAI",
                to_company="Acme Robotics",
                role="Robotics researcher",
                announced_at=ago(15),
                source_url="https://news.example.com/ada",
                source_title="Ada joins Acme",
            ),
        )
        record_hire(
            session,
            NewHire(
                person="Bob Example",
                from_company="Acme Robotics",
                to_company="AT&T Labs",
                announced_at=ago(12),
                source_url="https://news.example.com/bob",
            ),
        )
