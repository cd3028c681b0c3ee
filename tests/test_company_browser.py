"""The company page and a board's failure page in a real browser (Debian's Chromium through
Playwright, against uvicorn on 127.0.0.1, every other host refused)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import SQLModel

from service.app import create_app
from service.settings import Settings
from store.engine import make_engine
from store.search import ensure_search_index
from store.types import utcnow
from tests.company_helpers import seed_companies
from tests.dashboard_helpers import served
from tests.test_browser import Browser, chromium, tab  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('db') / 'company.db'}")
    SQLModel.metadata.create_all(engine)
    ensure_search_index(engine)
    seed_companies(engine, utcnow())
    with served(create_app(Settings(), engine)) as url:
        yield url
    engine.dispose()


def test_company_page_draws_every_chart(
    tab: Browser,  # noqa: F811
    base_url: str,
    tmp_path: Path,
) -> None:
    tab.page.goto(f"{base_url}/companies")
    tab.page.click("#companies >> text=Acme Robotics")
    tab.page.wait_for_url("**/companies/Acme%20Robotics")
    tab.charts_drawn(6)
    for name in ("open", "new-closed", "teams", "topics", "pay", "ages"):
        svg = tab.page.locator(f"#chart-{name} svg.marks")
        assert svg.count() == 1, name
        marks = svg.locator("g.mark-rect path, g.mark-area path, g.mark-rule line")
        assert marks.count() > 0, name
    # Optimus, Alignment, Omni; five age buckets, two of them stale (red).
    assert tab.page.locator("#chart-teams g.mark-rect.role-mark path").count() == 3
    ages = tab.page.locator("#chart-ages g.mark-rect.role-mark path")
    assert ages.count() == 5
    fills = [ages.nth(i).get_attribute("fill") for i in range(5)]
    assert fills.count("#e03131") == 2
    assert tab.page.locator("#kpi-open").inner_text() == "5"
    assert tab.page.locator("#stale tbody tr").count() == 3
    assert tab.page.locator("#hires-in tbody tr").count() == 1
    tab.page.screenshot(path=str(tmp_path / "company.png"), full_page=True)
    assert (tmp_path / "company.png").stat().st_size > 20_000
    assert tab.errors == [] and tab.outside == []


def test_failure_page_from_runs_says_what_to_do(
    tab: Browser,  # noqa: F811
    base_url: str,
    tmp_path: Path,
) -> None:
    tab.page.goto(f"{base_url}/runs")
    tab.page.click("a[href='/runs/boards/lever:acme']")
    tab.page.wait_for_url("**/runs/boards/lever:acme")
    tab.charts_drawn(1)
    assert tab.page.locator("#chart-board-runs g.mark-symbol.role-mark path").count() == 3
    assert 'talentflow sources discover "Acme Robotics"' in tab.page.locator("#advice").inner_text()
    assert tab.page.locator("#streak").inner_text() == "3 runs in a row"
    assert tab.page.locator("#runs tr.run-failed").count() == 3
    tab.page.screenshot(path=str(tmp_path / "board.png"), full_page=True)
    assert tab.errors == [] and tab.outside == []


def test_company_page_on_a_phone_fits_the_screen(
    chromium: object,  # noqa: F811
    base_url: str,
) -> None:
    context = chromium.new_context(viewport={"width": 390, "height": 844})  # type: ignore[attr-defined]
    phone = Browser(context.new_page())
    phone.page.goto(f"{base_url}/companies/Acme%20Robotics")
    phone.charts_drawn(6)
    overflow = phone.page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    assert phone.errors == [] and phone.outside == []
    context.close()
