"""What the public may see of a location: the one place this rule is written.

A location's public precision decides it:

- exact: the street address, ZIP code and the point as stored;
- approximate: no street address or ZIP code, and the point rounded to two decimals
  (about 1 km) *inside the database*, so the exact point never leaves it;
- hidden: no street address, no ZIP code and no point at all; the organization is found
  by its service area.

Only locations of published organizations are ever public.

Every answer a visitor can see is built from what this module gives: query expressions
for the database (map data, the CSV, the API, bounding boxes, distances, near-me) and
`public_place()` for a location already in memory (pages, JSON-LD). A check whose answer
a visitor sees (the "is it one of these?" lookalike check, sorting by distance) compares
public points only, never the stored ones.
"""

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Case,
    CharField,
    Exists,
    F,
    FloatField,
    Func,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Sqrt

from directory.models import Location, OrganizationStatus, Precision

# How many decimals an approximate point keeps (0.01 degree: about 1.1 km north-south).
APPROXIMATE_DECIMALS = 2
# Raw coordinates may be pre-filtered with this margin (degrees), so an index can be
# used; the exact test is then on the public point.
ROUNDING_MARGIN = 0.01
ADDRESS_FIELDS = ("street_address", "zip_code")


# Exact points keep six decimals (about 0.1 m, more than a pin can mean), so binary
# noise (38.903999999999996) never reaches partners.
EXACT_DECIMALS = 6


class PublicCoordinate(Func):
    """A coordinate rounded inside the database: to two decimals (about 1 km) by
    default, the precision of an approximate location."""

    output_field = FloatField()

    def __init__(self, expression, *, decimals: int = APPROXIMATE_DECIMALS, **extra):
        self.decimals = int(decimals)
        super().__init__(expression, **extra)

    def as_sql(self, compiler, connection, template=None, **extra_context):
        template = template or f"ROUND(%(expressions)s, {self.decimals})"
        return super().as_sql(compiler, connection, template=template, **extra_context)

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template=f"ROUND((%(expressions)s)::numeric, {self.decimals})::double precision",
            **extra_context,
        )


def _path(relation: str, field: str) -> str:
    return f"{relation}__{field}" if relation else field


def public_coordinate(field: str, *, relation: str = ""):
    """The coordinate ("latitude" or "longitude") the public may see: exact, rounded, or
    NULL, by precision. `relation` is the path to a Location from another model."""
    return Case(
        When(
            **{_path(relation, "precision"): Precision.EXACT},
            then=PublicCoordinate(F(_path(relation, field)), decimals=EXACT_DECIMALS),
        ),
        When(
            **{_path(relation, "precision"): Precision.APPROXIMATE},
            then=PublicCoordinate(F(_path(relation, field))),
        ),
        default=Value(None),
        output_field=FloatField(),
    )


def public_point_expressions(*, relation: str = ""):
    """(latitude, longitude) expressions of the point the public may see."""
    return (
        public_coordinate("latitude", relation=relation),
        public_coordinate("longitude", relation=relation),
    )


def public_address_field(field: str, *, relation: str = ""):
    """The street address or ZIP code when the location is exact, else NULL."""
    if field not in ADDRESS_FIELDS:
        raise ValueError(f"{field} is not an address field")
    return Case(
        When(**{_path(relation, "precision"): Precision.EXACT}, then=F(_path(relation, field))),
        default=Value(None),
        output_field=CharField(),
    )


def has_public_point(*, relation: str = "") -> Q:
    """Locations that have a point the public may see (located, not hidden)."""
    return Q(**{_path(relation, "latitude__isnull"): False}) & ~Q(
        **{_path(relation, "precision"): Precision.HIDDEN}
    )


def searchable_place(*, relation: str = "") -> Q:
    """Locations whose city and county search may match: not hidden. A hidden place
    never makes its organization findable by where it is (the SQLite search index and
    the PostgreSQL search vector apply the same rule in SQL:
    directory.listings.search_index)."""
    return ~Q(**{_path(relation, "precision"): Precision.HIDDEN})


def with_public_points(locations):
    """The locations annotated with `public_latitude` and `public_longitude`."""
    return locations.annotate(
        public_latitude=public_coordinate("latitude"),
        public_longitude=public_coordinate("longitude"),
    )


def on_map(locations=None):
    """Locations that may have a public pin: of published organizations, located, not
    hidden."""
    locations = Location.objects.all() if locations is None else locations
    return locations.filter(has_public_point(), organization__status=OrganizationStatus.PUBLISHED)


def points_in_box(locations, *, west: float, south: float, east: float, north: float):
    """Locations whose public point lies in the box. The box is tested against the
    rounded point of an approximate location, never its stored one, so tiny boxes cannot
    locate it more closely than the map does; hidden locations never match."""
    return (
        locations.filter(has_public_point())
        .filter(
            latitude__range=(south - ROUNDING_MARGIN, north + ROUNDING_MARGIN),
            longitude__range=(west - ROUNDING_MARGIN, east + ROUNDING_MARGIN),
        )
        .annotate(
            box_latitude=public_coordinate("latitude"),
            box_longitude=public_coordinate("longitude"),
        )
        .filter(box_latitude__range=(south, north), box_longitude__range=(west, east))
    )


def organizations_with_point_in_box(*, west: float, south: float, east: float, north: float):
    """An EXISTS condition for organizations with a public point in the box."""
    located = points_in_box(
        Location.objects.filter(organization=OuterRef("pk")),
        west=west,
        south=south,
        east=east,
        north=north,
    )
    return Exists(located)


