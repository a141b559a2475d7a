"""Normalize: each cell into the value the directory stores.

What is unambiguous is fixed and shown as a note ("website: www.x.org ->
https://www.x.org"): a missing https://, a state's name, ZIP+4 written 20010--1620 or
200061234, stray spaces, a type or choice written as its label, a date written
1/15/2026, optionally an ALL-CAPS name. What is truly unusable is an error naming the
column. Values come out as: text, a type slug, a list of natural keys, a choice value,
True/False, an int, a date, a float; a column absent from the file is absent here.
"""

import datetime
import re
import string
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from directory.core.formulas import FORMULA_TRIGGERS, restore
from directory.core.region import State
from directory.core.text import validate_text
from directory.listings import schema
from directory.listings.imports.columns import VERSION_COLUMN
from directory.listings.imports.parse import SourceRow
from directory.models import Jurisdiction, Language, OrganizationType, Sector

_SPACES = re.compile(r"\s+")
_ZIP = re.compile(r"^(\d{5})(?:[-\u2013.\s]*(\d{4}))?$")
_DOMAIN = re.compile(r"^(www\.)?[a-z0-9-]+(\.[a-z0-9-]+)+(/\S*)?$", re.IGNORECASE)
_PO_BOX = re.compile(r"^p\.?\s*o\.?\s*b(ox)?\.?\s*#?\s*(\d+)", re.IGNORECASE)
_STATE_NAMES = {
    **{str(label).casefold(): value for value, label in State.choices},
    **{value.casefold(): value for value in State.values},
    "d.c.": "DC",
    "washington dc": "DC",
    "washington, dc": "DC",
    "washington d.c.": "DC",
    "md.": "MD",
    "va.": "VA",
}
_TRUE = {"1", "true", "yes", "y", "x", "on"}
_FALSE = {"0", "false", "no", "n", "", "off"}
NUMERIC_LOOKING = {"latitude", "longitude", "phone", "internal_contact_phone", "zip_code"}
SINGLE_LINE = {"name", "city", "street_address", "location_label", "source", "slug"}
TEXT_COLUMNS = {
    "slug",
    "source",
    "internal_contact_name",
    "internal_contact_email",
    "internal_contact_phone",
    "location_label",
    VERSION_COLUMN,
}


@dataclass
class Note:
    column: str
    before: str
    after: str


