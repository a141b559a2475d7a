"""The columns partners receive: the CSV export's, and the organizations GeoJSON's
properties, each with the SQL that computes it.

The public fields come from directory.listings.schema, in its order; each becomes one
column or a few (a type is its slug and name; a service area its names and FIPS codes).
Around them stand the export's own columns: identifiers, the primary location's
jurisdiction and public point (through directory.listings.privacy), counts, the page's
address and the licence. Partners script against the names and order, so a field
added to the schema later comes after every earlier column.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.aggregates import StringAgg
from django.db.models import (
    Case,
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
    When,
)
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce, Concat, NullIf
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy

from directory.core.formulas import FORMULA_PATTERN, FORMULA_REPLACEMENT
from directory.core.links import slug_path_parts
from directory.listings import privacy, schema
from directory.models import Location, Organization

TEXT, NUMBER, DATE, LIST, BOOLEAN = "text", "number", "date", "list", "boolean"
PRIMARY_LOCATION = "export_location"


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    description: str
    separator: str = ""


# What each column means, for /api/ and partners. A column of a field added to the
# schema without a line here is described by its model field's help text or label.
DESCRIPTIONS = {
    "slug": gettext_lazy("Identifier: the end of the listing's web address; stable, never reused."),
    "name": gettext_lazy("Name of the organization."),
    "type_slug": gettext_lazy("Kind of organization, as a stable slug."),
    "type_name": gettext_lazy("Kind of organization, in words."),
    "status": gettext_lazy("Listing status: always “published”, the only status that is shared."),
    "summary": gettext_lazy("One or two plain sentences."),
    "description": gettext_lazy("Longer description, plain text."),
    "website": gettext_lazy("Web address (http or https)."),
    "email": gettext_lazy("Public email address."),
    "phone": gettext_lazy("Public phone number, as written by the organization."),
    "year_founded": gettext_lazy("Year founded."),
    "membership_model": gettext_lazy(
        "Who owns it: workers, consumers, residents, producers, multi_stakeholder or community."
    ),
    "how_to_join": gettext_lazy("How to join, plain text."),
    "eligibility": gettext_lazy("Who is eligible (credit unions: field of membership)."),
    "accepting_members": gettext_lazy("Accepting new members: yes, no or unknown."),
    "member_count": gettext_lazy("Number of members, when known."),
    "limited_equity": gettext_lazy("Housing co-ops: resale prices are capped."),
    "languages": gettext_lazy("Language codes served, separated by “;” (for example en;es)."),
    "sectors": gettext_lazy("Sector slugs, separated by “;”."),
    "service_area": gettext_lazy("Counties and cities served, separated by “; ” (name, state)."),
    "service_area_fips": gettext_lazy(
        "FIPS codes of the counties and cities served, separated by “;”."
    ),
    "street_address": gettext_lazy(
        "Primary location's street address; empty unless its public precision is exact."
    ),
    "city": gettext_lazy("Primary location's city."),
    "state": gettext_lazy("Primary location's state: DC, MD or VA."),
    "zip_code": gettext_lazy(
        "Primary location's ZIP code; empty unless its public precision is exact."
    ),
    "jurisdiction": gettext_lazy("County or independent city of the primary location."),
    "jurisdiction_fips": gettext_lazy("Five-digit FIPS code of that jurisdiction."),
    "latitude": gettext_lazy(
        "Latitude of the primary location: exact, rounded to two decimals (about 1 km) "
        "when its precision is approximate, empty when hidden."
    ),
    "longitude": gettext_lazy("Longitude of the primary location, as latitude."),
    "location_precision": gettext_lazy(
        "Public precision of the primary location: exact, approximate or hidden."
    ),
    "location_count": gettext_lazy("Number of locations."),
    "last_verified": gettext_lazy("Date organizers last checked the listing (YYYY-MM-DD)."),
    "url": gettext_lazy("Address of the listing's public page."),
    "license": gettext_lazy("Licence of the data."),
    "license_url": gettext_lazy("Address of the licence's text."),
}
_KINDS = {schema.NUMBER: NUMBER, schema.BOOLEAN: BOOLEAN}


def _describe(name: str, item: schema.PublicField | None = None) -> str:
    if name in DESCRIPTIONS:
        return DESCRIPTIONS[name]
    model_field = item.model_field if item else None
    return (model_field.help_text or model_field.verbose_name) if model_field else name


def _columns_of(item: schema.PublicField) -> list[Column]:
    if item.kind == schema.TYPE:
        return [
            Column(f"{item.name}_slug", TEXT, _describe(f"{item.name}_slug")),
            Column(f"{item.name}_name", TEXT, _describe(f"{item.name}_name")),
        ]
    if item.kind == schema.RELATION and item.name == "service_area":
        # Names for people, FIPS codes for machines.
        return [
            Column("service_area", LIST, _describe("service_area"), "; "),
            Column("service_area_fips", LIST, _describe("service_area_fips"), ";"),
        ]
    if item.kind == schema.RELATION:
        return [Column(item.name, LIST, _describe(item.name, item), ";")]
    return [Column(item.name, _KINDS.get(item.kind, TEXT), _describe(item.name, item))]


def _schema_columns(fields, **conditions) -> list[Column]:
    return [
        column
        for item in fields
        if all(getattr(item, key) == value for key, value in conditions.items())
        for column in _columns_of(item)
    ]


def _own(*names: str, kind: str = TEXT) -> list[Column]:
    return [Column(name, kind, _describe(name)) for name in names]


def _later(fields, **conditions) -> list[Column]:
    return [
        column
        for item in fields
        if item.added > 1 and all(getattr(item, k) == v for k, v in conditions.items())
        for column in _columns_of(item)
    ]


COLUMNS: tuple[Column, ...] = (
    *_own("slug"),
    *_schema_columns(schema.ORGANIZATION_FIELDS, csv=True, added=1),
    *_schema_columns(schema.LOCATION_FIELDS, csv=True, added=1),
    *_own("jurisdiction", "jurisdiction_fips"),
    *_own("latitude", "longitude", kind=NUMBER),
    *_own("location_precision"),
    *_own("location_count", kind=NUMBER),
    *_own("last_verified", kind=DATE),
    *_own("url", "license", "license_url"),
    *_later(schema.ORGANIZATION_FIELDS, csv=True),
    *_later(schema.LOCATION_FIELDS, csv=True),
)
COLUMNS_BY_NAME = {column.name: column for column in COLUMNS}
# Public fields the API shows that have no CSV column (the longer texts, counts): the
# organizations GeoJSON carries them as properties too.
API_ONLY_COLUMNS: tuple[Column, ...] = tuple(
    column
    for item in schema.ORGANIZATION_FIELDS
    if item.api and not item.csv and item.kind != schema.LINKS
    for column in _columns_of(item)
)


@dataclass(frozen=True)
class ListSource:
    """Where a list column's values come from: a many-to-many relation of Organization,
    the value to list (relative to the related model) and the field to sort by."""

    relation: str
    value: Combinable
    order: str


def list_source(column: Column) -> ListSource:
    if column.name == "service_area":
        return ListSource(
            "service_area", Concat("name", Value(", "), "state", output_field=CharField()), "fips"
        )
    if column.name == "service_area_fips":
        return ListSource("service_area", F("fips"), "fips")
    item = schema.field(column.name)
    related = item.model_field.related_model
    order = "sort_order" if any(f.name == "sort_order" for f in related._meta.fields) else "pk"
    return ListSource(item.name, F(item.natural_key), order)


def _field_expressions(location: str) -> dict:
    expressions = {}
    for item in schema.ORGANIZATION_FIELDS:
        if item.kind == schema.TYPE:
            expressions[f"{item.name}_slug"] = F(f"{item.name}__slug")
            expressions[f"{item.name}_name"] = F(f"{item.name}__name")
        elif item.kind not in (schema.RELATION, schema.LINKS):
            expressions[item.name] = F(item.name)
    for item in schema.LOCATION_FIELDS:
        if item.name in schema.HIDDEN_UNLESS_EXACT:
            expressions[item.name] = privacy.public_address_field(item.name, relation=location)
        else:
            expressions[item.name] = F(f"{location}__{item.name}")
    return expressions


def scalar_expressions(*, base_url: str) -> dict:
    """The SQL behind every column that is not a list, relative to Organization. What
    the public may see of the primary location is decided by directory.listings.privacy,
    inside the database."""
    location = PRIMARY_LOCATION
    path_before, url_after = slug_path_parts("directory:organization-detail")
    url_before = base_url + path_before
    latitude, longitude = privacy.public_point_expressions(relation=location)
    return {
        "slug": F("slug"),
        **_field_expressions(location),
        "jurisdiction": F(f"{location}__jurisdiction__name"),
        "jurisdiction_fips": F(f"{location}__jurisdiction__fips"),
        "latitude": latitude,
        "longitude": longitude,
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
    }


def list_rows(source: ListSource):
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
    scalars = scalar_expressions(base_url=base_url)
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
    """Neutralize in SQL exactly as directory.core.formulas.neutralize() does in Python;
    '' becomes NULL so that COPY writes an empty cell, as Python's csv does, rather
    than ""."""
    return RegexpReplace(
        NullIf(expression, Value("")), Value(FORMULA_PATTERN), Value(FORMULA_REPLACEMENT)
    )


def _sql_cell(column: Column, expression):
    if column.kind == NUMBER:
        return expression
    if column.kind == BOOLEAN:
        # As format_cell() writes it on the portable path.
        return Case(
            When(Exact(expression, True), then=Value("true")),
            When(Exact(expression, False), then=Value("false")),
            output_field=TextField(),
        )
    if column.kind == DATE:
        return ToChar(expression, Value("YYYY-MM-DD"))
    return _sql_text(expression)


def _joined_in_sql(column: Column):
    source = list_source(column)
    return Subquery(
        list_rows(source)
        .filter(organization=OuterRef("pk"))
        .values("organization")
        .annotate(
            joined=StringAgg("listed", column.separator, order_by=("list_order", "related_key"))
        )
        .values("joined"),
        output_field=TextField(),
    )
