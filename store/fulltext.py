"""The full-text index over postings' title, team and description, and its query language.

SQLite uses an FTS5 external-content table (``posting_fts``) that triggers keep in step with the
``posting`` table, so every write — ingest included — updates the index in the same transaction.
PostgreSQL uses a weighted ``tsvector`` in a stored generated column with a GIN index.

User queries are parsed here into a safe form, never passed through raw, so no input can cause a
syntax error: bare words must all match (stemmed), ``"quoted words"`` match as a phrase, and a
trailing ``*`` matches a prefix (``robot*``). Ranking is by tier (:data:`TIERS`): postings the
title alone matches, then those the title and team match, then the rest, newest first within a
tier — so a page costs what it shows, however many postings a common word matches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Boolean, Integer, bindparam, column, func, literal_column, table, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import BindParameter
from sqlalchemy.sql.expression import ColumnElement
from sqlmodel import Session, col, select

from store.models import Posting

FTS_TABLE = "posting_fts"
# Titles and teams only: a small index, so a query for the title tiers reads short lists.
TITLE_FTS_TABLE = "posting_fts_titles"
PG_COLUMN = "search_vector"
PG_INDEX = "ix_posting_search"
# Titles and teams only (labels A and B), with a GIN index of its own: the title tiers' words
# are looked up among titles, where the whole vector would find every description holding them.
PG_TITLE_COLUMN = "title_vector"
PG_TITLE_INDEX = "ix_posting_title_search"
PG_CONFIG = "english"
# Index objects that SQLModel metadata does not describe (migrations comparisons skip them).
SEARCH_OBJECT_PREFIXES = (FTS_TABLE, PG_INDEX, PG_COLUMN, PG_TITLE_INDEX, PG_TITLE_COLUMN)

# A stored generated column: matching reads it instead of re-parsing every text. The labels
# A, B, C (title, team, description) let a query ask for a match within some of the parts.
PG_TITLE_VECTOR_EXPRESSION = (
    f"setweight(to_tsvector('{PG_CONFIG}', coalesce(title, '')), 'A') || "
    f"setweight(to_tsvector('{PG_CONFIG}', coalesce(team, '')), 'B')"
)
PG_VECTOR_EXPRESSION = (
    f"{PG_TITLE_VECTOR_EXPRESSION} || "
    f"setweight(to_tsvector('{PG_CONFIG}', coalesce(description, '')), 'C')"
)
PG_VECTOR = f"posting.{PG_COLUMN}"
PG_TITLE_VECTOR = f"posting.{PG_TITLE_COLUMN}"

TITLE_SQLITE_DDL: tuple[str, ...] = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {TITLE_FTS_TABLE} USING fts5("
    "title, team, content='posting', content_rowid='id', "
    "tokenize='porter unicode61 remove_diacritics 2')",
    f"CREATE TRIGGER IF NOT EXISTS {TITLE_FTS_TABLE}_ai AFTER INSERT ON posting BEGIN "
    f"INSERT INTO {TITLE_FTS_TABLE}(rowid, title, team) VALUES (new.id, new.title, new.team); END",
    f"CREATE TRIGGER IF NOT EXISTS {TITLE_FTS_TABLE}_ad AFTER DELETE ON posting BEGIN "
    f"INSERT INTO {TITLE_FTS_TABLE}({TITLE_FTS_TABLE}, rowid, title, team) "
    "VALUES ('delete', old.id, old.title, old.team); END",
    f"CREATE TRIGGER IF NOT EXISTS {TITLE_FTS_TABLE}_au AFTER UPDATE OF title, team "
    f"ON posting BEGIN "
    f"INSERT INTO {TITLE_FTS_TABLE}({TITLE_FTS_TABLE}, rowid, title, team) "
    "VALUES ('delete', old.id, old.title, old.team); "
    f"INSERT INTO {TITLE_FTS_TABLE}(rowid, title, team) VALUES (new.id, new.title, new.team); END",
)
SQLITE_DDL: tuple[str, ...] = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
    "title, team, description, content='posting', content_rowid='id', "
    "tokenize='porter unicode61 remove_diacritics 2')",
    f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ai AFTER INSERT ON posting BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, title, team, description) "
    "VALUES (new.id, new.title, new.team, new.description); END",
    f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ad AFTER DELETE ON posting BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, team, description) "
    "VALUES ('delete', old.id, old.title, old.team, old.description); END",
    f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_au AFTER UPDATE OF title, team, description "
    f"ON posting BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, team, description) "
    "VALUES ('delete', old.id, old.title, old.team, old.description); "
    f"INSERT INTO {FTS_TABLE}(rowid, title, team, description) "
    "VALUES (new.id, new.title, new.team, new.description); END",
    *TITLE_SQLITE_DDL,
)
PG_DDL: tuple[str, ...] = (
    f"ALTER TABLE posting ADD COLUMN IF NOT EXISTS {PG_COLUMN} tsvector "
    f"GENERATED ALWAYS AS ({PG_VECTOR_EXPRESSION}) STORED",
    f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON posting USING gin ({PG_COLUMN})",
    f"ALTER TABLE posting ADD COLUMN IF NOT EXISTS {PG_TITLE_COLUMN} tsvector "
    f"GENERATED ALWAYS AS ({PG_TITLE_VECTOR_EXPRESSION}) STORED",
    f"CREATE INDEX IF NOT EXISTS {PG_TITLE_INDEX} ON posting USING gin ({PG_TITLE_COLUMN})",
)


def is_search_object(name: str | None) -> bool:
    return bool(name) and str(name).startswith(SEARCH_OBJECT_PREFIXES)


# -- creating the index ---------------------------------------------------------------------


def create_search_objects(conn: Connection) -> None:
    """Create the index objects for this database (idempotent), filling a new FTS table."""
    if conn.dialect.name == "sqlite":
        missing = [
            name
            for name in (FTS_TABLE, TITLE_FTS_TABLE)
            if conn.execute(
                text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = :name"),
                {"name": name},
            ).first()
            is None
        ]
        for statement in SQLITE_DDL:
            conn.exec_driver_sql(statement)
        for name in missing:
            conn.exec_driver_sql(f"INSERT INTO {name}({name}) VALUES ('rebuild')")
    elif conn.dialect.name == "postgresql":
        for statement in PG_DDL:
            conn.exec_driver_sql(statement)


def ensure_search_index(engine: Engine) -> None:
    """For databases whose tables came from ``SQLModel.metadata.create_all`` (not migrations)."""
    with engine.begin() as conn:
        create_search_objects(conn)


# -- parsing user queries -------------------------------------------------------------------

_TOKEN = re.compile(r'"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]  # one word, or several for a phrase
    prefix: bool = False  # the last word is a prefix


def parse_query(q: str) -> list[Term]:
    """Bare words, "quoted phrases" and prefixes (``robot*``); punctuation is ignored, and a
    hyphenated word (``world-model``) is a phrase."""
    terms: list[Term] = []
    for match in _TOKEN.finditer(q):
        phrase, bare = match.group(1), match.group(2)
        chunk = phrase if phrase is not None else bare
        words = tuple(w.lower() for w in _WORD.findall(chunk))
        if words:
            prefix = phrase is None and bare.endswith("*")
            terms.append(Term(words, prefix))
    return terms


def text_matches(q: str, text: str) -> bool:
    """The query grammar evaluated over one text in Python (webhook filters match events as
    they are written, without a query). Words match the start of a word of the text, which
    stands in for the stemming the database indexes apply."""
    words = [w.lower() for w in _WORD.findall(text)]
    terms = parse_query(q)
    return bool(terms) and all(_term_in(term, words) for term in terms)


def _term_in(term: Term, words: list[str]) -> bool:
    size = len(term.words)
    return any(
        all(words[start + i].startswith(w) for i, w in enumerate(term.words))
        for start in range(len(words) - size + 1)
    )


def fts5_expression(terms: list[Term]) -> str:
    """Every word is quoted, so the FTS5 grammar never sees user syntax."""
    parts = []
    for term in terms:
        part = '"' + " ".join(term.words) + '"'
        parts.append(part + "*" if term.prefix else part)
    return " AND ".join(parts)


def tsquery_expression(terms: list[Term], weights: str = "") -> str:
    """``to_tsquery`` text; words are ``\\w+`` only, so they carry no tsquery operators.
    ``weights`` (e.g. ``"AB"``) limits every word to the labelled parts of the vector."""
    parts = []
    for term in terms:
        words = [f"{w}:{weights}" if weights else w for w in term.words]
        if term.prefix:
            words[-1] += "*" if weights else ":*"
        parts.append("(" + " <-> ".join(words) + ")")
    return " & ".join(parts)


# -- SQL constructs, compiled per database --------------------------------------------------


class SearchMatch(ColumnElement[bool]):
    """``posting`` matches the parsed query (usable in any WHERE next to other filters)."""

    inherit_cache = False
    type = Boolean()

    def __init__(self, terms: list[Term]) -> None:
        self.terms = terms


def _bind(compiler: SQLCompiler, value: str, **kw: Any) -> str:
    return compiler.process(bindparam(None, value, unique=True), **kw)


@compiles(SearchMatch, "sqlite")
def _match_sqlite(element: SearchMatch, compiler: SQLCompiler, **kw: Any) -> str:
    if not element.terms:
        return "0 = 1"
    query = _bind(compiler, fts5_expression(element.terms), **kw)
    return f"posting.id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH {query})"


@compiles(SearchMatch, "postgresql")
def _match_pg(element: SearchMatch, compiler: SQLCompiler, **kw: Any) -> str:
    if not element.terms:
        return "false"
    query = _bind(compiler, tsquery_expression(element.terms), **kw)
    return f"{PG_VECTOR} @@ to_tsquery('{PG_CONFIG}', {query})"


# Where a query matches, best first: within the title alone, within the title and team, or only
# with the description's help. ``/api/search`` ranks by this tier, newest first within one.
TIERS: tuple[int, ...] = (3, 2, 1)
_TIER_WEIGHTS = {3: "A", 2: "AB"}


@dataclass(frozen=True)
class TierQuery:
    """One tier's postings, newest first: ``rows`` (SQLite: the FTS table to select from, joined
    to the postings by rowid, so that it streams matches in rowid order and a page stops early)
    or ``None``; ``order`` the id to sort and continue on; ``condition`` the match."""

    rows: Any
    order: Any
    condition: ColumnElement[bool]


def tier_expression(dialect: str, terms: list[Term], tier: int) -> str:
    """The engine's query text for the postings of one tier (disjoint from the other tiers).
    Tiers 3 and 2 ask the small title index (title and team only), which answers a word that no
    title holds at once; tier 1 asks the whole index."""
    if dialect == "sqlite":
        anywhere = f"({fts5_expression(terms)})"
        in_title = f"{{title}} : {anywhere}"
        return {
            3: in_title,
            2: f"{anywhere} NOT {in_title}",
            1: f"{anywhere} NOT {{title team}} : {anywhere}",
        }[tier]
    weighted = {t: tsquery_expression(terms, w) for t, w in _TIER_WEIGHTS.items()}
    if tier == TIERS[0]:
        return weighted[tier]
    this = weighted[tier] if tier in weighted else tsquery_expression(terms)
    return f"({this}) & !({weighted[tier + 1]})"


def tier_query(dialect: str, terms: list[Term], tier: int) -> TierQuery:
    query: BindParameter[str] = bindparam("tier_query", tier_expression(dialect, terms, tier))
    if dialect == "sqlite":
        rows = TITLE_FTS_ROWS if tier in _TIER_WEIGHTS else FTS_ROWS
        return TierQuery(rows, rows.c.rowid, literal_column(rows.name).op("MATCH")(query))
    vector = PG_TITLE_VECTOR if tier in _TIER_WEIGHTS else PG_VECTOR
    condition = literal_column(vector).op("@@")(func.to_tsquery(PG_CONFIG, query))
    return TierQuery(None, col(Posting.id), condition)


FTS_ROWS = table(FTS_TABLE, column("rowid", Integer))
TITLE_FTS_ROWS = table(TITLE_FTS_TABLE, column("rowid", Integer))


def search_condition(q: str) -> ColumnElement[bool]:
    """The WHERE clause for a full-text query: ``q`` of every posting filter, of the ranked
    search and of webhook subscriptions."""
    return SearchMatch(parse_query(q))


def posting_matches_text(session: Session, posting_id: int, q: str) -> bool:
    """Whether one stored posting matches ``q`` exactly as ``/api/postings?q=`` would select it
    (in the caller's transaction, so a posting written but not committed counts)."""
    if not parse_query(q):
        return False
    found = session.exec(
        select(Posting.id)
        .where(  # type: ignore[call-overload]
            col(Posting.id) == posting_id, search_condition(q)
        )
        .limit(1)
    ).first()
    return found is not None