@dataclass
class CleanRow:
    number: int
    values: dict
    notes: list[Note] = field(default_factory=list)
    errors: dict[str, list[str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def error(self, column: str, message: str) -> None:
        self.errors.setdefault(column, []).append(message)


def state_code(text: str) -> str | None:
    """DC, MD or VA for a state written as its code or name ("Maryland", "D.C."); None
    for any other state."""
    return _STATE_NAMES.get(_SPACES.sub(" ", text.strip()).casefold())


class Reference:
    """The reference tables, read once per import: natural keys and names."""

    def __init__(self):
        self.tables = {
            "type": self._load(OrganizationType, "slug"),
            "languages": self._load(Language, "code"),
            "sectors": self._load(Sector, "slug"),
            "service_area": self._jurisdictions(),
        }

    @staticmethod
    def _load(model, key) -> dict[str, str]:
        """Natural key and name in every shipped language -> natural key."""
        names = [
            field.name
            for field in model._meta.concrete_fields
            if field.name == "name" or field.name.startswith("name_")
        ]
        found = {}
        for natural, *translated in model.objects.values_list(key, *names):
            for name in translated:
                if name:
                    found.setdefault(str(name).casefold(), natural)
            found[str(natural).casefold()] = natural
        return found

    @staticmethod
    def _jurisdictions() -> dict[str, str]:
        """A county by its FIPS code, its name and state as the public CSV writes it
        ("Montgomery County, MD"), or its name alone where no other state has it."""
        found, named = {}, {}
        for fips, name, state in Jurisdiction.objects.values_list("fips", "name", "state"):
            found[fips] = fips
            found[f"{name}, {state}".casefold()] = fips
            named.setdefault(name.casefold(), set()).add(fips)
        for name, codes in named.items():
            if len(codes) == 1:
                found.setdefault(name, codes.pop())
        return found

    def lookup(self, column: str, text: str) -> str | None:
        return self.tables[column].get(text.casefold())

    def allowed(self, column: str) -> str:
        keys = sorted(set(self.tables[column].values()))
        return ", ".join(keys[:30]) + (" …" if len(keys) > 30 else "")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return restore(str(value).replace("\r\n", "\n").strip())


def _choice(row, column, text):
    model_field = schema.field(column).model_field
    for value, label in model_field.choices:
        if text.casefold() in (str(value).casefold(), str(label).casefold()) or str(
            label
        ).casefold().startswith(text.casefold() + ":"):
            return value
    allowed = ", ".join(str(value) for value, _label in model_field.choices)
    row.error(
        column,
        _("Unknown value “%(value)s”. Use one of: %(allowed)s.")
        % {"value": text, "allowed": allowed},
    )
    return None


def _date(row, column, text):
    for pattern in ("%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y", "%Y/%m/%d"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    row.error(column, _("“%(value)s” is not a date. Write it as 2026-01-15.") % {"value": text})
    return None


def _number(row, column, text, kind=int):
    try:
        number = float(text.replace(",", ""))
    except ValueError:
        row.error(column, _("“%(value)s” is not a number.") % {"value": text})
        return None
    if kind is int:
        if not number.is_integer():
            row.error(column, _("“%(value)s” is not a whole number.") % {"value": text})
            return None
        return int(number)
    return number


def _zip(row, text):
    match = _ZIP.match(text.replace(" ", "") if "-" in text else text)
    if not match and text.isdigit() and len(text) == 9:
        match = _ZIP.match(f"{text[:5]}-{text[5:]}")
    if not match:
        row.error(
            "zip_code",
            _("“%(value)s” is not a ZIP code. Write 20001 or 20001-1234.") % {"value": text},
        )
        return None
    return match.group(1) + (f"-{match.group(2)}" if match.group(2) else "")


def _convert(row: CleanRow, column: str, text: str, reference: Reference, title_case: bool):
    kind = schema.field(column).kind if column in schema.BY_NAME else None
    if column in SINGLE_LINE or kind == schema.TEXT:
        text = _SPACES.sub(" ", text)
    if column == "website" and text and _DOMAIN.match(text):
        return "https://" + text
    if column in ("email", "internal_contact_email") and text.lower().startswith("mailto:"):
        return text[7:].strip()
    if column == "state" and text:
        state = _STATE_NAMES.get(text.casefold())
        if state is None:
            row.error(column, _("“%(value)s” is not DC, MD or VA.") % {"value": text})
        return state
    if column == "zip_code" and text:
        return _zip(row, text)
    if column == "street_address" and _PO_BOX.match(text):
        return _PO_BOX.sub(lambda found: f"PO Box {found.group(2)}", text)
    if column == "name" and title_case and text.isupper() and len(text) > 4:
        return string.capwords(text.lower())
    if column in ("latitude", "longitude"):
        return _number(row, column, text, float) if text else None
    if column == "last_verified":
        return _date(row, column, text) if text else None
    if column in TEXT_COLUMNS or kind in (None, schema.TEXT, schema.LONG_TEXT):
        return text
    if kind == schema.TYPE:
        found = reference.lookup(column, text) if text else None
        if text and found is None:
            row.error(
                column,
                _("Unknown type “%(value)s”. Use one of: %(allowed)s.")
                % {"value": text, "allowed": reference.allowed(column)},
            )
        return found or ""
    if kind == schema.RELATION:
        keys, unknown = [], []
        for item in text.split(";"):
            # "Montgomery County, MD" is one county; "24031, 24033" two.
            whole = reference.lookup(column, item.strip()) if item.strip() else None
            for part in [item] if whole else item.split(","):
                part = part.strip()
                if part:
                    found = reference.lookup(column, part)
                    (keys if found else unknown).append(found or part)
        if unknown:
            row.error(
                column,
                _("Unknown value(s): %(values)s. Use: %(allowed)s; separate several with “;”.")
                % {"values": ", ".join(unknown), "allowed": reference.allowed(column)},
            )
        return sorted(set(keys))
    if kind == schema.CHOICE:
        return _choice(row, column, text) if text else ""
    if kind == schema.BOOLEAN:
        if text.casefold() in _TRUE | _FALSE:
            return text.casefold() in _TRUE
        row.error(column, _("Write yes or no."))
        return None
    if kind == schema.NUMBER:
        return _number(row, column, text) if text else None
    return text


def normalize(source: SourceRow, *, reference: Reference, title_case: bool = True) -> CleanRow:
    row = CleanRow(number=source.number, values={})
    for column, raw in source.cells.items():
        text = _text(raw)
        try:
            # Control characters (a NUL byte above all, which PostgreSQL refuses in any
            # text or JSON) never reach a query, a listing or an import's report.
            validate_text(text)
        except ValidationError as error:
            row.error(column, error.messages[0])
            continue
        value = _convert(row, column, text, reference, title_case)
        if column in row.errors:
            continue
        row.values[column] = value
        shown = value if isinstance(value, str) else None
        if shown is not None and shown != _SPACES.sub(" ", text) and column != "slug":
            row.notes.append(Note(column, text, shown))
        if (
            isinstance(raw, str)
            and column not in NUMERIC_LOOKING
            and raw.lstrip("'")[:1] in FORMULA_TRIGGERS
            and raw[:1] != "'"
        ):
            row.warnings.append(
                _(
                    "%(column)s starts with “%(char)s”: it is stored as text; exports put an "
                    "apostrophe in front so spreadsheets do not run it."
                )
                % {"column": column, "char": raw[:1]}
            )
    if not row.values.get("name") and "name" not in row.errors and not row.values.get("slug"):
        row.error("name", _("Every row needs a name."))
    return row
