"""The read side at 1,000,000 postings: each endpoint's p95, the server's peak RSS, and a load
run of 32 clients for 30 s while a scrape writes to the same database.

Each endpoint is measured twice: computed from the database (the answer cache off) and answered
again while nothing has been written (the cache on, as deployed). The load run uses the cache as
deployed, with its writer committing about once a second, so it shows both together.

The history comes from ``bench.dataset`` (generated once, cached, migrated to the newest schema).
``talentflow serve`` runs as a subprocess on 127.0.0.1 against it; requests go over real HTTP with
httpx. The load run's writer is another process that ingests a synthetic Greenhouse board in a
loop (a changed tenth of it each time, an hour later each time), as a scrape does.

SQLite by default; ``TALENTFLOW_BENCH_PG_URL`` (e.g.
``postgresql+psycopg://postgres@127.0.0.1:5432/bench_1m``) measures PostgreSQL as well.
``TALENTFLOW_BENCH_POSTINGS`` changes the size (for a quick try on a small history).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from bench.dataset import DEFAULT_POSTINGS, Dataset, pg_dataset, sqlite_dataset

SAMPLES = 50  # requests per endpoint variant
BUDGET_S = 20.0  # … or fewer, when a variant is this slow in all (the "before" figures)
LOAD_CLIENTS = 32
LOAD_SECONDS = 30.0
LOAD_PROCESSES = int(os.environ.get("TALENTFLOW_BENCH_SERVE_PROCESSES", os.cpu_count() or 1))
WRITER_BOARD = 500  # postings of the board the writer scrapes
ROOT = Path(__file__).resolve().parent.parent

# (label, target in ms, paths); a label's p95 is over all its paths' requests.
TARGETS: dict[str, float | None] = {
    "postings": 50,
    "trends": 100,
    "dashboard /": 200,
    "dashboard /trends": 200,
    "pay": 100,
    "search": 100,
    "csv first byte": 100,
    "csv first row": None,  # no target of its own: the first posting, after the header
}
RSS_TARGET_MB = 300
LOAD_RPS_TARGET = 200
LOAD_P99_TARGET_MS = 500


def endpoints(until: str, year_ago: str) -> dict[str, list[str]]:
    year = f"since={year_ago}&until={until}"
    return {
        "postings": [
            "/api/postings?limit=50",
            "/api/postings?limit=50&company=Company%200002",
            "/api/postings?limit=50&topic=robotics",
            "/api/postings?limit=50&function=research&seniority=senior",
            "/api/postings?limit=50&status=closed&workplace=remote",
            "/api/postings?limit=50&company=Company%200500&status=all",
        ],
        "trends": [
            f"/api/trends?metric=open&group=company&interval=week&{year}",
            f"/api/trends?metric=open&group=topic&interval=week&{year}",
            f"/api/trends?metric=new&group=function&interval=month&{year}",
            f"/api/trends?metric=open&group=company&interval=week&{year}&topic=robotics",
        ],
        "dashboard /": ["/"],
        "dashboard /trends": [
            "/trends",
            "/trends?metric=open&group=topic&interval=week",
        ],
        "pay": [
            "/api/pay?group=company",
            "/api/pay?group=topic",
            "/api/pay?group=seniority&company=Company%200003",
            "/api/pay?group=function&status=all",
            "/api/pay?group=topic&status=closed",
            "/api/pay?group=company&status=all",
        ],
        "search": [
            "/api/search?q=robotics",
            "/api/search?q=inference%20kernels",
            "/api/search?q=%22world%20models%22",
            "/api/search?q=safety&company=Company%200001",
        ],
        "csv first byte": [
            "/api/postings.csv",
            "/api/postings.csv?topic=audio",
            "/api/postings.csv?company=Company%200010&status=all",
        ],
        "csv first row": [
            "/api/postings.csv",
            "/api/postings.csv?topic=audio",
            "/api/postings.csv?company=Company%200010&status=all",
        ],
    }


# The load run's mix: what a dashboard and API clients ask for, weighted.
LOAD_MIX: tuple[tuple[str, int], ...] = (
    ("/api/postings?limit=50", 30),
    ("/api/postings?limit=50&topic=inference", 10),
    ("/api/postings?limit=50&company=Company%200004", 10),
    ("/api/postings/{id}", 10),
    ("/api/search?q=robotics", 8),
    ("/api/trends?metric=open&group=company&interval=week", 8),
    ("/api/trends?metric=new&group=topic&interval=week", 6),
    ("/api/pay?group=company", 6),
    ("/api/pay?group=topic", 4),
    ("/", 4),
    ("/trends", 4),
)


# -- the server -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    base: str
    log: Path
    processes: int = 1
    peak_kib: int = 0  # the largest one process reached
    peak_total_kib: int = 0  # every server process together, at the worst moment
    _stop: threading.Event = field(default_factory=threading.Event)

    def watch(self) -> None:
        """Poll the resident sizes (VmRSS, and the kernel's high-water mark VmHWM) of the
        server and of the processes it started."""
        while not self._stop.wait(0.05):
            self._sample()

    def _sample(self) -> None:
        sizes = [_rss_kib(pid) for pid in _tree(self.process.pid)]
        if sizes:
            self.peak_kib = max(self.peak_kib, *sizes)
            self.peak_total_kib = max(self.peak_total_kib, sum(sizes))

    def stop(self) -> None:
        self._sample()
        self._stop.set()
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")

    def rss_line(self, when: str, tag: str) -> str:
        mib = self.peak_kib / 1024
        line = (
            f"{'peak RSS':>18}: {mib:.0f} MiB {when} "
            f"(target < {RSS_TARGET_MB} MB: {verdict(mib < RSS_TARGET_MB)}) {tag}"
        )
        if self.processes > 1:
            line += (
                f"\n{'':>20}largest of {self.processes} server processes; "
                f"all of them together (and their supervisor) {self.peak_total_kib / 1024:.0f} MiB"
            )
        return line


def _tree(pid: int) -> list[int]:
    """``pid`` and its descendants."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        with contextlib.suppress(OSError):  # it has just exited
            children = Path(f"/proc/{current}/task/{current}/children").read_text()
            todo.extend(int(c) for c in children.split())
    return found


def _rss_kib(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    return max(int(fields.get(k, "0 kB").split()[0]) for k in ("VmRSS", "VmHWM"))


def start_server(
    url: str, log: Path, processes: int = 1, env: dict[str, str] | None = None
) -> Server:
    port = free_port()
    env = {
        **os.environ,
        "TALENTFLOW_DATABASE_URL": url,
        "TALENTFLOW_LOG_LEVEL": "WARNING",  # no access log: it would cost the server time
        "PYTHONPATH": str(ROOT),
        **(env or {}),
    }
    command = [
        sys.executable,
        "-c",
        "import sys; from service.cli import app; sys.argv[0] = 'talentflow'; app()",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--processes",
        str(processes),
    ]
    out = log.open("wb")
    process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
    server = Server(process, f"http://127.0.0.1:{port}", log, processes)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited: {server.log_text()[-2000:]}")
        try:
            if httpx.get(server.base + "/api/health", timeout=5).status_code == 200:
                threading.Thread(target=server.watch, daemon=True).start()
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    server.stop()
    raise SystemExit("the server did not answer within 120 s")


# -- per-endpoint latency ---------------------------------------------------------------------


def p(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100), nearest rank."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def _timed_get(client: httpx.Client, path: str) -> float:
    begin = time.perf_counter()
    response = client.get(path)
    took = time.perf_counter() - begin
    if response.status_code != 200:
        raise SystemExit(f"GET {path}: {response.status_code} {response.text[:300]}")
    return took


def _first_byte(client: httpx.Client, path: str) -> float:
    """Until the first chunk of the body arrives; the rest of the stream is dropped."""
    return _until(client, path, lambda body: bool(body))


def _first_row(client: httpx.Client, path: str) -> float:
    """Until the line after the header (the first posting) has arrived."""
    return _until(client, path, lambda body: body.count(b"\r\n") >= 2)


def _until(client: httpx.Client, path: str, done: Callable[[bytes], bool]) -> float:
    begin = time.perf_counter()
    body = b""
    with client.stream("GET", path) as response:
        if response.status_code != 200:
            raise SystemExit(f"GET {path}: {response.status_code}")
        for chunk in response.iter_raw():
            body += chunk
            if done(body):
                break
        took = time.perf_counter() - begin
    return took


def measure(client: httpx.Client, label: str, paths: list[str]) -> dict[str, list[float]]:
    """SAMPLES requests per path (fewer when they add up to more than BUDGET_S), after one
    warm-up request each; times in ms, per path."""
    fetch: Callable[[httpx.Client, str], float] = (
        _first_byte
        if label == "csv first byte"
        else _first_row
        if label == "csv first row"
        else _timed_get
    )
    times: dict[str, list[float]] = {}
    for path in paths:
        fetch(client, path)
        begin = time.perf_counter()
        mine = times.setdefault(path, [])
        for n in range(SAMPLES):
            mine.append(fetch(client, path) * 1000)
            if n >= 4 and time.perf_counter() - begin > BUDGET_S / len(paths):
                break
    return times


def csv_full(client: httpx.Client, path: str) -> tuple[float, int]:
    begin = time.perf_counter()
    rows = 0
    with client.stream("GET", path) as response:
        for chunk in response.iter_bytes():
            rows += chunk.count(b"\r\n")
    return time.perf_counter() - begin, rows - 1


# -- the writer -------------------------------------------------------------------------------


def scrape_loop(url: str, seconds: float, board_token: str) -> None:
    """Ingest a synthetic board again and again for ``seconds`` (a tenth of it changed each
    time, an hour later each time); prints runs, postings written and 'locked' errors."""
    from bench.synthetic import greenhouse_board
    from scrapers.currency import load_rates
    from scrapers.enrich import enrich
    from scrapers.enrich.topics import taxonomy_at
    from scrapers.models import BoardConfig, BoardSnapshot
    from scrapers.sources.greenhouse import parse_jobs
    from store.engine import make_engine, session_scope
    from store.ingest import get_or_create_board, ingest_snapshot, stored_details

    engine = make_engine(url)
    config = BoardConfig(company="Bench Writer", ats="greenhouse", token=board_token)
    base = tuple(parse_jobs(greenhouse_board(WRITER_BOARD)))
    taxonomy, rates = taxonomy_at(), load_rates()
    start = datetime.now(UTC).replace(microsecond=0)
    runs = written = locked = 0
    stop = time.monotonic() + seconds
    while time.monotonic() < stop:
        now = start + timedelta(hours=runs)
        shift = runs % 10
        postings = tuple(
            replace(job, title=f"{job.title} (rev {runs})") if i % 10 == shift else job
            for i, job in enumerate(base)
        )
        try:
            with session_scope(engine) as session:
                board = get_or_create_board(session, config)
                snapshot = BoardSnapshot(board=config, postings=postings)
                enriched = enrich(
                    snapshot, taxonomy, rates, stored_details(session, board, snapshot)
                )
                ingest_snapshot(session, board, enriched, started_at=now, now=now)
        except Exception as exc:  # counted, not fatal: the figure says how often
            if "locked" in str(exc):
                locked += 1
                continue
            raise
        runs += 1
        written += len(postings) // 10 if runs > 1 else len(postings)
    engine.dispose()
    print(f"writer: {runs} runs, {written} postings written, {locked} locked", flush=True)


def start_writer(url: str, seconds: float, token: str) -> subprocess.Popen[str]:
    code = (
        "import sys; from bench.readside import scrape_loop; "
        f"scrape_loop({url!r}, {seconds!r}, {token!r})"
    )
    return subprocess.Popen(
        [sys.executable, "-c", code],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


# -- the load run -----------------------------------------------------------------------------


@dataclass
class LoadResult:
    requests: int = 0
    errors: int = 0
    locked: int = 0
    times: list[float] = field(default_factory=list)
    per_path: dict[str, list[float]] = field(default_factory=dict)
    seconds: float = 0.0


async def _client(
    base: str, until: float, paths: list[str], weights: list[int], ids: list[int], out: LoadResult
) -> None:
    rng = random.Random()
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:
        while time.monotonic() < until:
            template = rng.choices(paths, weights)[0]
            path = template.replace("{id}", str(rng.choice(ids)))
            begin = time.perf_counter()
            try:
                response = await client.get(path)
                ok = response.status_code == 200
                body = response.text
            except httpx.HTTPError as exc:
                ok, body = False, str(exc)
            took = (time.perf_counter() - begin) * 1000
            out.requests += 1
            out.times.append(took)
            out.per_path.setdefault(template, []).append(took)
            if not ok:
                out.errors += 1
                if "locked" in body:
                    out.locked += 1


async def _load(base: str, ids: list[int]) -> LoadResult:
    out = LoadResult()
    paths = [path for path, _ in LOAD_MIX]
    weights = [weight for _, weight in LOAD_MIX]
    begin = time.monotonic()
    until = begin + LOAD_SECONDS
    await asyncio.gather(
        *(_client(base, until, paths, weights, ids, out) for _ in range(LOAD_CLIENTS))
    )
    out.seconds = time.monotonic() - begin
    return out


# -- reporting --------------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


# The two ways a request is answered: computed from the database (the answer cache off), and
# from the answer cache while nothing has been written since (what a repeated request costs).
PASSES: tuple[tuple[str, dict[str, str]], ...] = (
    ("computed", {"TALENTFLOW_ANSWER_CACHE_MIB": "0"}),
    ("kept", {}),
)


def endpoint_pass(base: str, kind: str, tag: str) -> list[int]:
    """Each endpoint's p95 on one server; returns the ids of some postings for the load run."""
    from service.answer_cache import RULES

    today = datetime.now(UTC).date()
    until, year_ago = today.isoformat(), (today - timedelta(days=365)).isoformat()
    with httpx.Client(base_url=base, timeout=300) as client:
        for label, paths in endpoints(until, year_ago).items():
            if kind == "kept" and not any(path.split("?")[0] in RULES for path in paths):
                continue  # never kept (the CSV export streams): the computed figure is the one
            per_path = measure(client, label, paths)
            times = [t for path_times in per_path.values() for t in path_times]
            target = TARGETS[label]
            p95 = p(times, 95)
            judged = (
                f"target p95 < {target:.0f} ms: {verdict(p95 < target)}"
                if target is not None
                else "no target of its own"
            )
            print(
                f"{label:>18}: p95 {p95:8.1f} ms, median {statistics.median(times):8.1f} ms "
                f"over {len(times)} requests of {len(paths)} variants, {kind} ({judged}) {tag}",
                flush=True,
            )
            for path, path_times in per_path.items():
                print(
                    f"{'':>20}{path}: p95 {p(path_times, 95):.1f} ms, "
                    f"median {statistics.median(path_times):.1f} ms",
                    flush=True,
                )
        if kind == "computed":
            took, rows = csv_full(client, "/api/postings.csv?company=Company%200001&status=all")
            print(
                f"{'csv whole export':>18}: {rows:,} rows of one large company in {took:.1f} s "
                f"({rows / took:,.0f} rows/s) {tag}",
                flush=True,
            )
        items = client.get("/api/postings?limit=200&status=all").json()["items"]
    return [item["id"] for item in items]


def run(dataset: Dataset, postings: int) -> None:
    tag = f"[{dataset.dialect}, {postings:,} postings]"
    log = Path(os.environ.get("TMPDIR", "/tmp")) / f"talentflow-bench-serve-{os.getpid()}.log"
    ids: list[int] = []
    for kind, env in PASSES:
        server = start_server(dataset.url, log, env=env)
        try:
            ids = endpoint_pass(server.base, kind, tag)
            print(server.rss_line(f"after the requests above ({kind})", tag), flush=True)
        finally:
            stop_server(server)
    # The load run: as many server processes as the machine has cores, unless told otherwise.
    server = start_server(dataset.url, log, LOAD_PROCESSES)
    try:
        token = f"bench-writer-{dataset.dialect}"
        writer = start_writer(dataset.url, LOAD_SECONDS + 2, token)
        time.sleep(2)  # the writer is ingesting by the time the clients start
        result = asyncio.run(_load(server.base, ids))
        writer_out, _ = writer.communicate(timeout=600)
        rps = result.requests / result.seconds
        p99 = p(result.times, 99)
        locked_log = server.log_text().count("database is locked")
        ok = (
            rps >= LOAD_RPS_TARGET
            and p99 < LOAD_P99_TARGET_MS
            and result.errors == 0
            and result.locked + locked_log == 0
        )
        print(
            f"{'load':>18}: {LOAD_CLIENTS} clients for {result.seconds:.0f} s, "
            f"{LOAD_PROCESSES} server process(es): "
            f"{rps:,.0f} requests/s, "
            f"p50 {p(result.times, 50):.0f} ms, p99 {p99:.0f} ms, {result.errors} errors, "
            f"{result.locked + locked_log} 'database is locked' "
            f"(target ≥ {LOAD_RPS_TARGET}/s, p99 < {LOAD_P99_TARGET_MS} ms, 0 errors, 0 locked: "
            f"{verdict(ok)}) {tag}",
            flush=True,
        )
        for path, times in sorted(result.per_path.items(), key=lambda kv: -p(kv[1], 99)):
            print(
                f"{'':>20}{path}: {len(times)} requests, p50 {p(times, 50):.0f} ms, "
                f"p99 {p(times, 99):.0f} ms",
                flush=True,
            )
        print(f"{'':>20}{writer_out.strip()}", flush=True)
        print(server.rss_line("after the load run", tag), flush=True)
    finally:
        stop_server(server)


def stop_server(server: Server) -> None:
    server.stop()
    errors = [line for line in server.log_text().splitlines() if "Error" in line]
    if errors:
        print(f"server log: {len(errors)} error lines, e.g. {errors[-1][:300]}")


def main() -> None:
    postings = int(os.environ.get("TALENTFLOW_BENCH_POSTINGS", DEFAULT_POSTINGS))
    run(sqlite_dataset(postings), postings)
    pg_url = os.environ.get("TALENTFLOW_BENCH_PG_URL")
    if pg_url:
        run(pg_dataset(pg_url, postings), postings)


if __name__ == "__main__":
    main()
