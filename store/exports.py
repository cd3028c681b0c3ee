"""Flat exports of postings (CSV, Parquet) for spreadsheets and notebooks.

One row per posting, with the same filters as ``/api/postings``; list fields (locations, topics)
are joined with ``"; "`` in CSV and kept as lists in Parquet.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import IO, Any, get_args, get_origin

from pydantic.fields import FieldInfo
from sqlmodel import Session, col, select

from store.filters import filter_company_ids, without_description
from store.models import Board, Company, Posting
from store.queries import PostingFilter, posting_conditions
from store.schemas import PayOut, PostingOut, posting_pay
from store.serialize import iso

BATCH = 500
FIRST_BATCH = 50
LIST_SEPARATOR = "; "


def _kind(field: FieldInfo) -> str:
    """The Parquet type name of a schema field."""
    extra = field.json_schema_extra
    if isinstance(extra, dict) and extra.get("format") == "date-time":
        return "timestamp"
    annotation = field.annotation
    if get_origin(annotation) is list:
        return "list"
    args = set(get_args(annotation)) - {type(None)} or {annotation}
    if args == {int}:
        return "int64"
    if args <= {int, float}:
        return "float64"
    return "string"


def _columns() -> Iterator[tuple[str, str]]:
    # The posting's JSON fields in their order, with the band flattened to ``pay_<field>``.
    for name, field in PostingOut.model_fields.items():
        if name == "pay":
            yield from ((f"pay_{n}", _kind(f)) for n, f in PayOut.model_fields.items())
        else:
            yield name, _kind(field)


# (column, Parquet type name); the order is the file's column order.
COLUMNS: tuple[tuple[str, str], ...] = tuple(_columns())
FIELDS = tuple(name for name, _ in COLUMNS)


def export_rows(session: Session, flt: PostingFilter) -> Iterator[dict[str, Any]]:
    """Every matching posting as a flat dict (native values), oldest first, read in batches."""
    stmt = (
        select(Posting, Company.name, Board.ats)
        .join(Company, col(Company.id) == Posting.company_id)
        .join(Board, col(Board.id) == Posting.board_id)
        .where(*posting_conditions(flt, companies=filter_company_ids(session, flt)))
        .options(without_description())  # not a column of the export: kilobytes a row
    )
    after = 0
    size = FIRST_BATCH  # a small first batch: the stream's first rows come without waiting
    while True:
        batch = list(
            session.exec(stmt.where(col(Posting.id) > after).order_by(col(Posting.id)).limit(size))
        )
        for posting, company, ats in batch:
            yield _flat(posting, company, ats)
        if len(batch) < size:
            return
        after = batch[-1][0].id or 0
        session.expunge_all()  # the rows are written out: memory stays one batch
        size = BATCH


def _flat(posting: Posting, company: str, ats: str) -> dict[str, Any]:
    row: dict[str, Any] = {name: getattr(posting, name, None) for name in FIELDS}
    row.update(
        company=company,
        ats=ats,
        locations=list(posting.locations or []),
        topics=list(posting.topics or []),
    )
    # The band as the JSON shows it (``PayOut``), flattened to ``pay_<field>`` columns.
    pay = posting_pay(posting)
    row.update({f"pay_{name}": getattr(pay, name) if pay else None for name in PayOut.model_fields})
    return row


# Spreadsheets run a cell starting with one of these as a formula; board text is untrusted.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_value(value: Any) -> Any:
    if isinstance(value, list):
        value = LIST_SEPARATOR.join(str(v) for v in value)
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value  # shown as text, never evaluated
    return "" if value is None else value


# The header goes out before the first query, and the first rows after this many, so a client
# sees the stream start at once; later chunks hold ``rows_per_chunk``.
FIRST_CHUNK_ROWS = 20


def csv_chunks(rows: Iterator[dict[str, Any]], *, rows_per_chunk: int = BATCH) -> Iterator[str]:
    """CSV text in chunks, for streaming responses: the header alone, then the rows."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS, lineterminator="\r\n")
    writer.writeheader()
    yield buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    pending = 0
    size = min(FIRST_CHUNK_ROWS, rows_per_chunk)
    for row in rows:
        writer.writerow({name: _csv_value(row[name]) for name in FIELDS})
        pending += 1
        if pending >= size:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            pending = 0
            size = rows_per_chunk
    yield buffer.getvalue()


def write_csv(session: Session, flt: PostingFilter, out: IO[str]) -> int:
    """Write the CSV export to a text stream; returns the number of postings."""
    count = 0

    def counted() -> Iterator[dict[str, Any]]:
        nonlocal count
        for row in export_rows(session, flt):
            count += 1
            yield row

    for chunk in csv_chunks(counted()):
        out.write(chunk)
    return count


def parquet_schema() -> Any:
    import pyarrow as pa  # imported on use: only exports need it

    types = {
        "int64": pa.int64(),
        "string": pa.string(),
        "float64": pa.float64(),
        "list": pa.list_(pa.string()),
        "timestamp": pa.timestamp("us", tz="UTC"),
    }
    return pa.schema([(name, types[kind]) for name, kind in COLUMNS])


def write_parquet(session: Session, flt: PostingFilter, path: Path) -> int:
    """Write the Parquet export (one row group per batch); returns the number of postings."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = parquet_schema()
    count = 0
    with pq.ParquetWriter(str(path), schema) as writer:
        batch: list[dict[str, Any]] = []
        for row in export_rows(session, flt):
            batch.append(row)
            if len(batch) >= BATCH * 10:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                count += len(batch)
                batch = []
        if batch or count == 0:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            count += len(batch)
    return count
