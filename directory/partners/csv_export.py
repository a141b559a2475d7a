"""The CSV export of published organizations: documented columns, formula neutralization
and streaming in constant memory.

Partners script against the columns, so their names and order are stable: a new column
is added at the end; none is renamed or removed. One row per organization, in the order
the shared filters give (name, or whatever `sort` asks for).

Two paths write byte-identical files (tests/partners/test_exports.py proves it):

- PostgreSQL: `COPY (<the ORM's compiled query>) TO STDOUT WITH (FORMAT csv)`. The
  database formats and neutralizes every cell; Python only forwards the bytes.
- Any other database: the ORM reads rows in chunks and Python formats them with `csv`.

Neutralization (OWASP "CSV injection"): a text cell whose first character, after any
apostrophes, is = + - @ tab or carriage return gets one more apostrophe in front, so a
spreadsheet shows it as text instead of running it. Removing that one apostrophe gives
the original value back exactly. Numbers (ids, years, coordinates, counts) never change.
"""

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import islice

from django.db import connection, transaction
from django.db.models import QuerySet
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _

from directory.core.errors import InvalidParameters
from directory.core.formulas import neutralize
from directory.partners.columns import (
    BOOLEAN,
    COLUMNS,
    COLUMNS_BY_NAME,
    DATE,
    LIST,
    NUMBER,
    Column,
    export_queryset,
    list_rows,
    list_source,
)

UTF8_BOM = b"\xef\xbb\xbf"
CHUNK_ROWS = 500
CHUNK_BYTES = 64 * 1024


@dataclass(frozen=True)
class ExportOptions:
    columns: tuple[Column, ...] = COLUMNS
    bom: bool = False


def parse_options(params: QueryDict) -> ExportOptions:
    """The export options in a query string: `columns` (names, comma-separated or
    repeated, in the order wanted) and `bom` (1 to start the file with a UTF-8
    byte-order mark for Excel). Raises InvalidParameters saying what is allowed."""
    errors = []
    bom = params.get("bom", "0")
    if bom not in ("0", "1"):
        errors.append(
            _("bom: “%(value)s” is not an option. Use bom=1 for Excel or bom=0 (the default).")
            % {"value": bom[:20]}
        )
    export_format = params.get("format", "csv")
    if export_format != "csv":
        errors.append(
            _(
                "format: this address exports CSV only. For JSON use %(json)s, for GeoJSON "
                "%(geojson)s."
            )
            % {
                "json": reverse("directory:api-organization-list"),
                "geojson": reverse("directory:api-organization-geojson"),
            }
        )
    names = [name.strip() for value in params.getlist("columns") for name in value.split(",")]
    names = [name for name in names if name]
    unknown = [name for name in names if name not in COLUMNS_BY_NAME]
    if unknown:
        errors.append(
            _("columns: unknown column %(names)s. Allowed columns: %(allowed)s.")
            % {
                "names": ", ".join(f"“{name[:40]}”" for name in unknown[:5]),
                "allowed": ", ".join(COLUMNS_BY_NAME),
            }
        )
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        errors.append(
            _("columns: %(names)s asked for more than once.") % {"names": ", ".join(repeated)}
        )
    if errors:
        raise InvalidParameters(errors)
    columns = tuple(COLUMNS_BY_NAME[name] for name in names) or COLUMNS
    return ExportOptions(columns=columns, bom=bom == "1")


def format_number(value) -> str:
    """A number as PostgreSQL writes it: shortest exact form, no trailing ".0"."""
    text = repr(value) if isinstance(value, float) else str(value)
    return text[:-2] if text.endswith(".0") else text


def format_cell(column: Column, value) -> str:
    if value is None:
        return ""
    if column.kind == NUMBER:
        return format_number(value)
    if column.kind == BOOLEAN:
        return "true" if value else "false"
    if column.kind == DATE:
        return value.isoformat()
    if column.kind == LIST:
        value = column.separator.join(value)
    return neutralize(str(value))


