"""``talentflow company NAME`` prints the company view that the page and the API show."""

from __future__ import annotations

import json

from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from service.cli import app
from store.types import utcnow
from tests.company_helpers import seed_companies


def _env(engine: Engine) -> dict[str, str]:
    return {"TALENTFLOW_DATABASE_URL": engine.url.render_as_string(hide_password=False)}


def test_summary_and_json_of_a_company(engine: Engine) -> None:
    seed_companies(engine, utcnow())
    shown = CliRunner().invoke(app, ["company", "acme robotics"], env=_env(engine))
    assert shown.exit_code == 0, shown.output
    assert "Acme Robotics: 5 open roles, 1 closed, 3 open more than 90 days" in shown.output
    assert "Robot Learning Scientist" in shown.output  # the oldest open role

    as_json = CliRunner().invoke(app, ["company", "Acme Robotics", "--json"], env=_env(engine))
    assert as_json.exit_code == 0, as_json.output
    view = json.loads(as_json.output)
    assert (view["open_roles"], view["reposted_90_days"]) == (5, 0)
    assert {b["key"] for b in view["boards"]} == {"greenhouse:acme", "lever:acme"}


def test_an_unknown_company_exits_1(engine: Engine) -> None:
    result = CliRunner().invoke(app, ["company", "Nobody Labs"], env=_env(engine))
    assert result.exit_code == 1
    assert "no company 'Nobody Labs'" in result.output
