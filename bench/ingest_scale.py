"""Scrape cycles at scale, against a raw baseline measured in the same run.

Simulated Greenhouse boards are served by an in-process ``httpx.MockTransport`` (the same bytes
for the scrape and for the baseline, so the network costs nothing to either). Figures:

- the first scrape of B boards x P postings through ``scrape_boards`` (fetch, parse, enrich,
  ingest, events, rollups), against a baseline that fetches the same bodies, ``json.loads``
  them and ``executemany``-inserts one row per job into a plain table of the same database kind;
- the unchanged re-scrape of those boards, and one with a tenth of the jobs retitled,
  against the first scrape;
- a cycle over S small unchanged boards (20 postings each): wall time and CPU per board;
- the first scrape's write path alone: other boards of the same size scraped with descriptions
  kept as sent, no pay read from text and one fixed classification, so what is left is fetch,
  JSON, hashing, inserts, full-text index, events and rollups. It shows how far the 2x target
  is from the writes themselves, before any posting is read.

Sizes: BENCH_SCALE_BOARDS (200), BENCH_SCALE_POSTINGS (500), BENCH_SCALE_SMALL (2000).
SQLite by default; TALENTFLOW_BENCH_DATABASE_URL names a PostgreSQL database to use instead
(its tables are created, and the baseline's table dropped, by the run).
"""

from __future__ import annotations

import asyncio
import json
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any
from unittest import mock

import httpx
from sqlalchemy import text
from sqlalchemy.engine import Engine

from bench.synthetic import greenhouse_job
from scrapers.enrich.topics import Classification
from scrapers.models import BoardConfig
from service.migrations import upgrade
from service.scrape import scrape_boards
from service.settings import Settings
from store.engine import make_engine

START = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)


def _bodies(prefix: str, boards: int, postings: int) -> dict[str, bytes]:
    """Each board's ``/jobs`` body, by token; job ids and titles differ across boards."""
    out = {}
    for b in range(boards):
        jobs = []
        for n in range(postings):
            job = greenhouse_job(b * postings + n)
            job["title"] = f"{job['title'].strip()} ({prefix} {b})"
            jobs.append(job)
        out[f"{prefix}-{b:05d}"] = json.dumps({"jobs": jobs, "meta": {"total": postings}}).encode()
    return out


def _edited(bodies: dict[str, bytes]) -> dict[str, bytes]:
    """The same boards with every tenth job retitled."""
    out = {}
    for token, body in bodies.items():
        payload = json.loads(body)
        for job in payload["jobs"][::10]:
            job["title"] += " (Senior)"
        out[token] = json.dumps(payload).encode()
    return out


def _transport(bodies: dict[str, bytes]) -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        token = request.url.path.split("/")[3]  # /v1/boards/{token}/jobs
        body = bodies.get(token)
        if body is None:
            return httpx.Response(404)
        return httpx.Response(200, content=body, headers={"content-type": "application/json"})

    return httpx.MockTransport(handle)


def _configs(bodies: dict[str, bytes]) -> list[BoardConfig]:
    return [BoardConfig(company=token, ats="greenhouse", token=token) for token in bodies]


