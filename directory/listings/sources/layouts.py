"""The published files: how to read them and what each column becomes.

A layout names, for each thing the directory takes from a source, the headers the
source has used for it (compared without case, spaces or underscores), so a file is
read as published: NCUA's FOICU.txt from the quarterly call report ZIP (comma-delimited,
quoted) or its "federally insured credit unions" list, the CDFI Fund's list of
certified CDFIs (Excel or CSV). Text files may be UTF-8 (with or without a byte order
mark) or Windows-1252, comma- or tab-delimited.
"""

import csv
import io
import re
import string
from collections.abc import Callable
from dataclasses import dataclass

import tablib
from django.utils.text import slugify

from directory.models import Source

PUBLIC_DOMAIN = "Public domain: a work of the U.S. federal government (17 U.S.C. 105)"
PUBLIC_DOMAIN_URL = "https://www.usa.gov/government-works"
MAX_ROWS = 50_000


class LayoutError(ValueError):
    """The file is not one of the source's published layouts; the message says why."""


def header_key(name) -> str:
    """“CU_NUMBER”, “Cu Number ” and “cu-number” are one header."""
    return re.sub(r"[\s_\-]+", " ", str(name or "").strip().casefold()).strip()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return re.sub(r"\s+", " ", str(value)).strip()


# Words that stay capitals: Washington's quadrants, PO boxes, the District, and the
# abbreviations credit unions' names use.
CAPITALS = frozenset({"nw", "ne", "sw", "se", "po", "dc", "fcu", "cu", "usa", "cdfi", "ii", "iii"})


def readable(text: str) -> str:
    """ALL-CAPS text (NCUA writes names, cities and streets so) in title case, keeping
    a few abbreviations in capitals: “1234 N ST NW” → “1234 N St NW”, “DC TEACHERS FCU”
    → “DC Teachers FCU”."""
    if not text.isupper():
        return text
    words = string.capwords(text.lower()).split(" ")
    return " ".join(word.upper() if word.casefold() in CAPITALS else word for word in words)


# Published workbooks may open with a title, a date and notes above the header row.
HEADER_SEARCH_ROWS = 15


def _zip(text: str) -> str:
    # Spreadsheets drop a ZIP code's leading zeros; call report files sometimes do too.
    return text.zfill(5) if text.isdigit() and len(text) < 5 else text


@dataclass(frozen=True)
class Layout:
    source: str
    title: str
    # What the directory takes -> the headers the source has used for it.
    headers: dict[str, tuple[str, ...]]
    required: tuple[str, ...]
    # Organization type slug for a row, or None when the row's kind is not listed.
    kind: Callable[[dict], str | None]
    license: str = PUBLIC_DOMAIN
    license_url: str = PUBLIC_DOMAIN_URL

    def columns(self, present: list[str]) -> dict[str, str]:
        """What the directory takes -> the file's header for it. Raises LayoutError
        naming the required columns the file lacks."""
        keys = {header_key(name): name for name in present}
        found = {}
        for wanted, names in self.headers.items():
            for name in names:
                if name in keys:
                    found[wanted] = keys[name]
                    break
        missing = [wanted for wanted in self.required if wanted not in found]
        if missing:
            expected = "; ".join(
                f"{wanted} ({' or '.join(self.headers[wanted])})" for wanted in missing
            )
            raise LayoutError(
                f"This is not the {self.title} layout: no column for {expected}. "
                f"The file's columns are: {', '.join(str(name) for name in present) or 'none'}."
            )
        return found

    def record(self, values: dict) -> tuple[str, dict]:
        """The record id and the import's cells for one row (values by what the
        directory takes)."""
        name = readable(values.get("name", ""))
        state = values.get("state", "")
        record_id = values.get("record_id", "") or (
            # The CDFI Fund's list has no identifier: its name and state are the record's.
            f"{slugify(name)}-{state.lower()}" if name and state else ""
        )
        cells = {
            "name": name,
            "type": self.kind(values) or "",
            "sectors": "money-finance",
            "street_address": readable(values.get("street", "")),
            "city": readable(values.get("city", "")),
            "state": state,
            "zip_code": _zip(values.get("zip", "")),
            "source": self.title,
        }
        for optional in ("phone", "website"):
            if optional in values:
                cells[optional] = values[optional]
        if "year_opened" in values:
            year = values["year_opened"]
            cells["year_founded"] = "" if year in ("0", "0000") else year
        return record_id, cells


