"""The ``talentflow`` command line."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Annotated

import typer
from rich.table import Table
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from service.cli_company import register as register_company
from service.cli_export import register as register_export
from service.cli_hires import register as register_hires
from service.cli_hires import scrape_feeds_step
from service.cli_keys import register as register_keys
from service.cli_sources import register as register_sources
from service.cli_taxonomy import checked_taxonomy
from service.cli_taxonomy import register as register_taxonomy
from service.console import console, err, fail, progress_bar
from service.demo.command import register as register_demo
from service.scrape import RunSummary, scrape_boards
from service.settings import Settings
from service.sources import ConfigError, Sources, load_sources
from service.webhooks.cli import register as register_deliver
from service.webhooks.cli import summary_line
from store.engine import make_engine

app = typer.Typer(
    help="talentflow: a self-hosted monitor of the hiring market.",
    no_args_is_help=True,
    add_completion=False,
)
db_app = typer.Typer(help="Database commands.", no_args_is_help=True)
sources_app = typer.Typer(help="Watchlist commands.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(sources_app, name="sources")
register_sources(sources_app)
register_keys(app)
register_deliver(app)
register_taxonomy(app)
register_export(app)
register_company(app)
register_hires(app)
register_demo(app)


HostOption = Annotated[str, typer.Option("--host", help="address to listen on")]
PortOption = Annotated[int, typer.Option("--port", min=1, max=65535, help="port to listen on")]


def load_watchlist(settings: Settings) -> Sources:
    try:
        return load_sources(settings.sources)
    except ConfigError as exc:
        raise fail(str(exc)) from exc


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the database to the newest schema."""
    from service.migrations import upgrade

    settings = Settings()
    try:
        upgrade(settings.database_url)
    except SQLAlchemyError as exc:
        raise fail(f"cannot upgrade {settings.database_url}: {exc}", 1) from exc
    console.print(f"database at {settings.database_url} is up to date")
    if settings.on_postgresql:  # the task queue of `talentflow worker` lives beside the data
        import psycopg

        from service.queue import libpq_conninfo
        from service.queue_schema import ensure_queue_schema

        try:
            console.print(ensure_queue_schema(libpq_conninfo(settings.database_url)))
        except psycopg.Error as exc:
            raise fail(f"cannot install the task queue: {exc}", 1) from exc


@db_app.command("rebuild-rollups")
def db_rebuild_rollups() -> None:
    """Recompute the trend and pay rollups from the postings (they are kept in step by ingest;
    this repairs them after the postings were edited by hand)."""
    from store.engine import make_engine
    from store.maintenance import rebuild_rollups

    settings = Settings()
    engine = make_engine(settings.database_url)
    try:
        rebuild_rollups(engine)
    except SQLAlchemyError as exc:
        raise fail(f"cannot rebuild the rollups of {settings.database_url}: {exc}", 1) from exc
    finally:
        engine.dispose()
    console.print(f"rollups of {settings.database_url} rebuilt from the postings")


def _summary_table(results: list[RunSummary]) -> Table:
    table = Table(title="scrape summary")
    for column in ("company", "board", "outcome", "seen", "new", "changed", "closed", "note"):
        table.add_column(
            column, justify="right" if column in {"seen", "new", "changed", "closed"} else "left"
        )
    colours = {
        "ok": "green",
        "unchanged": "cyan",
        "partial": "yellow",
        "failed": "red",
        "skipped": "magenta",
    }
    for r in sorted(results, key=lambda r: (r.board.company, r.board.key)):
        outcome = r.outcome + (" (suspicious)" if r.suspicious else "")
        table.add_row(
            r.board.company,
            r.board.key,
            f"[{colours.get(r.outcome, 'white')}]{outcome}[/]",
            str(r.seen),
            str(r.new),
            str(r.changed),
            str(r.closed),
            (r.error or "")[:120],
        )
    return table


