"""``talentflow reclassify`` and ``talentflow taxonomy check|explain``."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table
from sqlalchemy.exc import SQLAlchemyError

from scrapers.enrich.topics import Taxonomy, TaxonomyError, taxonomy_at
from service.console import console, fail
from service.settings import Settings
from store.engine import make_engine
from store.reclassify import DEFAULT_BATCH_SIZE, ReclassifyResult, reclassify_postings

taxonomy_app = typer.Typer(help="The topics, functions and seniority levels.", no_args_is_help=True)


def checked_taxonomy(settings: Settings) -> Taxonomy:
    """The configured taxonomy, or exit 2 with the file:line of the problem."""
    try:
        return taxonomy_at(settings.taxonomy_file)
    except TaxonomyError as exc:
        raise fail(str(exc)) from exc


def reclassify(
    batch_size: Annotated[
        int, typer.Option("--batch-size", min=1, max=100_000, help="postings per transaction")
    ] = DEFAULT_BATCH_SIZE,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="report what would change, store nothing")
    ] = False,
) -> None:
    """Re-apply the taxonomy (after editing it) to every stored posting."""
    settings = Settings()
    taxonomy = checked_taxonomy(settings)
    engine = make_engine(settings.database_url)

    def progress(so_far: ReclassifyResult) -> None:
        if console.is_terminal:
            console.print(f"  {so_far.checked} checked, {so_far.changed} changed", end="\r")

    try:
        result = reclassify_postings(
            engine,
            taxonomy.classify_posting,
            batch_size=batch_size,
            dry_run=dry_run,
            on_batch=progress,
        )
    except SQLAlchemyError as exc:
        raise fail(f"database error (did you run `talentflow db upgrade`?): {exc}", 1) from exc
    finally:
        engine.dispose()
    if result.delta:
        table = Table(title="what changed (postings gaining + or losing -)")
        table.add_column("label")
        table.add_column("change", justify="right")
        for label, change in sorted(result.delta.items()):
            if change:
                table.add_row(label, f"{change:+d}")
        console.print(table)
    verb = "would change" if dry_run else "changed"
    console.print(
        f"reclassified with {taxonomy.path}: {result.checked} postings checked, "
        f"{result.changed} {verb}"
    )


@taxonomy_app.command("check")
def taxonomy_check() -> None:
    """Validate the taxonomy file and list its topics, functions and seniority levels."""
    taxonomy = checked_taxonomy(Settings())
    table = Table(title=str(taxonomy.path))
    table.add_column("kind")
    table.add_column("slug")
    table.add_column("label")
    for kind, categories in (
        ("topic", taxonomy.topics),
        ("function", taxonomy.functions),
        ("seniority", taxonomy.seniority),
    ):
        for category in categories:
            table.add_row(kind, category.slug, category.label)
    console.print(table)
    console.print(
        f"{len(taxonomy.topics)} topics, {len(taxonomy.functions)} functions, "
        f"{len(taxonomy.seniority)} seniority levels: ok"
    )


@taxonomy_app.command("explain")
def taxonomy_explain(
    title: Annotated[str, typer.Argument(help="the posting's title")],
    description: Annotated[str, typer.Option("--description", "-d")] = "",
    team: Annotated[str | None, typer.Option("--team")] = None,
) -> None:
    """Classify one title (and description) and show which rules decided."""
    result = checked_taxonomy(Settings()).classify(title, description, team=team)
    console.print(f"topics: {', '.join(result.topics) or '(none)'}", highlight=False)
    console.print(f"function: {result.function}", highlight=False)
    console.print(f"seniority: {result.seniority}", highlight=False)
    for line in result.explain():
        console.print(f"  {line}", highlight=False)


def register(app: typer.Typer) -> None:
    app.command("reclassify")(reclassify)
    app.add_typer(taxonomy_app, name="taxonomy")
