"""Reads for the JSON API: organizations with everything the API shows about them.

Related rows are read as plain values, one query per relation for a whole page, not as
model instances: on a page of 100 organizations, building the ~700 related objects cost
more than the queries did. Only public columns are read. As in the CSV, the street
address and ZIP code of a location that is not exact are withheld, and coordinates are
rounded or withheld, inside the database.
"""

from collections import defaultdict
from collections.abc import Sequence

from django.db.models import F

from directory.listings import privacy
from directory.models import Location, Organization, SocialLink

PUBLIC_ORGANIZATION_FIELDS = (
    "slug",
    "name",
    "type__slug",
    "type__name",
    "summary",
    "description",
    "website",
    "email",
    "phone",
    "year_founded",
    "membership_model",
    "how_to_join",
    "eligibility",
    "accepting_members",
    "member_count",
    "limited_equity",
    "last_verified",
)


def public_details_in_order(ids: Sequence[int]) -> list[Organization]:
    """The published organizations with these ids, in the order given, each with
    public_languages, public_sectors, public_service_area, public_social_links and
    public_locations. An id that is no longer published is left out."""
    found = (
        Organization.objects.published().select_related("type").only(*PUBLIC_ORGANIZATION_FIELDS)
    )
    by_id = {organization.pk: organization for organization in found.filter(pk__in=ids)}
    organizations = [by_id[pk] for pk in ids if pk in by_id]
    present = list(by_id)
    related = {
        "public_languages": _grouped(
            Organization.languages.through.objects.filter(organization_id__in=present)
            .order_by("organization_id", "language__sort_order", "language__name")
            .values("organization_id", code=F("language__code"), name=F("language__name"))
        ),
        "public_sectors": _grouped(
            Organization.sectors.through.objects.filter(organization_id__in=present)
            .order_by("organization_id", "sector__sort_order", "sector__name")
            .values("organization_id", slug=F("sector__slug"), name=F("sector__name"))
        ),
        "public_service_area": _grouped(
            Organization.service_area.through.objects.filter(organization_id__in=present)
            .order_by("organization_id", "jurisdiction__state", "jurisdiction__name")
            .values(
                "organization_id",
                fips=F("jurisdiction__fips"),
                name=F("jurisdiction__name"),
                state=F("jurisdiction__state"),
            )
        ),
        "public_social_links": _grouped(
            SocialLink.objects.filter(organization_id__in=present)
            .order_by("organization_id", "pk")
            .values("organization_id", "label", "url")
        ),
        "public_locations": _grouped(map(_location, _location_rows(present))),
    }
    for organization in organizations:
        for attribute, grouped in related.items():
            setattr(organization, attribute, grouped.get(organization.pk, []))
    return organizations


def _grouped(rows) -> dict[int, list[dict]]:
    grouped = defaultdict(list)
    for row in rows:
        grouped[row.pop("organization_id")].append(row)
    return grouped


def _location_rows(organization_ids: list[int]):
    return privacy.public_location_rows(
        Location.objects.filter(organization_id__in=organization_ids).order_by(
            "organization_id", "-is_primary", "pk"
        )
    )


def _location(row: dict) -> dict:
    """A location as the API shows it (PublicLocationSerializer's fields, in order)."""
    fips = row["jurisdiction_fips"]
    return {
        "organization_id": row["organization_id"],
        "label": row["label"],
        "is_primary": row["is_primary"],
        "precision": row["precision"],
        "street_address": row["public_street_address"],
        "city": row["city"],
        "state": row["state"],
        "zip_code": row["public_zip_code"],
        "jurisdiction": (
            {"fips": fips, "name": row["jurisdiction_name"], "state": row["jurisdiction_state"]}
            if fips
            else None
        ),
        "latitude": row["public_latitude"],
        "longitude": row["public_longitude"],
        "hours": row["hours"],
        "accessibility": row["accessibility"],
    }
