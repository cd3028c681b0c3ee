"""CSV and Parquet exports: the API route with the postings filters, and the real CLI."""

from __future__ import annotations

import csv
import gc
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import pyarrow.parquet as pq
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from service.app import create_app
from service.migrations import upgrade
from service.settings import Settings
from store.engine import make_engine
from store.exports import FIELDS, csv_chunks, export_rows, write_csv, write_parquet
from store.queries import PostingFilter
from tests.analytics_helpers import api_client, build_history
from tests.conftest import at
from tests.e2e_helpers import run_cli
from tests.lifecycle_helpers import ingest, posting, snapshot


@pytest.fixture
def history(engine: Engine) -> Engine:
    build_history(engine)
    return engine


def parse(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_api_csv_has_every_open_posting_by_default(history: Engine) -> None:
    r = api_client(history).get("/api/postings.csv")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    rows = parse(r.text)
    assert tuple(rows[0]) == FIELDS
    assert [row["external_id"] for row in rows] == ["p1", "p4", "a2", "p5"]  # by id
    p1 = rows[0]
    assert p1["company"] == "xAI" and p1["ats"] == "greenhouse"
    assert p1["pay_annual_min_usd"] == "200000" and p1["pay_currency"] == "USD"
    assert p1["topics"] == "world-models"
    assert p1["first_seen_at"] == "2026-11-02T08:00:00Z" and p1["closed_at"] == ""
    assert rows[1]["pay_min"] == ""  # no published pay


def test_api_csv_uses_the_postings_filters(history: Engine) -> None:
    client = api_client(history)

    def ids(params: list[tuple[str, str]]) -> list[str]:
        r = client.get("/api/postings.csv", params=params)
        assert r.status_code == 200, r.text
        return [row["external_id"] for row in parse(r.text)]

    assert ids([("status", "closed")]) == ["p2", "p3", "a1"]
    assert ids([("status", "all"), ("company", "Anthropic")]) == ["a1", "a2"]
    assert ids([("status", "all"), ("topic", "robotics"), ("topic", "safety")]) == [
        "p2",
        "p3",
        "a1",
        "p5",
    ]
    assert ids([("status", "all"), ("q", '"world model"')]) == ["p1", "p3", "a2"]
    assert ids([("status", "all"), ("min_annual_pay", "300000")]) == ["p1", "p3", "a1"]
    assert ids([("status", "all"), ("since", "2026-11-09")]) == ["p5"]
    assert ids([("workplace", "hybrid")]) == ["p5"]
    # p3 lists two places: joined in one cell
    row = parse(client.get("/api/postings.csv", params={"q": "lead", "status": "all"}).text)[0]
    assert row["locations"] == "Palo Alto, CA; New York, NY"
    assert row["topics"] == "robotics; world-models"


@pytest.mark.parametrize(
    "params",
    [{"status": "gone"}, {"since": "last week"}, {"workplace": "moon"}, {"min_annual_pay": "-1"}],
)
def test_api_csv_bad_parameters_are_422(engine: Engine, params: dict[str, str]) -> None:
    assert api_client(engine).get("/api/postings.csv", params=params).status_code == 422


def test_empty_export_is_a_header(engine: Engine, tmp_path: Path) -> None:
    out = io.StringIO()
    with Session(engine) as session:
        assert write_csv(session, PostingFilter(), out) == 0
        assert write_parquet(session, PostingFilter(), tmp_path / "none.parquet") == 0
    assert out.getvalue().strip() == ",".join(FIELDS)
    assert pq.read_table(tmp_path / "none.parquet").num_rows == 0


def test_csv_stream_sends_its_header_before_reading_a_row(history: Engine) -> None:
    read: list[str] = []

    def rows() -> Iterator[dict[str, Any]]:
        with Session(history) as session:
            for row in export_rows(session, PostingFilter(status="all")):
                read.append(row["external_id"])
                yield row

    chunks = csv_chunks(rows(), rows_per_chunk=2)
    assert next(chunks) == ",".join(FIELDS) + "\r\n"
    assert read == []  # nothing was queried for the header
    rest = "".join(chunks)
    assert [r["external_id"] for r in parse(",".join(FIELDS) + "\r\n" + rest)] == read
    assert len(read) > 2


def test_parquet_keeps_types(history: Engine, tmp_path: Path) -> None:
    path = tmp_path / "all.parquet"
    with Session(history) as session:
        assert write_parquet(session, PostingFilter(status="all"), path) == 7
    table = pq.read_table(path)
    assert table.column_names == list(FIELDS)
    rows = {r["external_id"]: r for r in table.to_pylist()}
    assert rows["p3"]["locations"] == ["Palo Alto, CA", "New York, NY"]
    assert rows["p3"]["pay_annual_max_usd"] == 312000.0
    assert rows["p3"]["closed_at"].isoformat() == "2026-11-11T08:00:00+00:00"
    assert rows["p2"]["pay_min"] is None
    assert str(table.schema.field("first_seen_at").type) == "timestamp[us, tz=UTC]"


def test_cli_export_csv_and_parquet(empty_database_url: str, tmp_path: Path) -> None:
    upgrade(empty_database_url)
    engine = make_engine(empty_database_url)
    build_history(engine)
    engine.dispose()
    result = run_cli(
        ["export", "--format", "csv", "--company", "xAI", "--status", "all"],
        database_url=empty_database_url,
    )
    assert result.returncode == 0, result.stderr
    assert [r["external_id"] for r in parse(result.stdout)] == ["p1", "p2", "p3", "p4", "p5"]
    assert "exported 5 postings" in result.stderr
    target = tmp_path / "open.parquet"
    result = run_cli(
        ["export", "--format", "parquet", "--output", str(target)], database_url=empty_database_url
    )
    assert result.returncode == 0, result.stderr
    assert pq.read_table(target).column("external_id").to_pylist() == ["p1", "p4", "a2", "p5"]
    refused = run_cli(["export", "--format", "parquet"], database_url=empty_database_url)
    assert refused.returncode == 2 and "--output" in refused.stderr


def test_csv_cells_that_spreadsheets_would_evaluate_are_quoted(engine: Engine) -> None:
    from tests.conftest import at
    from tests.lifecycle_helpers import ingest, posting, snapshot

    ingest(
        engine,
        snapshot(posting(1, title='=HYPERLINK("http://evil.example","Apply")', team="-2+3")),
        at("2026-11-01T08:00"),
    )
    out = io.StringIO()
    with Session(engine) as session:
        write_csv(session, PostingFilter(), out)
    row = parse(out.getvalue())[0]
    assert row["title"] == '\'=HYPERLINK("http://evil.example","Apply")'
    assert row["team"] == "'-2+3"
    assert row["pay_min"] == "180000"  # numbers are numbers, not text


def test_a_stream_the_client_leaves_gives_its_connection_back_at_once(engine: Engine) -> None:
    """The export's session is closed when the client goes away mid-stream, before the call
    returns: not later, by the garbage collector, in whatever thread."""
    ingest(engine, snapshot(*(posting(n) for n in range(1, 80))), at("2026-11-02T08:00"))
    app = create_app(Settings(answer_cache_mib=0), engine)
    bodies: list[bytes] = []

    async def receive() -> dict[str, Any]:
        await anyio.sleep_forever()
        return {}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.body":
            if len(bodies) == 2:  # the header, then the first rows: then the client is gone
                raise OSError("connection reset by peer")
            bodies.append(message["body"])

    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.4"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/api/postings.csv",
        "raw_path": b"/api/postings.csv",
        "query_string": b"status=all",
        "root_path": "",
        "headers": [(b"host", b"testserver")],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }

    kept: list[BaseException] = []
    checked_out: list[int] = []

    async def call() -> None:
        try:
            await app(scope, receive, send)  # type: ignore[arg-type]
        except Exception as exc:  # held, as a server's error log holds it, with its frames
            kept.append(exc)
        # Still in the server's event loop: nothing has shut its generators down yet.
        checked_out.append(engine.pool.checkedout())  # type: ignore[attr-defined]

    gc.disable()  # what is returned must not depend on a collection happening to run
    try:
        anyio.run(call)
        assert len(bodies) == 2 and bodies[1].count(b"\r\n") > 1  # rows were read
        assert kept, "the client's leaving reached the application"
        assert checked_out == [0]
    finally:
        gc.enable()
