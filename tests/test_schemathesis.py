"""schemathesis, every check, over the app's own OpenAPI document: with an API key and without
one, on SQLite and on PostgreSQL, zero failures.

Bounded and repeatable: derandomized generation, a few examples per operation, no example
database. The checks are configured by ``schemathesis.toml`` (the same file the command line
reads); two checks are narrowed here, each for one stated reason (see below), and stay on for
everything else.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import hypothesis
import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from schemathesis import Case, CheckContext, Response
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance
from sqlalchemy.engine import Engine
from sqlmodel import Session

from service.app import create_app
from service.settings import Settings
from store.keys import create_key
from tests.company_helpers import seed_companies
from tests.contract_helpers import NOW
from tests.discover_helpers import FakeWeb
from tests.test_discover_api import fake_resolver

CONFIG = Path(__file__).resolve().parents[1] / "schemathesis.toml"
EXAMPLES_PER_OPERATION = 15

# Rules a request breaks with every part valid on its own: OpenAPI cannot relate two parameters,
# or a parameter to today's date, so a schema-valid request can meet them. The API answers each
# with a 422 naming the parameter; exactly these pass, any other refusal of valid data fails.
CROSS_PARAMETER_RULES = [
    (["query", "until"], re.compile(r"`until` is before `since`")),
    (["query", "since"], re.compile(r"since must not be after until")),  # until defaults to today
    (["query", "since"], re.compile(r"more than \d+ (day|week|month) buckets; narrow since/until")),
    (["body", "from_company"], re.compile(r"a move inside one company is not a hire")),
    # Discovery's `query` is a company name or, when it looks like one, a URL that must then be
    # usable: "http://" is a fine name to the schema and no URL to the guard.
    (
        ["body", "query"],
        re.compile(
            r"(URL longer than|the URL contains|not a valid URL|only http and https|the URL has no"
            r" host|credentials in the URL|port \d+ is not allowed|invalid host name).*"
        ),
    ),
]


def _cross_parameter_only(response: Response) -> bool:
    if response.status_code != 422:
        return False
    detail = response.json().get("detail")
    return (
        isinstance(detail, list)
        and bool(detail)
        and all(
            any(
                issue["loc"] == loc and rule.fullmatch(issue["msg"])
                for loc, rule in CROSS_PARAMETER_RULES
            )
            for issue in detail
        )
    )


def positive_data_acceptance_but_cross_parameter_rules(
    ctx: CheckContext, response: Response, case: Case
) -> bool | None:
    if _cross_parameter_only(response):
        return None
    return positive_data_acceptance(ctx, response, case)


def _as_sent(value: Any) -> list[str] | None:
    """An array query parameter as the server reads it: each repeated key's text."""
    values = value if isinstance(value, list) else [value]
    if any(isinstance(item, list | dict) for item in values):
        return None
    return [json.dumps(item) if isinstance(item, bool) else str(item) for item in values]


def _array_valid_on_wire(case: Case) -> bool:
    """A negative case whose only changes are to array query parameters, each valid as sent:
    ``?company=5`` is the text ``"5"`` whether the case held the number 5, ``[5]`` or
    ``["5"]``. schemathesis sets such wire-identical cases aside for scalar parameters, not
    for arrays."""
    meta = case.meta
    mutations = getattr(meta.phase.data, "mutations", ()) if meta else ()
    if meta is None or not mutations:
        return False
    if any(
        info.mode.is_negative and location != ParameterLocation.QUERY
        for location, info in meta.components.items()
    ):
        return False
    query = case.query or {}
    for mutation in mutations:
        name = mutation.parameter or ""
        parameter = case.operation.query.get(name)
        sent = _as_sent(query.get(name)) if name in query else None
        if (
            mutation.parameter_location != ParameterLocation.QUERY
            or parameter is None
            or sent is None
            or not parameter.get_validator().is_valid(sent)
        ):
            return False
    return True


def negative_data_rejection_but_wire_identical_arrays(
    ctx: CheckContext, response: Response, case: Case
) -> bool | None:
    if _array_valid_on_wire(case):
        return None
    return negative_data_rejection(ctx, response, case)