@app.command()
def scrape(
    company: Annotated[
        list[str] | None, typer.Option("--company", help="only this company (repeatable)")
    ] = None,
    wait: Annotated[
        float,
        typer.Option(
            "--wait",
            min=0,
            metavar="SECONDS",
            help="wait up to SECONDS for a board another run is reading, instead of skipping it",
        ),
    ] = 0.0,
) -> None:
    """Run one cycle now: every board and feed (or the named companies), then deliver webhooks.

    A board another run is reading at the same moment (another `scrape` or `run`) is
    skipped and recorded as such, unless --wait gives it time to finish."""
    settings = Settings()
    sources = load_watchlist(settings)
    checked_taxonomy(settings)  # a broken taxonomy stops the cycle before anything runs
    boards = sources.select(company)
    if company and not boards:
        raise fail(f"no company named {', '.join(company)} in {sources.path}")
    engine = make_engine(settings.database_url)
    try:
        with engine.connect():
            pass
    except OperationalError as exc:
        raise fail(f"cannot reach the database {settings.database_url}: {exc.orig}", 1) from exc

    progress = progress_bar()
    with progress:
        task = progress.add_task("scraping boards", total=len(boards))

        def done(summary: RunSummary) -> None:
            progress.update(
                task, advance=1, description=f"{summary.board.company}: {summary.outcome}"
            )

        try:
            results = asyncio.run(scrape_boards(engine, settings, boards, on_done=done, wait=wait))
        except OperationalError as exc:
            raise fail(f"database error: {exc.orig}", 1) from exc
    console.print(_summary_table(results))
    failed = sum(r.outcome == "failed" for r in results)
    skipped = sum(r.outcome == "skipped" for r in results)
    line = f"{len(results)} boards: {len(results) - failed - skipped} read, {failed} failed"
    if skipped:
        line += f", {skipped} skipped (another run of them was in progress)"
    console.print(line)
    if not company:  # a full cycle is every board and every feed
        try:
            scrape_feeds_step(engine, settings, sources)
        except OperationalError as exc:
            raise fail(f"database error: {exc.orig}", 1) from exc
    _deliver_after_scrape(engine, settings)


def _deliver_after_scrape(engine: Engine, settings: Settings) -> None:
    """The cycle's delivery pass; a failure here is reported but does not fail the scrape."""
    from service.webhooks.dispatcher import deliver_due

    try:
        console.print(summary_line(asyncio.run(deliver_due(engine, settings))))
    except SQLAlchemyError as exc:
        err.print(f"[yellow]webhook delivery pass failed:[/] {exc}", highlight=False)


def _serve(host: str, port: int, with_scheduler: bool, workers: int | None = None) -> None:
    import uvicorn

    from service.app import create_app, freeze_startup_objects
    from service.logs import configure_logging
    from service.scheduler import queue_lifespan, scheduler_lifespan

    settings = Settings()
    configure_logging(settings.log_level)
    sources = load_watchlist(settings) if with_scheduler else None
    checked_taxonomy(settings)  # refuse to start on a broken taxonomy, naming file:line
    engine = make_engine(settings.database_url)
    lifespan = None
    if sources is not None and settings.on_postgresql:
        _require_queue(settings)
        embedded = settings.board_concurrency if workers is None else workers
        lifespan = queue_lifespan(engine, settings, sources, embedded)
    elif sources is not None:
        if workers is not None:
            raise fail("--workers needs PostgreSQL (the task queue); on SQLite `run` scrapes alone")
        lifespan = scheduler_lifespan(engine, settings, sources)
    application = create_app(settings, engine, lifespan=lifespan, warm=True)
    freeze_startup_objects()
    uvicorn.run(application, host=host, port=port, log_level=settings.log_level.lower())


MetricsPortOption = Annotated[
    int | None,
    typer.Option(
        "--metrics-port",
        min=1,
        max=65535,
        help="serve this process's Prometheus metrics at http://0.0.0.0:PORT/metrics",
    ),
]


def _serve_metrics(port: int | None) -> None:
    """This process's counters and histograms, for Prometheus to scrape (a daemon thread)."""
    if port is not None:
        from prometheus_client import start_http_server

        start_http_server(port)


def _require_queue(settings: Settings) -> None:
    """The queue's tables exist (or a clear error naming the command that makes them)."""
    import psycopg

    from service.queue import libpq_conninfo
    from service.queue_schema import queue_schema_present

    if not settings.on_postgresql:
        raise fail(
            "the task queue needs PostgreSQL (TALENTFLOW_DATABASE_URL=postgresql+psycopg://…); "
            "on SQLite `talentflow run` scrapes in its own process"
        )
    try:
        present = queue_schema_present(libpq_conninfo(settings.database_url))
    except psycopg.Error as exc:
        raise fail(f"cannot reach the database {settings.database_url}: {exc}", 1) from exc
    if not present:
        raise fail("the task queue is not installed: run `talentflow db upgrade` first", 1)


