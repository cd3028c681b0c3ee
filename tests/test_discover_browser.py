"""The discovery form in a real browser (Chromium via Playwright), served by uvicorn on
127.0.0.1 with discovery's outbound requests answered by the fake web."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import SQLModel

from service.app import create_app
from service.settings import Settings
from store.engine import make_engine
from tests import test_browser
from tests.dashboard_helpers import served
from tests.discover_helpers import FakeWeb, orbital
from tests.test_browser import Browser

pytestmark = pytest.mark.browser
# The browser fixtures of the dashboard's browser tests: one Chromium per module, a tab per test.
chromium = test_browser.chromium
tab = test_browser.tab


async def public_resolver(host: str, port: int) -> list[str]:
    return ["93.184.216.34"]


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('db') / 'discover.db'}")
    SQLModel.metadata.create_all(engine)
    app = create_app(Settings(sources=Path("/nonexistent.toml"), http_retries=0), engine)
    app.state.discover_transport = orbital(FakeWeb()).transport
    app.state.discover_resolver = public_resolver
    with served(app) as url:
        yield url
    engine.dispose()


def test_form_finds_both_boards_and_shows_the_add_lines(tab: Browser, base_url: str) -> None:
    page: Any = tab.page
    page.goto(f"{base_url}/")
    page.click("nav >> text=Discover")
    page.fill("input[name=q]", "orbitalfoods.com")
    page.click("#discover-form button[type=submit]")
    page.wait_for_selector("#discover-results")
    rows = page.locator("#discover-results tbody tr")
    assert rows.count() == 2
    assert rows.nth(0).locator("td").nth(1).inner_text() == "greenhouse"
    assert rows.nth(1).locator("code").last.inner_text() == (
        "talentflow sources discover https://orbitalfoods.com --add --pick 2"
    )
    assert page.locator("nav a[aria-current=page]").inner_text() == "Discover"
    assert page.input_value("input[name=q]") == "orbitalfoods.com"
    assert tab.outside == [] and tab.errors == []