def config() -> schemathesis.Config:
    data = tomllib.loads(CONFIG.read_text())
    data["generation"] = {
        "mode": "all",  # valid and invalid data
        "max-examples": EXAMPLES_PER_OPERATION,
        "deterministic": True,
        "database": "none",
    }
    return schemathesis.Config.from_dict(data)


async def public_address(host: str, port: int) -> list[str]:
    """Every webhook host resolves, without DNS, to a public address."""
    return ["93.184.216.34"]


@dataclass
class Api:
    app: FastAPI
    headers: dict[str, str]


@pytest.fixture(params=["without key", "with key"])
def api(request: pytest.FixtureRequest, engine: Engine) -> Iterator[Api]:
    seed_companies(engine, NOW)
    with Session(engine) as session:
        _, plaintext = create_key(session, "schemathesis")
        session.commit()
    # Nothing outside the process: webhook hosts resolve to a public address through a fake
    # resolver and any port is allowed, discovery reads a fake web; so what the API refuses
    # is what it refuses by its own rules. Writes are not rate limited here (429 would hide
    # the answers behind it; the limiter has its own tests).
    settings = Settings(
        allow_private_webhooks=True,
        allow_private_discovery=True,
        webhook_ports="1-65535",
        write_rate_per_minute=100_000,
        http_retries=0,
    )
    app = create_app(settings, engine)
    app.state.webhook_resolver = public_address
    app.state.discover_transport = FakeWeb().greenhouse("figureai").transport
    app.state.discover_resolver = fake_resolver
    # One subscription, so that the routes under /api/subscriptions/{id} have one to show.
    created = TestClient(app).post(
        "/api/subscriptions",
        headers={"X-API-Key": plaintext},
        json={"url": "https://hooks.example.com/talentflow", "events": ["posting.opened"]},
    )
    assert created.status_code == 201, created.text
    headers = {"X-API-Key": plaintext} if request.param == "with key" else {}
    yield Api(app, headers)


@pytest.fixture
def api_schema(api: Api) -> Any:
    return schemathesis.openapi.from_asgi("/openapi.json", api.app, config=config())


@pytest.fixture
def headers(api: Api) -> dict[str, str]:
    return api.headers


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.mark.postgres
@schema.parametrize()
def test_every_operation_passes_every_check(case: Case, headers: dict[str, str]) -> None:
    case.call_and_validate(
        headers=headers,
        excluded_checks=[positive_data_acceptance, negative_data_rejection],
        additional_checks=[
            positive_data_acceptance_but_cross_parameter_rules,
            negative_data_rejection_but_wire_identical_arrays,
        ],
    )


@pytest.mark.postgres
def test_sequences_of_calls_pass_every_check(api_schema: Any, headers: dict[str, str]) -> None:
    """The stateful checks (a created subscription can be read, a deleted one is gone) over
    sequences of calls that schemathesis links by the ids the answers carry."""
    recording = api_schema.as_state_machine()
    answered: Counter[tuple[str, str, int]] = Counter()

    class Sequences(recording):  # type: ignore[misc,valid-type]
        def get_call_kwargs(self, case: Case) -> dict[str, Any]:
            return {"headers": headers}

        def after_call(self, response: Response, case: Case) -> None:
            super().after_call(response, case)
            answered[(case.method, case.path, response.status_code)] += 1

        def validate_response(
            self, response: Response, case: Case, additional_checks: Any = None, **kwargs: Any
        ) -> None:
            case.validate_response(
                response,
                excluded_checks=[positive_data_acceptance, negative_data_rejection],
                additional_checks=[
                    positive_data_acceptance_but_cross_parameter_rules,
                    negative_data_rejection_but_wire_identical_arrays,
                ],
                transport_kwargs=kwargs or None,
                recorder=self.recorder,
            )

    Sequences.run(
        settings=hypothesis.settings(
            max_examples=10,
            stateful_step_count=6,
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=list(hypothesis.HealthCheck),
        )
    )
    # The sequences reached a subscription through the ids the answers carry.
    assert any(
        path.startswith("/api/subscriptions/{") and status < 300 for (_, path, status) in answered
    ) == bool(headers), answered
