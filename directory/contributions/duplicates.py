"""Likely duplicate listings, flagged for organizers (PossibleDuplicate).

The rules are directory.contributions.matching's, applied to the listings' stored
points: this is for organizers, who see exact points anyway.

Listings are checked whenever a revision that includes them is saved: a public
suggestion, a spreadsheet import, an admin save, an approved edit. A check is skipped
when nothing it compares has changed since the last one (`DuplicateScan`), so bulk
actions such as "mark verified" cost one query. Small batches ask the database for
candidates; large ones (imports) build one in-memory index of every listing instead.
"""

import logging
import math
from collections import defaultdict
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from directory.contributions.matching import (
    SIMILAR_NAME_RATIO,
    Identity,
    Match,
    candidate_ids,
    compare,
    sorted_matches,
)
from directory.listings import signals
from directory.models import (
    DuplicateScan,
    Location,
    Organization,
    PossibleDuplicate,
    PossibleDuplicateStatus,
)

logger = logging.getLogger(__name__)

# Above this many changed listings in one revision, one in-memory index of all
# listings is cheaper than a few queries per listing.
BULK_THRESHOLD = 200


def _points_by_organization(organization_ids: Iterable[int]) -> dict[int, list]:
    points = defaultdict(list)
    rows = Location.objects.filter(
        organization_id__in=list(organization_ids), latitude__isnull=False
    ).values_list("organization_id", "latitude", "longitude")
    for organization_id, latitude, longitude in rows:
        points[organization_id].append((latitude, longitude))
    return points


def identities(organizations) -> list[Identity]:
    """Identities of a queryset or list of organizations, in two queries."""
    rows = [
        (organization.pk, organization.name, organization.website, organization.phone)
        for organization in organizations
    ]
    points = _points_by_organization(pk for pk, *_ in rows)
    return [
        Identity(pk, name, website, phone, tuple(points.get(pk, ())))
        for pk, name, website, phone in rows
    ]


def _stored_points_near(box) -> object:
    west, south, east, north = box
    return Location.objects.filter(
        latitude__range=(south, north), longitude__range=(west, east)
    ).values("organization_id")


_HAS_STORED_POINT = Exists(
    Location.objects.filter(organization=OuterRef("pk"), latitude__isnull=False)
)


def find_matches(identity: Identity, *, queryset=None) -> list[Match]:
    """Listings in `queryset` (default: all) that look like `identity`, by their stored
    points. The database is asked for candidates (same website, same last phone
    digits, a point within 0.4 km, the name's longest words); the rules are then
    applied here. For organizers only: the public check is directory.contributions.lookalikes."""
    queryset = Organization.objects.all() if queryset is None else queryset
    ids = candidate_ids(identity, queryset, near=_stored_points_near, located=Q(_HAS_STORED_POINT))
    found = Organization.objects.filter(pk__in=ids).only("name", "website", "phone")
    return sorted_matches(compare(identity, other) for other in identities(found))


class _Index:
    """Every listing's identity, keyed for constant-time candidate lookup.

    Listings placed at one ZIP code's centre share a cell, so an import of thousands of
    rows makes thousands of candidates for each; most are told apart without compare()
    by `_may_match`, which only rules out pairs compare() would refuse."""

    CELL_DEGREES = 0.01  # larger than 0.4 km in both directions at this latitude

    def __init__(self, all_identities: list[Identity]):
        self.by_pk = {identity.pk: identity for identity in all_identities}
        self.by_website = defaultdict(set)
        self.by_phone = defaultdict(set)
        self.by_name = defaultdict(set)
        self.by_cell = defaultdict(set)
        self._characters: dict[tuple[str, int], int] = {}
        self.name_shapes = {}
        for identity in all_identities:
            self.name_shapes[identity.pk] = self.name_shape(identity.name_key)
            if identity.website_key:
                self.by_website[identity.website_key].add(identity.pk)
            if identity.phone_key:
                self.by_phone[identity.phone_key].add(identity.pk)
            if identity.name_key:
                self.by_name[identity.name_key].add(identity.pk)
            for point in identity.points:
                self.by_cell[self._cell(point)].add(identity.pk)

    def _cell(self, point):
        return (math.floor(point[0] / self.CELL_DEGREES), math.floor(point[1] / self.CELL_DEGREES))

    def name_shape(self, name_key: str) -> tuple[int, int, frozenset]:
        """The name's characters as a bit set (the second "a" is its own bit), its
        length and its words: what `_may_match` compares."""
        seen: dict[str, int] = {}
        bits = 0
        for character in name_key:
            seen[character] = seen.get(character, 0) + 1
            token = (character, seen[character])
            bits |= 1 << self._characters.setdefault(token, len(self._characters))
        return bits, len(name_key), frozenset(name_key.split())

    def _may_match(self, a: Identity, shape_a, b: Identity) -> bool:
        """False only when compare(a, b) is None: neither website nor phone is shared,
        and the names are neither equal nor names_similar() (whose quick_ratio(), an
        upper bound of the ratio, counts the characters the names have in common)."""
        if a.website_key and a.website_key == b.website_key:
            return True
        if a.phone_key and a.phone_key == b.phone_key:
            return True
        if not a.name_key or not b.name_key:
            return False
        if a.name_key == b.name_key:
            return True
        bits_a, length_a, words_a = shape_a
        bits_b, length_b, words_b = self.name_shapes[b.pk]
        if min(len(words_a), len(words_b)) >= 2 and (words_a <= words_b or words_b <= words_a):
            return True
        common = (bits_a & bits_b).bit_count()
        return 2.0 * common / (length_a + length_b) >= SIMILAR_NAME_RATIO

    def candidates(self, identity: Identity) -> set[int]:
        candidates = set()
        candidates |= self.by_website.get(identity.website_key, set())
        candidates |= self.by_phone.get(identity.phone_key, set())
        candidates |= self.by_name.get(identity.name_key, set())
        for point in identity.points:
            row, column = self._cell(point)
            for d_row in (-1, 0, 1):
                for d_column in (-1, 0, 1):
                    candidates |= self.by_cell.get((row + d_row, column + d_column), set())
        candidates.discard(identity.pk)
        return candidates

    def pairs(self, checked: list[Identity]) -> dict[tuple[int, int], Match]:
        """The pairs flag_duplicates records for these identities, each pair compared
        once when it can be: compare(b, a) is what a later check of b kept, and
        compare(a, b) only counts when that finds nothing."""
        order = {identity.pk: position for position, identity in enumerate(checked)}
        pairs = {}
        for position, identity in enumerate(checked):
            shape = self.name_shapes.get(identity.pk) or self.name_shape(identity.name_key)
            for pk in self.candidates(identity):
                if order.get(pk, -1) > position:
                    continue  # compared when that listing's turn comes
                other = self.by_pk[pk]
                if not self._may_match(identity, shape, other):
                    continue
                match = compare(identity, other)
                if match is None and pk in order:
                    match = compare(other, identity)
                if match is not None:
                    pairs[tuple(sorted((identity.pk, pk)))] = match
        return pairs


