"""The OpenAPI document is a complete contract: every route declares its answer, and a client
generated from the document alone parses real answers of every route."""

from __future__ import annotations

import importlib.util
import json
import sys
from datetime import timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from datamodel_code_generator import DataModelType, InputFileType, generate
from pydantic import BaseModel, ValidationError
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from scrapers.models import Pay
from store.models import Event
from store.schemas import PayChangedData, PayOut
from tests.conftest import at
from tests.contract_helpers import every_route, seeded_client
from tests.lifecycle_helpers import ingest, posting, snapshot


def response_schema(spec: dict[str, Any], path: str, method: str, status: int) -> Any:
    answers = spec["paths"][path][method.lower()]["responses"]
    content = answers[str(status)].get("content", {})
    return next(iter(content.values()), {}).get("schema")


def generated_models(spec: dict[str, Any], where: Path) -> ModuleType:
    source = generate(
        json.dumps(spec),
        input_file_type=InputFileType.OpenAPI,
        output_model_type=DataModelType.PydanticV2BaseModel,
        extra_fields="forbid",
    )
    assert isinstance(source, str)
    target = where / "talentflow_client.py"
    target.write_text(source)
    spec_ = importlib.util.spec_from_file_location("talentflow_client", target)
    assert spec_ and spec_.loader
    module = importlib.util.module_from_spec(spec_)
    sys.modules["talentflow_client"] = module
    try:
        spec_.loader.exec_module(module)
    finally:
        del sys.modules["talentflow_client"]
    return module


def test_every_route_declares_its_answer(engine: Engine) -> None:
    with seeded_client(engine) as (client, _):
        spec = client.get("/openapi.json").json()
    missing = []
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            ok = [code for code in operation["responses"] if code.startswith("2")]
            assert ok, (method, path)
            for code in ok:
                if code == "204":
                    continue
                content = operation["responses"][code].get("content", {})
                if not any(media.get("schema") for media in content.values()):
                    missing.append(f"{method.upper()} {path} {code}")
    assert missing == []
    # Lists and objects are named models, not free-form dictionaries.
    for name in ("PostingOut", "PayOut", "HireOut", "RunOut", "PostingPage", "HirePage"):
        assert name in spec["components"]["schemas"]


def test_a_generated_client_parses_every_route(engine: Engine, tmp_path: Path) -> None:
    with seeded_client(engine) as (client, key):
        spec = client.get("/openapi.json").json()
        calls = every_route(client, key)
    models = generated_models(spec, tmp_path)
    seen = set()
    for call in calls:
        seen.add((call.method, call.template))
        if call.status == 204:
            continue
        schema = response_schema(spec, call.template, call.method, call.status)
        assert schema and "$ref" in schema, (call.method, call.template)
        model: type[BaseModel] = getattr(models, schema["$ref"].rsplit("/", 1)[1])
        parsed = model.model_validate(call.body)
        # Nothing in the answer is outside the declared shape, and nothing declared is missing.
        assert parsed.model_dump(mode="json", by_alias=True, exclude_unset=True) == call.body
    declared = {
        (m.upper(), p) for p, ms in spec["paths"].items() for m in ms if p.startswith("/api/")
    }
    assert declared - seen == {("GET", "/api/postings.csv")}  # text, covered by test_exports


def test_the_generated_client_rejects_a_wrong_shape(engine: Engine, tmp_path: Path) -> None:
    with seeded_client(engine) as (client, _):
        spec = client.get("/openapi.json").json()
        posting = client.get("/api/postings?status=all&limit=1").json()["items"][0]
    models = generated_models(spec, tmp_path)
    with pytest.raises(ValidationError):
        models.PostingOut.model_validate({**posting, "surprise": 1})
    with pytest.raises(ValidationError):
        models.PostingOut.model_validate({k: v for k, v in posting.items() if k != "title"})


def test_whole_amounts_stay_integers(engine: Engine) -> None:
    with seeded_client(engine) as (client, _):
        text = client.get("/api/postings?status=all&limit=500").text
        view = client.get("/api/companies/Acme%20Robotics").text
    assert '"annual_min_usd":200000,' in text and "200000.0" not in text
    assert '"min":100,' in view and "100.0," not in view


def test_pay_changed_carries_the_previous_band_in_the_posting_pay_shape(engine: Engine) -> None:
    t0 = at("2026-11-01T08:00")
    ingest(
        engine,
        snapshot(posting(1, pay=Pay(min=180000, max=440000, currency="USD", period="year"))),
        t0,
    )
    ingest(
        engine,
        snapshot(posting(1, pay=Pay(min=200000, max=460000, currency="USD", period="year"))),
        t0 + timedelta(hours=1),
    )
    with Session(engine) as session:
        (event,) = session.exec(select(Event).where(Event.type == "posting.pay_changed")).all()
    body = PayChangedData.model_validate(event.data)
    assert body.previous_pay is not None and body.posting.pay is not None
    # The same keys (PostgreSQL's JSONB keeps no key order, so compare them as sets).
    assert (
        set(event.data["previous_pay"])
        == set(event.data["posting"]["pay"])
        == set(PayOut.model_fields)
    )
    assert event.data["previous_pay"]["min"] == 180000
    assert isinstance(event.data["previous_pay"]["annual_min_usd"], int)
    assert event.data["posting"]["pay"]["min"] == 200000
