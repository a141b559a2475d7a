"""The public "is it one of these?" check on the suggest-a-listing form.

A visitor sees its answer, so it compares only what the public may see: published
listings, and their public points (directory.listings.privacy). A hidden location is
never compared by distance (its listing can only match by website, phone or exact
name), an approximate one only by its rounded point. Probing the form with pins on a
grid therefore learns nothing the map does not already show.
"""

from django.db.models import Exists, OuterRef

from directory.contributions.matching import Identity, candidate_ids, compare, sorted_matches
from directory.listings import privacy
from directory.models import Location, Organization

MAX_SHOWN = 5


def _public_points_near(box):
    west, south, east, north = box
    return privacy.points_in_box(
        Location.objects.all(), west=west, south=south, east=east, north=north
    ).values("organization_id")


def _public_identities(organizations) -> list[Identity]:
    rows = list(organizations.values_list("pk", "name", "website", "phone"))
    points: dict[int, list] = {}
    located = privacy.with_public_points(
        Location.objects.filter(organization_id__in=[row[0] for row in rows])
    ).filter(privacy.has_public_point())
    for organization_id, point_lat, point_lng in located.values_list(
        "organization_id", "public_latitude", "public_longitude"
    ):
        points.setdefault(organization_id, []).append((point_lat, point_lng))
    return [
        Identity(pk, name, website, phone, tuple(points.get(pk, ())))
        for pk, name, website, phone in rows
    ]


def published_lookalikes(
    *, name: str, website: str, phone: str, pin: tuple[float, float] | None
) -> list[Organization]:
    """Published listings a suggestion may duplicate, nearest first, at most a few."""
    identity = Identity(None, name, website, phone, (pin,) if pin else ())
    published = Organization.objects.published()
    has_public_point = Exists(
        Location.objects.filter(privacy.has_public_point(), organization=OuterRef("pk"))
    )
    ids = candidate_ids(identity, published, near=_public_points_near, located=has_public_point)
    others = _public_identities(published.filter(pk__in=ids))
    matches = sorted_matches(compare(identity, other) for other in others)[:MAX_SHOWN]
    by_pk = published.select_related("type").in_bulk([match.organization_id for match in matches])
    return [by_pk[match.organization_id] for match in matches if match.organization_id in by_pk]
