"""Parse: a CSV or Excel file into rows, numbered as the spreadsheet numbers them (the
header is row 1)."""

import csv
import io
from dataclasses import dataclass, field

import openpyxl
import tablib
from django.utils.translation import gettext as _
from openpyxl.utils import range_boundaries

from directory.listings.imports.columns import COLUMNS

MAX_ROWS = 10_000
# The public CSV's names for import columns (directory.partners.columns), so an export
# imports as it is. Where a file has both, the coded column wins over the names.
ALIASES = {
    "type_slug": "type",
    "service_area_fips": "service_area",
    "location_precision": "precision",
}


class UnreadableFile(ValueError):
    """The file cannot be read as a spreadsheet; the message says why."""


@dataclass
class SourceRow:
    number: int
    cells: dict


@dataclass
class ParsedFile:
    rows: list[SourceRow]
    ignored_columns: list[str] = field(default_factory=list)


def _header(name) -> str:
    return str(name or "").strip().lower().replace(" ", "_").replace("-", "_")


def _at_most_max_rows(count: int) -> None:
    if count > MAX_ROWS:
        raise UnreadableFile(
            _("The file has %(count)d rows; import at most %(max)d at a time.")
            % {"count": count, "max": MAX_ROWS}
        )


def _declared_rows(sheet) -> int:
    """The rows below the header by the sheet's own dimension, when it states one (asking
    openpyxl's max_row instead reads the whole sheet when it does not)."""
    try:
        return range_boundaries(sheet.calculate_dimension())[3] - 1
    except (ValueError, TypeError):
        return 0


def _count_xlsx_rows(content: bytes) -> None:
    """Counted before the table is built, as tablib reads it (the active sheet), and
    only until the count passes the limit: a 1 MB workbook can hold 200,000 rows, which
    as a table take seconds and hundreds of megabytes just to be refused."""
    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        sheet = workbook.active
        count = -1  # the header row
        for _row in sheet.iter_rows(values_only=True):
            count += 1
            if count > MAX_ROWS:
                declared = _declared_rows(sheet)
                if declared > MAX_ROWS:
                    _at_most_max_rows(declared)
                raise UnreadableFile(
                    _("The file has more than %(max)d rows; import at most %(max)d at a time.")
                    % {"max": MAX_ROWS}
                )
    finally:
        workbook.close()


def _dataset(content: bytes, filename: str) -> tablib.Dataset:
    name = filename.lower()
    try:
        if name.endswith(".xlsx"):
            _count_xlsx_rows(content)
            return tablib.Dataset().load(content, format="xlsx")
        if name.endswith((".csv", ".txt")):
            try:
                text = content.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = content.decode("cp1252", errors="replace")
            # Counted before the table is built: 20 MB of short lines is millions of
            # rows, which as a table take a minute and gigabytes just to be refused.
            _at_most_max_rows(sum(1 for cells in csv.reader(io.StringIO(text)) if cells) - 1)
            return tablib.Dataset().load(text, format="csv")
    except UnreadableFile:
        raise
    except Exception as error:  # tablib raises whatever its parser raises
        raise UnreadableFile(
            _("The file could not be read as a spreadsheet (%(error)s).") % {"error": error}
        ) from error
    raise UnreadableFile(_("Choose a .csv or .xlsx file."))


def parse(content: bytes, filename: str) -> ParsedFile:
    dataset = _dataset(content, filename)
    given = [_header(name) for name in dataset.headers or []]
    coded = {ALIASES[header] for header in given if header in ALIASES}
    # A column named by an alias stands in for the import's; the import's own column of
    # the same thing (type names beside type slugs) is then left out as ignored.
    headers = [ALIASES.get(header) or ("" if header in coded else header) for header in given]
    if "name" not in headers and "slug" not in headers:
        raise UnreadableFile(
            _(
                "The first row must name the columns; it needs at least “name”. Start from the "
                "import template."
            )
        )
    _at_most_max_rows(dataset.height)
    rows = []
    for index, values in enumerate(dataset, start=2):
        cells = {
            header: value
            for header, value in zip(headers, values, strict=False)
            if header in COLUMNS
        }
        if all(value in (None, "") or str(value).strip() == "" for value in cells.values()):
            continue
        rows.append(SourceRow(number=index, cells=cells))
    ignored = [
        header
        for header, used in zip(given, headers, strict=True)
        if header and (not used or used not in COLUMNS)
    ]
    return ParsedFile(rows=rows, ignored_columns=ignored)
