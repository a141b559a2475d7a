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

from django.conf import settings
from django.contrib.postgres.aggregates import StringAgg
from django.db import connection, transaction
from django.db.models import (
    CharField,
    Count,
    F,
    FilteredRelation,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
)
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce, Concat, NullIf
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory.core.errors import InvalidParameters
from directory.core.links import slug_path_parts
from directory.listings.privacy import public_address_field, public_coordinate
from directory.models import Location, Organization

TEXT, NUMBER, DATE, LIST = "text", "number", "date", "list"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# The same rule for PostgreSQL's regexp_replace: optional apostrophes, then a trigger.
# The tab and carriage return are the characters themselves, sent as a parameter.
FORMULA_PATTERN = "^('*[-=+@\t\r])"
FORMULA_REPLACEMENT = "'\\1"
UTF8_BOM = b"\xef\xbb\xbf"
CHUNK_ROWS = 500
CHUNK_BYTES = 64 * 1024
PRIMARY_LOCATION = "export_location"


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    description: str
    separator: str = ""


COLUMNS: tuple[Column, ...] = (
    Column("id", NUMBER, gettext_lazy("Numeric identifier; never reused.")),
    Column("slug", TEXT, gettext_lazy("Text identifier, the end of the listing's web address.")),
    Column("name", TEXT, gettext_lazy("Name of the organization.")),
    Column("type_slug", TEXT, gettext_lazy("Kind of organization, as a stable slug.")),
    Column("type_name", TEXT, gettext_lazy("Kind of organization, in words.")),
    Column(
        "status",
        TEXT,
        gettext_lazy("Listing status: always “published”, the only status that is shared."),
    ),
    Column("summary", TEXT, gettext_lazy("One or two plain sentences.")),
    Column("website", TEXT, gettext_lazy("Web address (http or https).")),
    Column("email", TEXT, gettext_lazy("Public email address.")),
    Column("phone", TEXT, gettext_lazy("Public phone number, as written by the organization.")),
    Column("year_founded", NUMBER, gettext_lazy("Year founded.")),
    Column(
        "membership_model",
        TEXT,
        gettext_lazy(
            "Who owns it: workers, consumers, residents, producers, multi_stakeholder or community."
        ),
    ),
    Column("accepting_members", TEXT, gettext_lazy("Accepting new members: yes, no or unknown.")),
    Column(
        "languages",
        LIST,
        gettext_lazy("Language codes served, separated by “;” (for example en;es)."),
        ";",
    ),
    Column("sectors", LIST, gettext_lazy("Sector slugs, separated by “;”."), ";"),
    Column(
        "service_area",
        LIST,
        gettext_lazy("Counties and cities served, separated by “; ” (name, state)."),
        "; ",
    ),
    Column(
        "service_area_fips",
        LIST,
        gettext_lazy("FIPS codes of the counties and cities served, separated by “;”."),
        ";",
    ),
    Column(
        "street_address",
        TEXT,
        gettext_lazy(
            "Primary location's street address; empty unless its public precision is exact."
        ),
    ),
    Column("city", TEXT, gettext_lazy("Primary location's city.")),
    Column("state", TEXT, gettext_lazy("Primary location's state: DC, MD or VA.")),
    Column(
        "zip_code",
        TEXT,
        gettext_lazy("Primary location's ZIP code; empty unless its public precision is exact."),
    ),
    Column(
        "jurisdiction", TEXT, gettext_lazy("County or independent city of the primary location.")
    ),
    Column("jurisdiction_fips", TEXT, gettext_lazy("Five-digit FIPS code of that jurisdiction.")),
    Column(
        "latitude",
        NUMBER,
        gettext_lazy(
            "Latitude of the primary location: exact, rounded to two decimals (about 1 km) "
            "when its precision is approximate, empty when hidden."
        ),
    ),
    Column("longitude", NUMBER, gettext_lazy("Longitude of the primary location, as latitude.")),
    Column(
        "location_precision",
        TEXT,
        gettext_lazy("Public precision of the primary location: exact, approximate or hidden."),
    ),
    Column("location_count", NUMBER, gettext_lazy("Number of locations.")),
    Column(
        "last_verified",
        DATE,
        gettext_lazy("Date organizers last checked the listing (YYYY-MM-DD)."),
    ),
    Column("url", TEXT, gettext_lazy("Address of the listing's public page.")),
    Column("license", TEXT, gettext_lazy("Licence of the data.")),
    Column("license_url", TEXT, gettext_lazy("Address of the licence's text.")),
)
COLUMNS_BY_NAME = {column.name: column for column in COLUMNS}


@dataclass(frozen=True)
class ListSource:
    """Where a list column's values come from: a many-to-many relation of Organization,
    the value to list (relative to the related model) and the field to sort by."""

    relation: str
    value: Combinable
    order: str


LIST_SOURCES = {
    "languages": ListSource("languages", F("code"), "sort_order"),
    "sectors": ListSource("sectors", F("slug"), "sort_order"),
    "service_area": ListSource(
        "service_area", Concat("name", Value(", "), "state", output_field=CharField()), "fips"
    ),
    "service_area_fips": ListSource("service_area", F("fips"), "fips"),
}


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