def _record(pairs: dict[tuple[int, int], Match]) -> int:
    """Store newly found pairs; refresh the reasons of open ones. Dismissed pairs stay
    dismissed. Returns how many pairs are new."""
    if not pairs:
        return 0
    involved = {pk for pair in pairs for pk in pair}
    existing = {
        (row.organization_id, row.similar_to_id): row
        for row in PossibleDuplicate.objects.filter(
            organization_id__in=involved, similar_to_id__in=involved
        )
    }
    new = []
    for pair, match in pairs.items():
        row = existing.get(pair)
        if row is None:
            new.append(
                PossibleDuplicate(
                    organization_id=pair[0],
                    similar_to_id=pair[1],
                    reasons=list(match.reasons),
                    distance_km=match.distance_km,
                )
            )
        elif row.status == PossibleDuplicateStatus.OPEN and row.reasons != list(match.reasons):
            row.reasons = list(match.reasons)
            row.distance_km = match.distance_km
            row.save(update_fields=["reasons", "distance_km"])
    PossibleDuplicate.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def flag_duplicates(organization_ids: Iterable[int], *, force: bool = False) -> int:
    """Check these listings against every other one and record the likely duplicates.
    Listings whose name, website, phone and points are unchanged since their last
    check are skipped unless `force`. Returns how many new pairs were flagged."""
    checked = identities(Organization.objects.filter(pk__in=set(organization_ids)))
    if not force:
        known = dict(
            DuplicateScan.objects.filter(
                organization_id__in=[identity.pk for identity in checked]
            ).values_list("organization_id", "fingerprint")
        )
        checked = [
            identity for identity in checked if known.get(identity.pk) != identity.fingerprint
        ]
    if not checked:
        return 0
    if len(checked) > BULK_THRESHOLD:
        index = _Index(identities(Organization.objects.only("name", "website", "phone")))
        pairs = index.pairs(checked)
    else:
        pairs = {}
        for identity in checked:
            for match in find_matches(identity):
                pairs[tuple(sorted((identity.pk, match.organization_id)))] = match
    now = timezone.now()
    DuplicateScan.objects.bulk_create(
        [
            DuplicateScan(
                organization_id=identity.pk, fingerprint=identity.fingerprint, scanned_at=now
            )
            for identity in checked
        ],
        update_conflicts=True,
        unique_fields=["organization"],
        update_fields=["fingerprint", "scanned_at"],
    )
    return _record(pairs)


def flag_after_revision(sender, revision, versions, **kwargs):
    """post_revision_commit receiver: check the listings a revision saved. A failing
    check is logged and never undoes the save it follows."""
    if signals.revision_checks_are_held():
        return  # an import's chunk: flag_after_import checks the whole file at its end
    organization_type = ContentType.objects.get_for_model(Organization)
    organization_ids = [
        int(version.object_id)
        for version in versions
        if version.content_type_id == organization_type.pk
    ]
    if not organization_ids:
        return
    try:
        with transaction.atomic():
            flag_duplicates(organization_ids)
    except Exception:
        # A flag is advice for organizers; losing one must never undo the save itself.
        logger.exception("Duplicate check failed for organizations %s", organization_ids)


def flag_after_import(sender, organization_ids, **kwargs):
    """listings.signals.import_written receiver: check every listing an import wrote, at
    once (one index of the directory for a large file). Logged, never raised."""
    try:
        with transaction.atomic():
            flag_duplicates(organization_ids)
    except Exception:
        logger.exception(
            "Duplicate check failed after an import of %d listings", len(organization_ids)
        )