class HourlyClock:
    """The scrape's clock: each cycle an hour after the last."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


@contextmanager
def timed() -> Iterator[Callable[[], tuple[float, float]]]:
    wall, cpu = time.perf_counter(), time.process_time()
    result: list[tuple[float, float]] = []
    yield lambda: result[0]
    result.append((time.perf_counter() - wall, time.process_time() - cpu))


def scrape_all(
    engine: Engine, settings: Settings, bodies: dict[str, bytes], clock: HourlyClock
) -> float:
    started = time.perf_counter()
    summaries = asyncio.run(
        scrape_boards(engine, settings, _configs(bodies), transport=_transport(bodies), clock=clock)
    )
    elapsed = time.perf_counter() - started
    bad = [s for s in summaries if s.outcome not in ("ok", "unchanged")]
    if bad:
        raise SystemExit(f"{len(bad)} runs did not succeed, e.g. {bad[0]}")
    return elapsed


@contextmanager
def write_path_only() -> Iterator[None]:
    """Parsing of descriptions, pay text and classification replaced by constant stand-ins."""
    fixed = Classification(topics=[], function="engineering", seniority="mid")
    with (
        mock.patch("scrapers.sources.greenhouse.escaped_html_to_text", lambda s: s or ""),
        mock.patch("scrapers.enrich.parse_pay_text", lambda *a, **k: None),
        mock.patch("scrapers.enrich.topics.Taxonomy.classify", lambda self, *a, **k: fixed),
    ):
        yield


def _baseline(engine: Engine, bodies: dict[str, bytes]) -> float:
    """Fetch every body over the same transport, parse it, insert one row per job."""
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS bench_raw_job"))
        conn.execute(
            text(
                "CREATE TABLE bench_raw_job (board TEXT, external_id TEXT, title TEXT, "
                "location TEXT, content TEXT, updated_at TEXT, PRIMARY KEY (board, external_id))"
            )
        )

    async def run() -> None:
        async with httpx.AsyncClient(transport=_transport(bodies)) as client:
            for token in bodies:
                response = await client.get(
                    f"https://boards-api.greenhouse.io/v1/boards/{token}/jobs"
                )
                jobs: list[dict[str, Any]] = json.loads(response.content)["jobs"]
                rows = [
                    {
                        "board": token,
                        "external_id": str(job["id"]),
                        "title": job["title"],
                        "location": job["location"]["name"],
                        "content": job["content"],
                        "updated_at": job["updated_at"],
                    }
                    for job in jobs
                ]
                with engine.begin() as conn:
                    conn.execute(
                        text(
                            "INSERT INTO bench_raw_job VALUES "
                            "(:board, :external_id, :title, :location, :content, :updated_at)"
                        ),
                        rows,
                    )

    started = time.perf_counter()
    asyncio.run(run())
    elapsed = time.perf_counter() - started
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE bench_raw_job"))
    return elapsed


def main() -> None:
    boards = int(os.environ.get("BENCH_SCALE_BOARDS", "200"))
    postings = int(os.environ.get("BENCH_SCALE_POSTINGS", "500"))
    small = int(os.environ.get("BENCH_SCALE_SMALL", "2000"))
    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("TALENTFLOW_BENCH_DATABASE_URL") or f"sqlite:///{tmp}/scale.db"
        upgrade(url)
        engine = make_engine(url)
        settings = Settings(database_url=url)
        clock = HourlyClock()
        large = _bodies(f"scale{time.time_ns()}", boards, postings)
        dialect = engine.dialect.name

        baseline = _baseline(engine, large)
        first = scrape_all(engine, settings, large, clock)
        clock.now += timedelta(hours=1)
        again = scrape_all(engine, settings, large, clock)
        clock.now += timedelta(hours=1)
        some = scrape_all(engine, settings, _edited(large), clock)
        total = boards * postings
        print(f"scale [{dialect}]: {boards} boards x {postings} postings ({total:,})")
        print(f"  baseline (fetch + json + executemany): {baseline:.2f} s")
        print(
            f"  first scrape: {first:.2f} s = {first / baseline:.1f}x the baseline "
            f"({first / total * 1000:.2f} ms per posting)   target ≤ 2x"
        )
        print(
            f"  unchanged re-scrape: {again:.2f} s = {again / first:.2f}x the first   target ≤ 0.3x"
        )
        print(f"  a tenth of the jobs retitled: {some:.2f} s = {some / first:.2f}x the first")
        plain = _bodies(f"plain{time.time_ns()}", boards, postings)
        plain_baseline = _baseline(engine, plain)
        with write_path_only():
            writes = scrape_all(engine, settings, plain, clock)
        print(
            f"  first scrape, write path alone (descriptions not parsed, nothing classified): "
            f"{writes:.2f} s = {writes / plain_baseline:.1f}x its baseline of "
            f"{plain_baseline:.2f} s ({writes / total * 1000:.2f} ms per posting)"
        )

        tiny = _bodies(f"small{time.time_ns()}", small, 20)
        clock.now += timedelta(hours=1)
        cold = scrape_all(engine, settings, tiny, clock)
        clock.now += timedelta(hours=1)
        with timed() as spent:
            scrape_all(engine, settings, tiny, clock)
        wall, cpu = spent()
        print(f"  {small} small boards x 20: first cycle {cold:.1f} s")
        print(
            f"  {small} small boards unchanged: cycle {wall:.1f} s, {cpu / small * 1000:.1f} ms "
            f"of CPU per board ({wall / small * 1000:.1f} ms wall)   target ≤ 40 s at 2,000 "
            "boards, ≤ 20 ms per board"
        )
        engine.dispose()


if __name__ == "__main__":
    main()
