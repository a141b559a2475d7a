"""The Frictionless Data Package (datapackage.json) of the CSV export.

Its Table Schema is written from the export's own column definitions
(directory.partners.columns) and the reference tables, so it cannot drift from the
file: every column in order with its type and format, the allowed values of coded
columns, ZIP and FIPS codes as strings of digits (never numbers: they keep leading
zeros), the slug as primary key, and the licence. `frictionless validate` passes on it
(tests/partners/test_open_data.py runs it against a live server).
"""

import re

from django.conf import settings

from directory.core.region import State
from directory.listings import schema
from directory.models import OrganizationStatus, OrganizationType, Precision
from directory.partners.columns import BOOLEAN, COLUMNS, DATE, LIST, NUMBER, Column

PACKAGE_NAME = "solidarity-economy-directory"
RESOURCE_NAME = "organizations"
FLOAT_COLUMNS = {"latitude", "longitude"}
FIPS = r"\d{5}"
# Codes that are strings of digits, with the pattern they follow.
PATTERNS = {
    "zip_code": r"\d{5}",
    "jurisdiction_fips": FIPS,
    "service_area_fips": rf"{FIPS}(;{FIPS})*",
    "languages": r"[a-z0-9-]+(;[a-z0-9-]+)*",
    "sectors": r"[a-z0-9-]+(;[a-z0-9-]+)*",
}


def _enum(column: Column) -> list[str] | None:
    if column.name == "type_slug":
        return list(OrganizationType.objects.order_by("slug").values_list("slug", flat=True))
    if column.name == "status":
        return [OrganizationStatus.PUBLISHED.value]
    if column.name == "state":
        return list(State.values)
    if column.name == "location_precision":
        return list(Precision.values)
    item = schema.BY_NAME.get(column.name)
    if item and item.kind == schema.CHOICE:
        return [value for value, _label in item.model_field.choices]
    return None


def table_field(column: Column) -> dict:
    """A Table Schema field for one CSV column."""
    field = {"name": column.name, "description": str(column.description)}
    if column.kind == NUMBER:
        field["type"] = "number" if column.name in FLOAT_COLUMNS else "integer"
    elif column.kind == DATE:
        field["type"] = "date"
    elif column.kind == BOOLEAN:
        field.update(type="boolean", trueValues=["true"], falseValues=["false"])
    else:
        field["type"] = "string"
    if column.name in ("url", "website", "license_url"):
        field["format"] = "uri"
    constraints = {}
    if column.name == "slug":
        constraints.update(required=True, unique=True, pattern=r"[-a-zA-Z0-9_]+")
    if column.name in ("name", "url", "type_slug", "status"):
        constraints["required"] = True
    if enum := _enum(column):
        constraints["enum"] = enum
    if column.name in PATTERNS:
        constraints["pattern"] = PATTERNS[column.name]
    if column.name == "latitude":
        constraints.update(minimum=-90, maximum=90)
    if column.name == "longitude":
        constraints.update(minimum=-180, maximum=180)
    if constraints:
        field["constraints"] = constraints
    if column.kind == LIST:
        field["description"] += f" Separator: “{column.separator}”."
    return field


def license_descriptor() -> dict:
    """The licence as the Data Package spec writes it: an identifier (letters, digits,
    - . _), a title and the address of its text."""
    identifier = re.sub(r"[^-a-zA-Z0-9._]+", "-", settings.DATA_LICENSE).strip("-")
    return {"name": identifier, "title": settings.DATA_LICENSE, "path": settings.DATA_LICENSE_URL}


def descriptor(*, csv_url: str, docs_url: str) -> dict:
    """The datapackage.json for the export at `csv_url` (all published organizations)."""
    return {
        "profile": "tabular-data-package",
        "name": PACKAGE_NAME,
        "title": f"{settings.SITE_NAME}: published organizations",
        "homepage": docs_url,
        "licenses": [license_descriptor()],
        "resources": [
            {
                "name": RESOURCE_NAME,
                "path": csv_url,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "header": True},
                "licenses": [license_descriptor()],
                "schema": {
                    "fields": [table_field(column) for column in COLUMNS],
                    "primaryKey": ["slug"],
                    "missingValues": [""],
                },
            }
        ],
    }
