"""The one FilterSet behind every public surface: list, map data, API, export, embed.

Query parameters (documented in the README and on /api/):
  q             words to search for
  type          organization type slug; repeat for several
  state         DC, MD or VA (a location in the state or a service area in it)
  jurisdiction  5-digit FIPS code of a county/city where the organization has a location
  serves        5-digit FIPS code of a county/city in the organization's service area
  sector        sector slug; repeat for several
  language      language code (en, es, am, ...); repeat for several
  accepting     yes, no or unknown
  near          a ZIP code or "latitude,longitude"; with radius (miles, default 25)
  bbox          west,south,east,north in degrees: organizations with a public point inside
  sort          relevance (needs q; the default with q), name, distance (needs near; the
                default with near) or verified (most recently verified first)
"""

import math
import re
from dataclasses import dataclass
from decimal import Decimal

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from directory.browse.search import search_organizations
from directory.core.geocoding import ZIP_PATTERN, lookup_zip
from directory.core.region import REGION_BOUNDS, State
from directory.listings import privacy
from directory.models import (
    AcceptingMembers,
    Jurisdiction,
    Language,
    Location,
    Organization,
    OrganizationType,
    Sector,
)

DEFAULT_RADIUS_MILES = 25.0
# Decimals, as the radius field's cleaned value is: a Decimal("0.1") compared with the
# float 0.1 (slightly more than one tenth) was refused.
MIN_RADIUS_MILES = Decimal("0.1")
MAX_RADIUS_MILES = Decimal("250")
MAX_QUERY_LENGTH = 200


@dataclass(frozen=True)
class NearPoint:
    """The place a visitor searches near (a ZIP code's centre or a typed point)."""

    lat: float
    lng: float
    label: str
    county_fips: str | None = None


class NearField(forms.CharField):
    """A ZIP code in the region, or "latitude,longitude" inside the region."""

    def to_python(self, value):
        value = super().to_python(value).strip()
        if not value:
            return None
        if len(value) > 60:
            raise ValidationError(_("That is too long for a ZIP code or a point."), code="too_long")
        if ZIP_PATTERN.match(value):
            place = lookup_zip(value)
            return NearPoint(
                *place.point,
                f"{place.zip_code} ({place.city})",
                place.county_fips,
            )
        parts = value.split(",")
        if len(parts) != 2:
            raise ValidationError(
                _(
                    "Enter a ZIP code (for example 20001) or latitude,longitude (for example "
                    "38.9,-77.03)."
                ),
                code="invalid_near",
            )
        try:
            latitude, longitude = (float(part) for part in parts)
        except ValueError:
            raise ValidationError(
                _("Latitude and longitude must be numbers, for example 38.9,-77.03."),
                code="invalid_near",
            ) from None
        if not (math.isfinite(latitude) and math.isfinite(longitude)) or not REGION_BOUNDS.contains(
            latitude, longitude
        ):
            raise ValidationError(
                _("That point is outside DC, Maryland and Virginia."), code="near_outside_region"
            )
        return NearPoint(latitude, longitude, f"{latitude:.4f},{longitude:.4f}")


@dataclass(frozen=True)
class BBox:
    west: float
    south: float
    east: float
    north: float


_DECIMAL = r"-?\d+(\.\d+)?"
_LONGITUDE = r"-?0*(180(\.0+)?|(1[0-7]\d|[1-9]?\d)(\.\d+)?)"
_LATITUDE = r"-?0*(90(\.0+)?|[1-8]?\d(\.\d+)?)"
# What BBoxField accepts, exactly: four plain decimal numbers, longitudes within ±180
# and latitudes within ±90. The OpenAPI description states this pattern, so generated
# clients, validators and the server agree.
BBOX_PATTERN = rf"^\s*{_LONGITUDE}\s*,\s*{_LATITUDE}\s*,\s*{_LONGITUDE}\s*,\s*{_LATITUDE}\s*$"