def _cdfi_kind(values: dict) -> str | None:
    kind = values.get("kind", "").casefold()
    if "credit union" in kind:
        return "credit-union"
    # Loan funds, banks and thrifts, their holding companies and venture capital funds
    # all lend for community development: the directory's "community lender" kind.
    if any(word in kind for word in ("loan fund", "bank", "thrift", "holding", "venture")):
        return "community-lender"
    return None


NCUA = Layout(
    source=Source.NCUA,
    title="NCUA federally insured credit unions",
    headers={
        "record_id": ("cu number", "charter number", "charter"),
        "name": ("cu name", "credit union name", "name"),
        "street": ("street", "street address", "address", "physical address line1"),
        "city": ("city", "physical address city"),
        "state": ("state", "physical address state code"),
        "zip": ("zip code", "zip", "zipcode", "physical address postal code"),
        "year_opened": ("year opened",),
        "phone": ("phone", "phone number"),
        "website": ("website", "web site"),
    },
    required=("record_id", "name", "city", "state", "zip"),
    kind=lambda values: "credit-union",
)

CDFI = Layout(
    source=Source.CDFI,
    title="CDFI Fund certified CDFIs",
    headers={
        "record_id": ("cdfi fund control number", "control number", "organization id"),
        "name": ("organization name", "organization", "cdfi name", "name"),
        "street": ("address 1", "address1", "address line 1", "street address", "address"),
        "city": ("city",),
        "state": ("state",),
        "zip": ("zip code", "zip", "zipcode", "postal code"),
        "phone": ("phone", "phone number", "telephone"),
        "website": ("website", "web site", "organization website", "url"),
        "kind": (
            "financial institution type",
            "organization type",
            "institution type",
            "cdfi type",
            "type",
        ),
    },
    required=("name", "city", "state", "kind"),
    kind=_cdfi_kind,
)

LAYOUTS = {layout.source: layout for layout in (NCUA, CDFI)}


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


def read_table(content: bytes, filename: str) -> list[list]:
    """Every row of a published file, the header row among them (not always the first:
    published workbooks often open with a title and a date). Raises LayoutError when
    the file cannot be read."""
    if filename.lower().endswith(".xlsx"):
        try:
            dataset = tablib.Dataset().load(content, format="xlsx", headers=False)
        except Exception as error:  # openpyxl raises whatever its parser raises
            raise LayoutError(
                f"The file could not be read as an Excel workbook ({error})."
            ) from None
        return [list(row) for row in dataset]
    text = _decode(content)
    if not text.strip():
        raise LayoutError("The file is empty.")
    lines = text.splitlines()[:HEADER_SEARCH_ROWS]
    tabs = sum(line.count("\t") for line in lines)
    delimiter = "\t" if tabs > sum(line.count(",") for line in lines) else ","
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise LayoutError(f"The file could not be read as CSV ({error}).") from None


def _header(layout: "Layout", rows: list[list]) -> tuple[int, dict[str, str], list[str]]:
    """(index of the header row, what the directory takes -> header, the headers): the
    first of the file's opening rows that has the layout's required columns."""
    first_error = None
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        headers = [_text(name) for name in row]
        if not any(headers):
            continue
        try:
            return index, layout.columns(headers), headers
        except LayoutError as error:
            first_error = first_error or error
    raise first_error or LayoutError("The file is empty.")


def records(layout: Layout, content: bytes, filename: str) -> list[tuple[int, str, dict]]:
    """(row number as a spreadsheet numbers it, record id, import cells) for each
    non-empty row. Raises LayoutError for an unreadable file or another layout."""
    rows = read_table(content, filename)
    header_index, columns, headers = _header(layout, rows)
    rows = rows[header_index + 1 :]
    if len(rows) > MAX_ROWS:
        raise LayoutError(f"The file has {len(rows)} rows; at most {MAX_ROWS} are read.")
    position = {name: index for index, name in enumerate(headers)}
    found = []
    for number, row in enumerate(rows, start=header_index + 2):
        if not any(_text(value) for value in row):
            continue
        values = {
            wanted: _text(row[position[header]]) if position[header] < len(row) else ""
            for wanted, header in columns.items()
        }
        found.append((number, *layout.record(values)))
    return found
