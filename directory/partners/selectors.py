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

from directory.listings import privacy, schema, vocabulary
from directory.models import Location, Organization, SocialLink


def _type_parts(item: schema.PublicField) -> tuple[str, ...]:
    """What the API shows of a type: slug, name and its ESSGlobal terms."""
    return ("slug", "name", *vocabulary.term_fields(item.model_field.related_model))


# The columns the API reads of an organization: the schema's public fields stored in
# the row (the type by its slug, name and terms), and the verification date.
PUBLIC_ORGANIZATION_FIELDS = (
    "slug",
    *(
        f"{item.name}__{part}" if item.kind == schema.TYPE else item.name
        for item in schema.ORGANIZATION_FIELDS
        if item.api and item.kind not in (schema.RELATION, schema.LINKS)
        for part in (_type_parts(item) if item.kind == schema.TYPE else ("",))
    ),
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
        **{f"public_{item.name}": _relation_rows(item, present) for item in RELATIONS},
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


RELATIONS = [
    item for item in schema.ORGANIZATION_FIELDS if item.api and item.kind == schema.RELATION
]


def _relation_rows(item: schema.PublicField, organization_ids: list[int]) -> dict:
    """Each organization's related rows of a many-to-many public field, as the API
    shows them: the natural key, the name and, for places, the state; in the related
    model's own order."""
    related = item.model_field.related_model
    prefix = item.model_field.m2m_reverse_field_name()
    shown = [
        item.natural_key,
        "name",
        *(["state"] if _has_field(related, "state") else []),
        *vocabulary.term_fields(related),
    ]
    order = [f"{prefix}__{name}" for name in related._meta.ordering]
    return _grouped(
        item.model_field.remote_field.through.objects.filter(organization_id__in=organization_ids)
        .order_by("organization_id", *order)
        .values("organization_id", **{name: F(f"{prefix}__{name}") for name in shown})
    )


def _has_field(model, name: str) -> bool:
    return any(field.name == name for field in model._meta.fields)


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