class BBoxField(forms.CharField):
    """west,south,east,north in degrees (longitude, latitude; RFC 7946 order). The box
    is the one between the two corners, whichever order they are given in."""

    def to_python(self, value):
        value = super().to_python(value).strip()
        if not value:
            return None
        if len(value) > 200:
            raise ValidationError(_("That is too long for a map area."), code="too_long")
        parts = [part.strip() for part in value.split(",")]
        if len(parts) != 4:
            raise ValidationError(
                _(
                    "Give four numbers separated by commas: west,south,east,north, for "
                    "example -77.12,38.79,-76.91,39.0."
                ),
                code="bbox_count",
            )
        if not all(re.fullmatch(_DECIMAL, part) for part in parts):
            raise ValidationError(
                _(
                    "The four values must be plain decimal numbers, for example "
                    "-77.12,38.79,-76.91,39.0."
                ),
                code="bbox_not_numbers",
            )
        west, south, east, north = (float(part) for part in parts)
        if not (-180 <= west <= 180 and -180 <= east <= 180):
            raise ValidationError(
                _("Longitudes (west, east) must be between -180 and 180."), code="bbox_range"
            )
        if not (-90 <= south <= 90 and -90 <= north <= 90):
            raise ValidationError(
                _("Latitudes (south, north) must be between -90 and 90."), code="bbox_range"
            )
        west, east = sorted((west, east))
        south, north = sorted((south, north))
        return BBox(west, south, east, north)


class BBoxFilter(django_filters.Filter):
    field_class = BBoxField

    def filter(self, qs, value):
        if value is None:
            return qs
        return qs.filter(
            privacy.organizations_with_point_in_box(
                west=value.west, south=value.south, east=value.east, north=value.north
            )
        )


class NearFilter(django_filters.Filter):
    field_class = NearField

    def filter(self, qs, value):
        # Applied together with the radius in OrganizationFilterSet.filter_queryset.
        return qs


class SortFilter(django_filters.ChoiceFilter):
    def filter(self, qs, value):
        # Applied last in OrganizationFilterSet.filter_queryset.
        return qs


def _has_location(**conditions):
    return Exists(Location.objects.filter(organization=OuterRef("pk"), **conditions))


def _serves(**conditions):
    return Exists(Jurisdiction.objects.filter(served_by=OuterRef("pk"), **conditions))


class OrganizationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q", max_length=MAX_QUERY_LENGTH)
    type = django_filters.ModelMultipleChoiceFilter(
        label=_("Type"),
        to_field_name="slug",
        queryset=OrganizationType.objects.all(),
        method="filter_type",
    )
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=State.choices, method="filter_state"
    )
    jurisdiction = django_filters.ModelChoiceFilter(
        label=_("County or city"),
        to_field_name="fips",
        queryset=Jurisdiction.objects.all(),
        method="filter_jurisdiction",
    )
    serves = django_filters.ModelChoiceFilter(
        label=_("Serves"),
        to_field_name="fips",
        queryset=Jurisdiction.objects.all(),
        method="filter_serves",
    )
    sector = django_filters.ModelMultipleChoiceFilter(
        label=_("Sector"),
        to_field_name="slug",
        queryset=Sector.objects.all(),
        method="filter_sector",
    )
    language = django_filters.ModelMultipleChoiceFilter(
        label=_("Language"),
        to_field_name="code",
        queryset=Language.objects.all(),
        method="filter_language",
    )
    accepting = django_filters.ChoiceFilter(
        label=_("Accepting new members"),
        field_name="accepting_members",
        choices=AcceptingMembers.choices,
    )
    near = NearFilter(label=_("Near (ZIP code or latitude,longitude)"))
    radius = django_filters.NumberFilter(
        label=_("Within (miles)"),
        method="filter_radius",
        min_value=MIN_RADIUS_MILES,
        max_value=MAX_RADIUS_MILES,
    )
    bbox = BBoxFilter(label=_("Map area (west,south,east,north)"))
    sort = SortFilter(
        label=_("Sort by"),
        choices=[
            ("relevance", _("Best match")),
            ("name", _("Name")),
            ("distance", _("Distance")),
            ("verified", _("Recently verified")),
        ],
        empty_label=None,
    )

    # What the text search did (directory.browse.search.SearchOutcome), once `qs` is built.
    search_outcome = None

    def filter_q(self, queryset, name, value):
        queryset, self.search_outcome = search_organizations(queryset, value)
        return queryset

    def filter_type(self, queryset, name, value):
        # The form already turned the slugs into types: compare the foreign key itself,
        # with no join and no DISTINCT (one type per organization, so no row repeats).
        if not value:
            return queryset
        return queryset.filter(type__in=[organization_type.pk for organization_type in value])

    def filter_state(self, queryset, name, value):
        return queryset.in_state(value)

    def filter_jurisdiction(self, queryset, name, value):
        return queryset.filter(_has_location(jurisdiction=value))

    def filter_serves(self, queryset, name, value):
        return queryset.filter(_serves(fips=value.fips))

    # Multi-valued relations are matched with EXISTS, so no row is ever repeated and no
    # DISTINCT is needed.
    def filter_sector(self, queryset, name, value):
        if not value:  # an empty queryset, which django-filter does not treat as empty
            return queryset
        through = Organization.sectors.through.objects
        return queryset.filter(
            Exists(through.filter(organization=OuterRef("pk"), sector__in=value))
        )

    def filter_language(self, queryset, name, value):
        if not value:
            return queryset
        through = Organization.languages.through.objects
        return queryset.filter(
            Exists(through.filter(organization=OuterRef("pk"), language__in=value))
        )

    def filter_radius(self, queryset, name, value):
        return queryset  # applied with `near`

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        near = self.form.cleaned_data.get("near")
        if near is not None:
            radius = float(self.form.cleaned_data.get("radius") or DEFAULT_RADIUS_MILES)
            queryset = within_radius(queryset, near, radius)
        return self.sort_queryset(queryset, near)

    def sort_queryset(self, queryset, near):
        ranked = "search_rank" in queryset.query.annotations
        sort = self.form.cleaned_data.get("sort") or (
            "distance" if near else "relevance" if ranked else "name"
        )
        if sort == "relevance" and ranked:
            return queryset.order_by(F("search_rank").desc(), "name", "pk")
        if sort == "distance" and near is not None:
            return queryset.order_by(F("distance").asc(nulls_last=True), "name", "pk")
        if sort == "verified":
            return queryset.order_by(F("last_verified").desc(nulls_last=True), "name", "pk")
        return queryset.order_by("name", "pk")

    @property
    def narrows_organizations(self) -> bool:
        """Whether any parameter besides bbox and sort was given, i.e. whether the
        result is narrower than all published organizations with a public point."""
        return any(
            value.strip()
            for name in self.filters
            if name not in ("bbox", "sort", "radius")
            for value in self.data.getlist(name)
        )

    @property
    def near_point(self) -> NearPoint | None:
        return self.form.cleaned_data.get("near") if self.is_valid() else None

    def error_messages(self) -> list[str]:
        """Every form error as "Field: message", for a 400 response or a notice."""
        messages = []
        for field, errors in self.form.errors.items():
            label = self.form.fields[field].label if field in self.form.fields else field
            messages.extend(f"{label}: {error}" for error in errors)
        return messages


def within_radius(queryset, near: NearPoint, radius_miles: float):
    """Organizations with a public point within the radius, the nearest one's distance
    annotated as `distance` (miles); for a ZIP code, also those serving its county.
    Distances are measured to public points only (directory.listings.privacy)."""
    nearest = privacy.nearest_public_distance(lat=near.lat, lng=near.lng, radius_miles=radius_miles)
    queryset = queryset.annotate(distance=nearest)
    in_radius = Q(distance__isnull=False)
    if near.county_fips:
        # Groups with no public pin are found by the area they serve.
        in_radius |= _serves(fips=near.county_fips)
    return queryset.filter(in_radius)
