"""The printable resource sheet: every organization matching the filters, with what a
person without internet needs to reach it (address or area, phone, website, hours,
languages), the date, and the sheet's own address as a QR code.

Built in a fixed number of queries whatever the number of rows: the organizations with
their type, languages and service area, then every location of all of them at once,
as `directory.listings.privacy` lets the public see it (street address and ZIP code
only for exact locations, decided inside the database).
"""

from collections import defaultdict
from dataclasses import dataclass, field

import segno
from django.db.models import Prefetch, prefetch_related_objects
from django.utils.safestring import SafeString, mark_safe

from directory.browse.filters import OrganizationFilterSet
from directory.listings import privacy
from directory.models import Jurisdiction, Location, Organization

# More than this many matches is no longer a sheet but a book: the page asks to narrow
# the filters instead of printing hundreds of pages.
MAX_SHEET_ROWS = 500


@dataclass(frozen=True)
class SheetPlace:
    """One location as the sheet prints it: public fields only."""

    label: str
    street_address: str
    city: str
    state: str
    zip_code: str
    area: str
    hours: str
    shows_address: bool


@dataclass
class SheetEntry:
    organization: Organization
    places: list[SheetPlace] = field(default_factory=list)

    @property
    def languages(self) -> list[str]:
        return [language.name for language in self.organization.languages.all()]

    @property
    def service_area(self) -> list[str]:
        return [jurisdiction.name for jurisdiction in self.organization.service_area.all()]


def _places_by_organization(organization_ids: list[int]) -> dict[int, list[SheetPlace]]:
    rows = privacy.public_location_rows(
        Location.objects.filter(organization_id__in=organization_ids).order_by(
            "organization_id", "-is_primary", "pk"
        )
    )
    places = defaultdict(list)
    for row in rows:
        places[row["organization_id"]].append(
            SheetPlace(
                label=row["label"],
                street_address=row["public_street_address"] or "",
                city=row["city"],
                state=row["state"],
                zip_code=row["public_zip_code"] or "",
                area=row["jurisdiction_name"] or "",
                hours=row["hours"],
                shows_address=bool(row["public_street_address"]),
            )
        )
    return places


@dataclass(frozen=True)
class Sheet:
    entries: list[SheetEntry]
    # How many matched, when that is more than `limit` and the sheet lists none.
    too_many: int | None
    limit: int


def build_sheet(organizations) -> Sheet:
    """The sheet for the filtered organizations, in their order; empty, with the count,
    when more than MAX_SHEET_ROWS match and it would be too long to print."""
    limit = MAX_SHEET_ROWS
    rows = list(organizations.select_related("type")[: limit + 1])
    if len(rows) > limit:
        return Sheet(entries=[], too_many=organizations.count(), limit=limit)
    prefetch_related_objects(
        rows,
        "languages",
        Prefetch("service_area", queryset=Jurisdiction.objects.order_by("name")),
    )
    places = _places_by_organization([organization.pk for organization in rows])
    entries = [SheetEntry(organization, places.get(organization.pk, [])) for organization in rows]
    return Sheet(entries=entries, too_many=None, limit=limit)


def _display(bound_field, value) -> str:
    """A filter's value as words: choice labels and object names, not slugs."""
    choices = dict(getattr(bound_field.field, "choices", ()) or ())
    if hasattr(value, "__iter__") and not isinstance(value, str):
        return ", ".join(str(item) for item in value)
    if value in choices:
        return str(choices[value])
    return str(value)


def filter_summary(filterset: OrganizationFilterSet) -> list[tuple[str, str]]:
    """(label, value) for each filter the sheet was made with, in the form's order;
    the map area and the sort order are not filters a reader needs."""
    summary = []
    data = filterset.form.cleaned_data
    for bound_field in filterset.form:
        name = bound_field.name
        if name in ("bbox", "sort"):
            continue
        value = data.get(name)
        if value is None or not bound_field.data or (name == "radius" and not data.get("near")):
            continue
        if name == "near":
            value = bound_field.data
        summary.append((str(bound_field.label), _display(bound_field, value)))
    return summary


def qr_code_svg(url: str) -> SafeString:
    """The address as an inline SVG QR code (medium error correction, so a creased or
    smudged sheet still scans). Sized by CSS through its viewBox."""
    code = segno.make(url, error="m", micro=False)
    return mark_safe(code.svg_inline(scale=1, border=2, omitsize=True, dark="#000", light="#fff"))
