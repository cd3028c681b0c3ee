"""The dashboard in a real browser: Debian's Chromium driven by Playwright against a real
uvicorn server on 127.0.0.1, with every request to any other host refused."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import SQLModel

from service.app import create_app
from service.settings import Settings
from store.engine import make_engine
from store.search import ensure_search_index
from tests.dashboard_helpers import seed, served

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# The seeded history is in October 2026; pin the charts' window so the test never ages.
UNTIL = "until=2026-10-25"


def require_chromium() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing: CI must install it (apt-get install chromium)")
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium); browser tests skipped")


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('db') / 'browser.db'}")
    SQLModel.metadata.create_all(engine)
    ensure_search_index(engine)
    seed(engine)
    with served(create_app(Settings(), engine)) as url:
        yield url
    engine.dispose()


class Browser:
    """One page plus what it asked for outside 127.0.0.1 and what it logged as errors."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.outside: list[str] = []
        self.errors: list[str] = []
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        page.route("**/*", self._only_local)

    def _only_local(self, route: Any) -> None:
        url = route.request.url
        if url.startswith(("http://127.0.0.1:", "data:", "blob:")):
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def charts_drawn(self, expected: int) -> None:
        self.page.wait_for_function(
            """n => { const els = [...document.querySelectorAll('.vega[data-spec]')];
                       return els.length === n && els.every(e => e.dataset.rendered); }""",
            arg=expected,
            timeout=15000,
        )


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def tab(chromium: Any) -> Iterator[Browser]:
    context = chromium.new_context(viewport={"width": 1360, "height": 900})
    yield Browser(context.new_page())
    context.close()


def test_overview_draws_every_chart_without_internet(
    tab: Browser, base_url: str, tmp_path: Path
) -> None:
    tab.page.goto(f"{base_url}/?{UNTIL}")
    tab.charts_drawn(4)
    for name in ("open", "pay", "new-company", "new-topic"):
        svg = tab.page.locator(f"#chart-{name} svg.marks")
        assert svg.count() == 1, name
        # Marks were drawn, not only axes: bars/rules/lines carry data-bound paths.
        assert svg.locator("g.mark-rect path, g.mark-line path, g.mark-rule line").count() > 0
    bars = tab.page.locator("#chart-open g.mark-rect.role-mark path")
    assert bars.count() == 2  # xAI and Anthropic
    assert "xAI" in tab.page.locator("#chart-open").inner_text()
    assert tab.page.locator("#kpi-open").inner_text() == "6"
    assert tab.page.locator("#last-runs tr.run-failed").count() == 1
    assert tab.outside == [], "the page asked for something outside this server"
    assert tab.errors == []
    shot = tmp_path / "overview.png"
    tab.page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 20_000


def test_filter_form_narrows_postings_and_keeps_links_clean(tab: Browser, base_url: str) -> None:
    tab.page.goto(f"{base_url}/postings")
    assert tab.page.locator("table.data tbody tr").count() == 6
    tab.page.select_option("select[name=workplace]", "remote")
    tab.page.click("form.filters button[type=submit]")
    tab.page.wait_for_url("**/postings?*")
    assert tab.page.url.endswith("/postings?workplace=remote&status=open")
    rows = tab.page.locator("table.data tbody tr")
    assert rows.count() == 1
    assert "Game Designer" in rows.first.inner_text()
    assert tab.errors == []


def test_posting_page_shows_its_history(tab: Browser, base_url: str, tmp_path: Path) -> None:
    tab.page.goto(f"{base_url}/postings?q=world")
    tab.page.click("text=World Model Researcher")
    tab.page.wait_for_selector("#history")
    history = tab.page.locator("#history tbody tr")
    assert history.count() == 1
    assert "$200k\u2013$400k / year" in history.first.inner_text()
    assert "$220k\u2013$440k / year" in history.first.inner_text()
    tab.page.screenshot(path=str(tmp_path / "posting.png"), full_page=True)


def test_runs_page_shows_failures_in_red(tab: Browser, base_url: str, tmp_path: Path) -> None:
    tab.page.goto(f"{base_url}/runs")
    tab.charts_drawn(1)
    failed = tab.page.locator("#runs tr.run-failed")
    assert failed.count() == 1
    assert "HTTP 503" in failed.inner_text()
    background = failed.locator("td").first.evaluate("e => getComputedStyle(e).backgroundColor")
    assert background == "rgb(255, 245, 245)"
    assert tab.page.locator("#boards .state-failing").inner_text() == "failing"
    assert tab.page.locator("#chart-runs g.mark-symbol.role-mark path").count() == 6
    tab.page.screenshot(path=str(tmp_path / "runs.png"), full_page=True)
    assert tab.errors == [] and tab.outside == []


def test_trends_page_on_a_phone_fits_the_screen(
    chromium: Any, base_url: str, tmp_path: Path
) -> None:
    context = chromium.new_context(viewport={"width": 390, "height": 844})
    tab = Browser(context.new_page())
    tab.page.goto(f"{base_url}/trends?metric=open&since=2026-10-01&{UNTIL}")
    tab.charts_drawn(2)
    overflow = tab.page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    tab.page.screenshot(path=str(tmp_path / "trends-phone.png"), full_page=True)
    assert tab.errors == [] and tab.outside == []
    context.close()


def test_talent_flow_matrix_draws_one_cell_per_move(
    tab: Browser, base_url: str, tmp_path: Path
) -> None:
    tab.page.goto(f"{base_url}/hires")
    tab.charts_drawn(1)
    assert tab.page.locator("#chart-flows g.mark-rect.role-mark path").count() == 2
    assert tab.page.locator("#hires tbody tr").count() == 4
    tab.page.screenshot(path=str(tmp_path / "hires.png"), full_page=True)
    assert tab.errors == [] and tab.outside == []
