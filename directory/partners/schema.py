"""What the OpenAPI description and the /api/ page say about parameters.

The filters are read from the one FilterSet, so a filter added there appears in the
schema (and a missing description fails the tests, not silently the docs).
"""

from dataclasses import dataclass

import django_filters
from django.db import DatabaseError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from directory.browse.filters import (
    BBOX_PATTERN,
    MAX_QUERY_LENGTH,
    MAX_RADIUS_MILES,
    MIN_RADIUS_MILES,
    OrganizationFilterSet,
)
from directory.core.geocoding import region_zip_codes
from directory.models import Jurisdiction, Language, OrganizationType, Sector
from directory.partners.columns import COLUMNS


@dataclass(frozen=True)
class ParameterHelp:
    description: str
    example: str


FILTER_HELP = {
    "q": ParameterHelp(
        _("Words that must all appear in the name, summary, description, type or city."),
        "bakery",
    ),
    "type": ParameterHelp(_("Organization type slug; repeat for several."), "worker-cooperative"),
    "state": ParameterHelp(
        _("DC, MD or VA: a location in the state, or a service area in it."), "MD"
    ),
    "jurisdiction": ParameterHelp(
        _("Five-digit FIPS code of a county or city where the organization has a location."),
        "24031",
    ),
    "serves": ParameterHelp(
        _("Five-digit FIPS code of a county or city in the organization's service area."),
        "11001",
    ),
    "sector": ParameterHelp(_("Sector slug; repeat for several."), "food"),
    "language": ParameterHelp(_("Language code; repeat for several."), "es"),
    "accepting": ParameterHelp(_("Accepting new members: yes, no or unknown."), "yes"),
    "near": ParameterHelp(
        _(
            "A ZIP code in the region, or latitude,longitude. Organizations with a public "
            "point within the radius, and, for a ZIP code, those serving its county."
        ),
        "20001",
    ),
    "radius": ParameterHelp(_("Miles around “near”: default 25, at most 250."), "10"),
    "bbox": ParameterHelp(
        _(
            "west,south,east,north in degrees: organizations with a public point inside "
            "this map area."
        ),
        "-77.12,38.79,-76.91,39.0",
    ),
    "sort": ParameterHelp(
        _(
            "relevance (needs q; the default with q), name (the default otherwise), "
            "distance (needs near; the default with near) or verified (most recently "
            "verified first)."
        ),
        "name",
    ),
}

OPTION_HELP = {
    "columns": ParameterHelp(
        _(
            "CSV only: the columns wanted, in order, separated by commas (or repeated). "
            "All columns when absent."
        ),
        "name,type_slug,city,state,url",
    ),
    "bom": ParameterHelp(
        _(
            "CSV only: 1 starts the file with a UTF-8 byte-order mark, so that Excel reads "
            "accents correctly; 0 (the default) does not."
        ),
        "1",
    ),
}


def filter_parameters() -> list[OpenApiParameter]:
    parameters = []
    for name, declared in OrganizationFilterSet.base_filters.items():
        help_ = FILTER_HELP[name]
        choices = declared.extra.get("choices")
        parameters.append(
            OpenApiParameter(
                name,
                type=OpenApiTypes.NUMBER
                if isinstance(declared, django_filters.NumberFilter)
                else OpenApiTypes.STR,
                many=isinstance(declared, django_filters.MultipleChoiceFilter),
                enum=[value for value, _label in choices] if choices else None,
                description=str(help_.description),
                examples=None,
            )
        )
    return parameters


def csv_option_parameters() -> list[OpenApiParameter]:
    return [
        OpenApiParameter(
            "columns",
            type=OpenApiTypes.STR,
            many=True,
            explode=False,
            enum=[column.name for column in COLUMNS],
            description=str(OPTION_HELP["columns"].description),
        ),
        OpenApiParameter(
            "bom",
            type=OpenApiTypes.STR,
            enum=["0", "1"],
            description=str(OPTION_HELP["bom"].description),
        ),
    ]


# Parameters whose values the schema states exactly, so generated clients and
# validators agree with the server. Reference values are read from the tables when the
# schema is generated (postprocess_schema), not at import.
REFERENCE_ENUMS = {"type": "slug", "sector": "slug", "language": "code"}
# "near" as latitude,longitude: the server takes any point inside the region's bounds;
# the schema promises the part of it a pattern can say (latitudes 37 to 38.99...,
# longitudes -76 to -82.99...), so every value it describes is accepted.
NEAR_POINT = r"^3[78](\.\d{1,6})?, *-(7[6-9]|8[0-2])(\.\d{1,6})?$"
# The HTML filter form sends empty values for "any": the server ignores them.
EMPTY = {"type": "string", "enum": [""]}
PARAMETER_SCHEMAS = {
    "bbox": {"type": "string", "pattern": f"^$|{BBOX_PATTERN}"},
    "page": {"type": "integer", "minimum": 1},
}


def postprocess_schema(result, generator, request, public):
    """drf-spectacular hook: enums of the reference tables, patterns and ranges."""
    from directory.partners.views import MAX_PAGE_SIZE

    models = {"type": OrganizationType, "sector": Sector, "language": Language}
    try:
        enums = {
            name: list(models[name].objects.values_list(field, flat=True))
            for name, field in REFERENCE_ENUMS.items()
        }
        fips = list(Jurisdiction.objects.order_by("fips").values_list("fips", flat=True))
    except DatabaseError:
        # No database (drf-spectacular's system check under `check --deploy`): the
        # description without the tables' values.
        return result
    # Long lists are components, referred to by each operation.
    result.setdefault("components", {}).setdefault("schemas", {}).update(
        {
            "CountyFIPS": {"type": "string", "enum": ["", *fips]},
            "Near": {
                "anyOf": [
                    {"type": "string", "enum": ["", *region_zip_codes()]},
                    {"type": "string", "pattern": NEAR_POINT},
                ]
            },
        }
    )
    exact = {
        "jurisdiction": {"$ref": "#/components/schemas/CountyFIPS"},
        "serves": {"$ref": "#/components/schemas/CountyFIPS"},
        "near": {"$ref": "#/components/schemas/Near"},
    }
    ranges = {
        "radius": {
            "anyOf": [
                {
                    "type": "number",
                    "minimum": float(MIN_RADIUS_MILES),
                    "maximum": float(MAX_RADIUS_MILES),
                },
                EMPTY,
            ]
        },
        "page_size": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
        # Django refuses NUL in any form field.
        "q": {"type": "string", "maxLength": MAX_QUERY_LENGTH, "pattern": "^[^\\u0000]*$"},
    }
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                name = parameter["name"]
                schema = parameter["schema"]
                if name in enums:
                    schema["items"] = {"type": "string", "enum": enums[name]}
                elif name == "columns":
                    schema["uniqueItems"] = True
                elif name in OrganizationFilterSet.base_filters and "enum" in schema:
                    schema["enum"] = ["", *schema["enum"]]
                elif name in ranges:
                    parameter["schema"] = dict(ranges[name])
                elif name in exact:
                    parameter["schema"] = exact[name]
                elif name in PARAMETER_SCHEMAS:
                    parameter["schema"] = dict(PARAMETER_SCHEMAS[name])
    return result
