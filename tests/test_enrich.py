"""The enrich step: parse is rate-free, enrich settles pay and labels with the rates and taxonomy
it is given, and a configured rates file reaches text-derived pay end to end."""

from __future__ import annotations

import asyncio
import inspect
import json
from datetime import date
from pathlib import Path

import httpx
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from scrapers.currency import Rates, load_rates
from scrapers.enrich import enrich, settle_pay
from scrapers.enrich.topics import Classification, taxonomy_at
from scrapers.models import BoardConfig, BoardSnapshot, NormalizedPosting, Pay
from scrapers.pay import parse_pay_text, period_from_magnitude
from scrapers.sources.greenhouse import parse_pay_ranges
from scrapers.sources.jsonld import parse_base_salary
from scrapers.sources.workable import parse_account
from service.scrape import scrape_boards
from service.settings import Settings
from store.ingest import ingest_snapshot
from store.models import Posting
from tests.boards_helpers import routes
from tests.conftest import load_fixture

SHIPPED = load_rates()
# One euro buys two dollars here, against a little more than one in the shipped table.
DEAR_EURO = Rates(date=date(2027, 1, 1), per_usd={"USD": 1.0, "EUR": 0.5})
BOARD = BoardConfig(
    company="Acme Analytics", ats="workable", token="acme", api_base="http://workable.test"
)
ACCOUNT_PATH = "/api/v1/widget/accounts/acme"


def test_parse_reports_only_what_the_board_states() -> None:
    band = parse_pay_ranges(
        [{"min_cents": 900000, "max_cents": 1000000, "currency_type": "EUR", "title": "Zone 1"}]
    )
    assert band == Pay(9000, 10000, "EUR", None)  # no period named: left to enrich
    assert parse_base_salary({"salaryCurrency": "EUR", "baseSalary": 9000}) == Pay(
        9000, 9000, "EUR", None
    )
    (engineer, _) = parse_account(load_fixture("workable", "acme_account.json"))
    assert engineer.pay is None and engineer.pay_text == (engineer.description,)


def test_rates_are_explicit_and_change_the_period_guess() -> None:
    for fn in (parse_pay_text, period_from_magnitude):
        rates = inspect.signature(fn).parameters["rates"]
        assert rates.default is inspect.Parameter.empty
    assert period_from_magnitude(9000, "EUR", SHIPPED) == "month"
    assert period_from_magnitude(9000, "EUR", DEAR_EURO) == "year"
    assert parse_pay_text("Salary: €9,000", SHIPPED) == Pay(9000, 9000, "EUR", "month", "text")
    assert parse_pay_text("Salary: €9,000", DEAR_EURO) == Pay(9000, 9000, "EUR", "year", "text")
    # the refusal of sums too large to be a year's pay is in the given rates too
    assert parse_pay_text("Salary: €1,000,000 per year", SHIPPED) is not None
    assert parse_pay_text("Salary: €1,000,000 per year", DEAR_EURO) is None


def test_enrich_settles_pay_annualises_and_classifies() -> None:
    structured = NormalizedPosting(
        external_id="1",
        title="Senior Machine Learning Engineer",
        pay=Pay(9000, 10000, "EUR", None, "structured"),
        pay_text=("€50 per hour",),
    )
    texted = NormalizedPosting(
        external_id="2", title="Data Analyst", pay_text=("Great team.", "Salary: €9,000")
    )
    bare = NormalizedPosting(external_id="3", title="Office Manager", pay_text=("No pay here",))
    out = enrich(
        BoardSnapshot(board=BOARD, postings=(structured, texted, bare)), taxonomy_at(), DEAR_EURO
    )
    first, second, third = out.postings
    assert first.pay == Pay(9000, 10000, "EUR", "year", "structured")  # the band wins over text
    assert first.annual is not None and first.annual.annual_max_usd == 20000
    assert second.pay == Pay(9000, 9000, "EUR", "year", "text")  # first text with pay
    assert third.pay is None and third.annual is None
    assert isinstance(first.labels, Classification) and first.labels.seniority == "senior"
    assert all(p.posting.pay_text == () for p in out.postings)
    with_shipped = enrich(BoardSnapshot(board=BOARD, postings=(texted,)), taxonomy_at(), SHIPPED)
    assert with_shipped.postings[0].pay == Pay(9000, 9000, "EUR", "month", "text")
    assert (
        with_shipped.content_hash()
        != enrich(
            BoardSnapshot(board=BOARD, postings=(texted,)), taxonomy_at(), DEAR_EURO
        ).content_hash()
    )


def test_list_only_postings_are_completed_from_the_stored_version() -> None:
    stored = NormalizedPosting(
        external_id="1",
        title="Engineer",
        description="Rust services",
        pay=Pay(100000, 120000, "USD", "year"),
    )
    bare = NormalizedPosting(external_id="1", title="Senior Engineer", hydrated=False)
    out = enrich(
        BoardSnapshot(board=BOARD, postings=(bare,)),
        lambda p: [p.description],
        SHIPPED,
        {"1": stored},
    )
    (whole,) = out.postings
    assert whole.posting.title == "Senior Engineer" and whole.pay == stored.pay
    assert whole.labels == ["Rust services"]
    # the board's hash is of what it sent, not of the completed posting
    alone = enrich(BoardSnapshot(board=BOARD, postings=(bare,)), lambda p: [], SHIPPED)
    assert out.content_hash() == alone.content_hash()


def test_ingest_has_no_rates_or_taxonomy() -> None:
    params = inspect.signature(ingest_snapshot).parameters
    assert not {"rates", "classify", "taxonomy"} & set(params)


def _account(description: str) -> str:
    body = load_fixture("workable", "acme_account.json")
    for job in body["jobs"]:
        job["description"] = description
    return json.dumps(body)


def _scrape(engine: Engine, settings: Settings) -> list[Posting]:
    handler = routes({ACCOUNT_PATH: httpx.Response(200, text=_account("<p>Salary: €9,000</p>"))})
    (summary,) = asyncio.run(
        scrape_boards(engine, settings, [BOARD], transport=httpx.MockTransport(handler))
    )
    assert summary.outcome == "ok", summary
    with Session(engine) as session:
        return list(session.exec(select(Posting)))


def test_rates_file_setting_reaches_text_pay_end_to_end(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "rates.toml"
    path.write_text("date = 2027-01-01\n[per_usd]\nEUR = 0.5\n", encoding="utf-8")
    monkeypatch.setenv("TALENTFLOW_RATES_FILE", str(path))
    stored = _scrape(engine, Settings())
    assert stored and {(p.pay_period, p.pay_source) for p in stored} == {("year", "text")}
    assert {p.pay_annual_min_usd for p in stored} == {18000}


def test_shipped_rates_read_the_same_text_as_a_month(engine: Engine) -> None:
    stored = _scrape(engine, Settings(rates_file=None))
    assert stored and {p.pay_period for p in stored} == {"month"}
    expected = SHIPPED.to_usd(9000 * 12, "EUR")
    assert {p.pay_annual_min_usd for p in stored} == {expected}


def test_settle_pay_sizes_a_band_in_its_own_currency() -> None:
    # ¥8,000,000 with no period is a year's pay, not an hourly rate read as dollars
    posting = NormalizedPosting(
        external_id="1", title="x", pay=Pay(8_000_000, 8_000_000, "JPY", None)
    )
    settled = settle_pay(posting, SHIPPED)
    assert settled is not None and settled.period == "year"