def _scalar_expressions(*, base_url: str) -> dict:
    """The SQL behind every column that is not a list, relative to Organization. The
    privacy rules are applied here, inside the database: the street address and ZIP
    code only for an exact location, coordinates through directory.listings.privacy."""
    location = PRIMARY_LOCATION
    path_before, url_after = slug_path_parts("directory:organization-detail")
    url_before = base_url + path_before
    return {
        "id": F("pk"),
        "slug": F("slug"),
        "name": F("name"),
        "type_slug": F("type__slug"),
        "type_name": F("type__name"),
        "status": F("status"),
        "summary": F("summary"),
        "website": F("website"),
        "email": F("email"),
        "phone": F("phone"),
        "year_founded": F("year_founded"),
        "membership_model": F("membership_model"),
        "accepting_members": F("accepting_members"),
        "street_address": public_address_field("street_address", relation=location),
        "city": F(f"{location}__city"),
        "state": F(f"{location}__state"),
        "zip_code": public_address_field("zip_code", relation=location),
        "jurisdiction": F(f"{location}__jurisdiction__name"),
        "jurisdiction_fips": F(f"{location}__jurisdiction__fips"),
        "latitude": public_coordinate("latitude", relation=location),
        "longitude": public_coordinate("longitude", relation=location),
        "location_precision": F(f"{location}__precision"),
        "location_count": Coalesce(
            Subquery(
                Location.objects.filter(organization=OuterRef("pk"))
                .order_by()
                .values("organization")
                .annotate(count=Count("pk"))
                .values("count"),
                output_field=IntegerField(),
            ),
            0,
        ),
        "last_verified": F("last_verified"),
        "url": Concat(Value(url_before), F("slug"), Value(url_after), output_field=CharField()),
        "license": Value(settings.DATA_LICENSE, output_field=CharField()),
        "license_url": Value(settings.DATA_LICENSE_URL, output_field=CharField()),
        # Not CSV columns; the GeoJSON properties include them.
        "description": F("description"),
        "how_to_join": F("how_to_join"),
        "eligibility": F("eligibility"),
        "member_count": F("member_count"),
        "limited_equity": F("limited_equity"),
    }


def _list_rows(source: ListSource):
    """Rows of the relation's through table with the value to list as `listed` and its
    sort key as `list_order`. Both are looked up by primary key for each row, which
    PostgreSQL does with one index probe, rather than joining the reference table (for
    the jurisdictions it chose to scan all 158 for every organization)."""
    field = Organization._meta.get_field(source.relation)
    key = field.m2m_reverse_field_name() + "_id"

    def related(expression):
        rows = field.related_model.objects.filter(pk=OuterRef(key)).order_by()
        return Subquery(rows.annotate(related_value=expression).values("related_value")[:1])

    return field.remote_field.through.objects.order_by().annotate(
        listed=related(source.value), list_order=related(F(source.order)), related_key=F(key)
    )


def with_primary_location(organizations: QuerySet) -> QuerySet:
    """Join each organization's primary location (the one marked primary, else its
    first), as Organization.primary_location chooses it, under PRIMARY_LOCATION."""
    first = (
        Location.objects.filter(organization=OuterRef("pk"))
        .order_by("-is_primary", "pk")
        .values("pk")[:1]
    )
    return organizations.annotate(
        **{
            PRIMARY_LOCATION: FilteredRelation(
                "locations", condition=Q(locations__pk=Subquery(first))
            )
        }
    )


def export_queryset(
    organizations: QuerySet, *, columns: Sequence[Column], base_url: str, in_sql: bool
) -> QuerySet:
    """A values_list query with one value per column, in order. `in_sql` makes every
    cell final text in the database (lists joined, text neutralized) for COPY; without
    it the first value is the primary key, list columns are left out (they are read in
    chunks) and values stay raw for Python to format."""
    scalars = _scalar_expressions(base_url=base_url)
    cells = {}
    for position, column in enumerate(columns):
        alias = f"cell_{position}"
        if column.kind == LIST:
            if in_sql:
                cells[alias] = _sql_text(_joined_in_sql(column))
        elif in_sql:
            cells[alias] = _sql_cell(column, scalars[column.name])
        else:
            cells[alias] = scalars[column.name]
    queryset = with_primary_location(organizations).annotate(**cells)
    return queryset.values_list(*cells) if in_sql else queryset.values_list("pk", *cells)


class RegexpReplace(Func):
    function = "REGEXP_REPLACE"
    output_field = TextField()


class ToChar(Func):
    function = "TO_CHAR"
    output_field = TextField()


def _sql_text(expression):
    """Neutralize in SQL exactly as neutralize() does in Python; '' becomes NULL so that
    COPY writes an empty cell, as Python's csv does, rather than ""."""
    return RegexpReplace(
        NullIf(expression, Value("")), Value(FORMULA_PATTERN), Value(FORMULA_REPLACEMENT)
    )


def _sql_cell(column: Column, expression):
    if column.kind == NUMBER:
        return expression
    if column.kind == DATE:
        return ToChar(expression, Value("YYYY-MM-DD"))
    return _sql_text(expression)


def _joined_in_sql(column: Column):
    source = LIST_SOURCES[column.name]
    return Subquery(
        _list_rows(source)
        .filter(organization=OuterRef("pk"))
        .values("organization")
        .annotate(
            joined=StringAgg("listed", column.separator, order_by=("list_order", "related_key"))
        )
        .values("joined"),
        output_field=TextField(),
    )


def neutralize(value: str) -> str:
    """Prefix an apostrophe when a spreadsheet would read the cell as a formula."""
    if value and value.lstrip("'")[:1] in FORMULA_TRIGGERS:
        return "'" + value
    return value


def format_number(value) -> str:
    """A number as PostgreSQL writes it: shortest exact form, no trailing ".0"."""
    text = repr(value) if isinstance(value, float) else str(value)
    return text[:-2] if text.endswith(".0") else text


def format_cell(column: Column, value) -> str:
    if value is None:
        return ""
    if column.kind == NUMBER:
        return format_number(value)
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
    source = LIST_SOURCES[column.name]
    grouped: dict[int, list[str]] = {}
    rows = (
        _list_rows(source)
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
    # included, stays a parameter that psycopg binds.
    statement = f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)"
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
