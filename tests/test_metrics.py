"""/metrics: Prometheus text that parses, counters from this process's runs, and gauges that
match the database."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import httpx
import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import func, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, col, select

from scrapers.http import make_fetcher
from scrapers.models import BoardConfig
from service.app import create_app
from service.queue import defer_board, libpq_conninfo, make_queue_app
from service.queue_schema import ensure_queue_schema
from service.scheduler import _scrape_job
from service.settings import Settings
from store.engine import make_engine
from store.models import Delivery, Event, Posting
from store.types import utcnow
from tests.conftest import PgDatabases, load_fixture
from tests.webhook_helpers import subscribe

BOARD = BoardConfig(company="xAI", ats="greenhouse", token="xai")


def samples(
    engine: Engine, settings: Settings
) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    with TestClient(create_app(settings, engine)) as client:
        response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(response.text)
        for s in family.samples
    }


def scrape_once(engine: Engine, settings: Settings, body: object) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=body)

    async def go() -> None:
        async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as client:
            await _scrape_job(engine, settings, BOARD, make_fetcher(settings.http_policy, client))

    asyncio.run(go())


def test_metrics_match_the_database(engine: Engine) -> None:
    settings = Settings(http_backoff=0)
    subscribe(engine, "https://hooks.example.com/in", events=("posting.opened",))
    runs_key = ("talentflow_board_runs_total", (("ats", "greenhouse"), ("outcome", "ok")))
    hist_key = ("talentflow_scrape_duration_seconds_count", (("ats", "greenhouse"),))
    before = samples(engine, settings)

    scrape_once(engine, settings, load_fixture("greenhouse", "xai_jobs.json"))
    with Session(engine) as session:
        # One delivery gives up; the pending ones' events are an hour old.
        first = session.exec(select(Delivery).order_by(col(Delivery.id))).first()
        assert first is not None
        first.status = "failed"
        session.add(first)
        session.execute(update(Event).values(created_at=utcnow() - timedelta(hours=1)))
        session.commit()
        open_count = session.exec(
            select(func.count()).select_from(Posting).where(Posting.status == "open")
        ).one()
        by_status = dict(
            session.exec(select(Delivery.status, func.count()).group_by(Delivery.status)).all()
        )
    after = samples(engine, settings)

    assert open_count == 4
    assert after[("talentflow_postings_open", ())] == open_count
    assert after[("talentflow_deliveries", (("status", "pending"),))] == by_status["pending"] == 3
    assert after[("talentflow_deliveries", (("status", "failed"),))] == by_status["failed"] == 1
    age = after[("talentflow_oldest_undelivered_event_age_seconds", ())]
    assert 3600 <= age < 3600 + 120
    assert after[("talentflow_database_up", ())] == 1
    # Counted where the run happened (this process), once, with its duration observed.
    assert after[runs_key] - before.get(runs_key, 0) == 1
    assert after[hist_key] - before.get(hist_key, 0) == 1
    new_key = ("talentflow_postings_new_total", (("ats", "greenhouse"),))
    assert after[new_key] - before.get(new_key, 0) == 4
    if engine.dialect.name == "sqlite":  # no task queue on SQLite
        assert not any(name == "talentflow_queue_jobs" for name, _ in after)


def test_metrics_without_a_database_say_so(tmp_path: object) -> None:
    engine = make_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")
    got = samples(engine, Settings(database_url="postgresql+psycopg://nobody@127.0.0.1:1/none"))
    assert got[("talentflow_database_up", ())] == 0
    assert ("talentflow_postings_open", ()) not in got


def test_queue_depth_is_the_jobs_waiting(pg_databases: PgDatabases) -> None:
    url = pg_databases.create()
    engine = make_engine(url)
    SQLModel.metadata.create_all(engine)
    assert "installed" in ensure_queue_schema(libpq_conninfo(url))
    assert ensure_queue_schema(libpq_conninfo(url)) == "task queue is up to date"
    settings = Settings(database_url=url)
    boards = [BoardConfig(company=f"C{i}", ats="greenhouse", token=f"t{i}") for i in range(3)]

    async def queue_boards() -> list[int | None]:
        async with make_queue_app(settings).open_async() as queue:
            return [await defer_board(queue, b) for b in [*boards, boards[0]]]

    ids = asyncio.run(queue_boards())
    assert ids[3] is None and len(set(ids[:3])) == 3  # the board already waiting is not queued
    got = samples(engine, settings)
    assert got[("talentflow_queue_jobs", (("status", "todo"),))] == 3
    assert got[("talentflow_queue_jobs", (("status", "doing"),))] == 0
    engine.dispose()


def test_a_failed_run_is_one_warning_line(engine: Engine, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level("INFO", logger="service.scheduler"):
        scrape_once(engine, Settings(http_backoff=0), {"unexpected": "shape"})
    records = [r for r in caplog.records if r.name == "service.scheduler"]
    assert len(records) == 1 and records[0].levelname == "WARNING"
    message = records[0].getMessage()
    assert message.startswith("greenhouse:xai: failed, 0 seen, 0 new, 0 changed, 0 closed in ")
    assert "\n" not in message