MILES_PER_DEGREE_LATITUDE = 69.05


def nearest_public_distance(*, lat: float, lng: float, radius_miles: float):
    """A subquery for Organization: the distance in miles from the given point to the
    organization's nearest public point within the radius (NULL when none is). It uses
    an equirectangular approximation, accurate to well under 1% at this region's scale;
    raw coordinates only narrow the search (with a margin), the distance itself is to
    the public point, so sorting never reveals more than the map shows."""
    cos_latitude = math.cos(math.radians(lat))
    lat_span = radius_miles / MILES_PER_DEGREE_LATITUDE
    lng_span = lat_span / max(cos_latitude, 0.01)
    public_latitude = public_coordinate("latitude")
    public_longitude = public_coordinate("longitude")
    squared_degrees = (public_latitude - lat) * (public_latitude - lat) + (
        (public_longitude - lng) * cos_latitude
    ) * ((public_longitude - lng) * cos_latitude)
    nearest = (
        Location.objects.filter(
            has_public_point(),
            organization=OuterRef("pk"),
            latitude__range=(
                lat - lat_span - ROUNDING_MARGIN,
                lat + lat_span + ROUNDING_MARGIN,
            ),
            longitude__range=(
                lng - lng_span - ROUNDING_MARGIN,
                lng + lng_span + ROUNDING_MARGIN,
            ),
        )
        .annotate(
            distance=Sqrt(squared_degrees, output_field=FloatField()) * MILES_PER_DEGREE_LATITUDE
        )
        .filter(distance__lte=radius_miles)
        .order_by("distance")
        .values("distance")[:1]
    )
    return Subquery(nearest, output_field=FloatField())


def round_coordinate(value: float, decimals: int = APPROXIMATE_DECIMALS) -> float:
    """Python's twin of PublicCoordinate: half away from zero, as both databases do."""
    quantum = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class PublicPlace:
    """What the public may see of one location."""

    label: str
    is_primary: bool
    street_address: str
    city: str
    state: str
    zip_code: str
    jurisdiction_fips: str
    jurisdiction_name: str
    public_latitude: float | None
    public_longitude: float | None
    precision: str
    hours: str
    accessibility: str

    @property
    def shows_address(self) -> bool:
        return self.precision == Precision.EXACT

    @property
    def is_approximate(self) -> bool:
        return self.precision == Precision.APPROXIMATE

    @property
    def has_point(self) -> bool:
        return self.public_latitude is not None


def public_point(location) -> tuple[float, float] | None:
    """The point the public may see of a location in memory, or None."""
    if location.latitude is None or location.longitude is None:
        return None
    if location.precision == Precision.EXACT:
        return (
            round_coordinate(location.latitude, EXACT_DECIMALS),
            round_coordinate(location.longitude, EXACT_DECIMALS),
        )
    if location.precision == Precision.APPROXIMATE:
        return (round_coordinate(location.latitude), round_coordinate(location.longitude))
    return None


def public_place(location) -> PublicPlace:
    """What the public may see of a location in memory (a page, JSON-LD, a form)."""
    point = public_point(location)
    exact = location.precision == Precision.EXACT
    jurisdiction = location.jurisdiction if location.jurisdiction_id else None
    return PublicPlace(
        label=location.label,
        is_primary=location.is_primary,
        street_address=location.street_address if exact else "",
        city=location.city,
        state=location.state,
        zip_code=location.zip_code if exact else "",
        jurisdiction_fips=jurisdiction.fips if jurisdiction else "",
        jurisdiction_name=jurisdiction.name if jurisdiction else "",
        public_latitude=point[0] if point else None,
        public_longitude=point[1] if point else None,
        precision=location.precision,
        hours=location.hours,
        accessibility=location.accessibility,
    )


def public_location_rows(locations):
    """values() rows of what the public may see of each location, computed in the
    database: `public_street_address`, `public_zip_code`, `public_latitude` and
    `public_longitude` are NULL when the precision withholds them."""
    return locations.values(
        "organization_id",
        "label",
        "is_primary",
        "precision",
        "city",
        "state",
        "hours",
        "accessibility",
        public_street_address=public_address_field("street_address"),
        public_zip_code=public_address_field("zip_code"),
        public_latitude=public_coordinate("latitude"),
        public_longitude=public_coordinate("longitude"),
        jurisdiction_fips=F("jurisdiction__fips"),
        jurisdiction_name=F("jurisdiction__name"),
        jurisdiction_state=F("jurisdiction__state"),
    )


def public_places(organization) -> list[PublicPlace]:
    """An organization's locations as the public may see them, primary first."""
    rows = public_location_rows(
        Location.objects.filter(organization=organization).order_by("-is_primary", "pk")
    )
    return [
        PublicPlace(
            label=row["label"],
            is_primary=row["is_primary"],
            street_address=row["public_street_address"] or "",
            city=row["city"],
            state=row["state"],
            zip_code=row["public_zip_code"] or "",
            jurisdiction_fips=row["jurisdiction_fips"] or "",
            jurisdiction_name=row["jurisdiction_name"] or "",
            public_latitude=row["public_latitude"],
            public_longitude=row["public_longitude"],
            precision=row["precision"],
            hours=row["hours"],
            accessibility=row["accessibility"],
        )
        for row in rows
    ]