def raw_chunks(
    organizations: QuerySet, *, columns: Sequence[Column], base_url: str
) -> Iterator[list[tuple]]:
    """Rows of raw values (lists as tuples), a chunk at a time: one query for the rows
    plus one per list column per chunk, so memory and query count stay bounded."""
    rows = export_queryset(
        organizations, columns=columns, base_url=base_url, in_sql=False
    ).iterator(chunk_size=CHUNK_ROWS)
    list_columns = [column for column in columns if column.kind == LIST]
    while chunk := list(islice(rows, CHUNK_ROWS)):
        ids = [row[0] for row in chunk]
        lists = {column.name: _lists_for(column, ids) for column in list_columns}
        yield [_merge(row, columns, lists) for row in chunk]


def _merge(row: tuple, columns: Sequence[Column], lists: dict) -> tuple:
    pk, *values = row
    scalars = iter(values)
    return tuple(
        lists[column.name].get(pk, ()) if column.kind == LIST else next(scalars)
        for column in columns
    )


def _lists_for(column: Column, ids: list[int]) -> dict[int, tuple[str, ...]]:
    source = list_source(column)
    grouped: dict[int, list[str]] = {}
    rows = (
        list_rows(source)
        .filter(organization_id__in=ids)
        .order_by("organization_id", "list_order", "related_key")
        .values_list("organization_id", "listed")
    )
    for organization_id, value in rows:
        grouped.setdefault(organization_id, []).append(value)
    return {organization_id: tuple(values) for organization_id, values in grouped.items()}


def header(columns: Sequence[Column]) -> bytes:
    return (",".join(column.name for column in columns) + "\r\n").encode()


def _python_body(
    organizations: QuerySet, *, columns: Sequence[Column], base_url: str
) -> Iterator[bytes]:
    for chunk in raw_chunks(organizations, columns=columns, base_url=base_url):
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerows(
            [format_cell(column, value) for column, value in zip(columns, row, strict=True)]
            for row in chunk
        )
        yield buffer.getvalue().encode()


def _copy_body(
    organizations: QuerySet, *, columns: Sequence[Column], base_url: str
) -> Iterator[bytes]:
    sql, params = export_queryset(
        organizations, columns=columns, base_url=base_url, in_sql=True
    ).query.sql_with_params()
    # Only the ORM's compiled SQL is placed in the statement; every value, user input
    # included, stays a parameter that psycopg binds. The cells are named in column
    # order: the compiled SELECT need not list annotations in the order values_list()
    # was given them (Django reorders its own rows; COPY does not).
    cells = ", ".join(f'"cell_{position}"' for position in range(len(columns)))
    statement = f"COPY (SELECT {cells} FROM ({sql}) AS export) TO STDOUT WITH (FORMAT csv)"  # noqa: S608
    pending: list = []
    size = 0
    # A download stopped early cancels the COPY; rolling back to this transaction (or
    # savepoint, inside a caller's transaction) leaves the connection usable.
    with (
        transaction.atomic(),
        connection.cursor() as cursor,
        cursor.cursor.copy(statement, params) as copy,
    ):
        # PostgreSQL sends one row per message, ended by \n; RFC 4180 ends rows with \r\n.
        for row in copy:
            pending.append(row[:-1])
            size += len(row) + 1
            if size >= CHUNK_BYTES:
                yield b"\r\n".join(pending) + b"\r\n"
                pending, size = [], 0
    if pending:
        yield b"\r\n".join(pending) + b"\r\n"


def uses_copy() -> bool:
    return connection.vendor == "postgresql"


def stream_csv(
    organizations: QuerySet,
    *,
    options: ExportOptions,
    base_url: str,
    use_copy: bool | None = None,
) -> Iterator[bytes]:
    """The CSV file for these organizations (already filtered), as chunks of bytes."""
    if options.bom:
        yield UTF8_BOM
    yield header(options.columns)
    body = _copy_body if (uses_copy() if use_copy is None else use_copy) else _python_body
    yield from body(organizations, columns=options.columns, base_url=base_url)