@app.command()
def serve(
    host: HostOption = "127.0.0.1",
    port: PortOption = 8000,
    processes: Annotated[
        int,
        typer.Option(
            "--processes",
            min=1,
            max=64,
            help="server processes sharing the port (uvicorn workers); each answers requests "
            "on its own core",
        ),
    ] = 1,
) -> None:
    """Serve the JSON API and the dashboard (no scheduler)."""
    if processes == 1:
        _serve(host, port, with_scheduler=False)
        return
    import uvicorn

    from service.logs import configure_logging

    settings = Settings()
    configure_logging(settings.log_level)
    checked_taxonomy(settings)
    # Each process imports the application afresh, so it is named, not passed.
    uvicorn.run(
        "service.app:server_process_app",
        factory=True,
        host=host,
        port=port,
        workers=processes,
        log_level=settings.log_level.lower(),
    )


@app.command()
def run(
    host: HostOption = "127.0.0.1",
    port: PortOption = 8000,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            min=0,
            max=64,
            help="PostgreSQL: board jobs this process runs at once from the queue "
            "(default: TALENTFLOW_BOARD_CONCURRENCY; 0 leaves them to `talentflow worker`)",
        ),
    ] = None,
) -> None:
    """API, dashboard, scheduler and webhook dispatcher in one process."""
    _serve(host, port, with_scheduler=True, workers=workers)


@app.command()
def worker(
    concurrency: Annotated[
        int | None,
        typer.Option(
            "--concurrency",
            min=1,
            max=64,
            help="board jobs at once (default: TALENTFLOW_BOARD_CONCURRENCY)",
        ),
    ] = None,
    schedule: Annotated[
        bool,
        typer.Option(
            "--schedule/--no-schedule",
            help="also stand by for the scheduler's leader lease (takes over when it dies)",
        ),
    ] = True,
    metrics_port: MetricsPortOption = None,
) -> None:
    """Run board scrapes from the task queue (PostgreSQL)."""
    from service.logs import configure_logging
    from service.worker import work

    settings = Settings()
    configure_logging(settings.log_level)
    sources = load_watchlist(settings) if schedule else None
    checked_taxonomy(settings)
    _require_queue(settings)
    _serve_metrics(metrics_port)
    engine = make_engine(settings.database_url)
    asyncio.run(
        work(engine, settings, sources, concurrency=concurrency or settings.board_concurrency)
    )


@app.command()
def scheduler(metrics_port: MetricsPortOption = None) -> None:
    """Run the schedule (PostgreSQL): queue board scrapes, read feeds, deliver webhooks.

    Only the holder of the leader lease schedules; start a second one as a standby.
    """
    from service.logs import configure_logging
    from service.scheduler import schedule_when_leader

    settings = Settings()
    configure_logging(settings.log_level)
    sources = load_watchlist(settings)
    checked_taxonomy(settings)
    _require_queue(settings)
    _serve_metrics(metrics_port)
    engine = make_engine(settings.database_url)

    async def main() -> None:
        from scrapers.http import open_fetcher

        async with open_fetcher(settings.http_policy) as fetcher:
            await schedule_when_leader(engine, settings, sources, fetcher)

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(main())


def _boards_seen_nonempty(settings: Settings) -> frozenset[str]:
    """What the store knows of past runs; the probe works without a database too."""
    from sqlmodel import Session

    from store.queries import boards_seen_nonempty

    engine = make_engine(settings.database_url)
    try:
        with Session(engine) as session:
            return boards_seen_nonempty(session)
    except SQLAlchemyError:
        return frozenset()
    finally:
        engine.dispose()


@sources_app.command("check")
def sources_check() -> None:
    """Probe every configured board once: reachable, not found, empty, and how many postings."""
    from service.probe import probe_boards

    settings = Settings()
    sources = load_watchlist(settings)
    results = asyncio.run(
        probe_boards(settings, sources.boards, seen_nonempty=_boards_seen_nonempty(settings))
    )
    table = Table(title=f"boards in {sources.path}")
    for column in ("company", "board", "status", "postings", "detail"):
        table.add_column(column)
    colours = {"reachable": "green", "empty": "yellow", "not found": "red", "error": "red"}
    for r in results:
        table.add_row(
            r.board.company,
            r.board.key,
            f"[{colours.get(r.status, 'white')}]{r.status}[/]",
            "" if r.count is None else str(r.count),
            r.detail or "",
        )
    console.print(table)
    bad = sum(r.status in ("not found", "error") for r in results)
    if bad:
        console.print(f"{bad} of {len(results)} boards need attention")
