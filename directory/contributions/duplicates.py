"""Likely duplicate listings.

Two listings look like the same organization when they have the same website, the
same phone number, or similar names with points within 0.4 km of each other (or the
same name when either has no point to compare). Names are compared after
normalizing case, accents, punctuation, the spellings of "co-op" and legal suffixes
such as "Inc" and "LLC".

Listings are checked whenever a revision that includes them is saved: a public
suggestion, a spreadsheet import, an admin save, an approved edit. A check is skipped
when nothing it compares has changed since the last one (`DuplicateScan`), so bulk
actions such as "mark verified" cost one query. Small batches ask the database for
candidates; large ones (imports) build one in-memory index of every listing instead.
"""

import hashlib
import logging
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from urllib.parse import urlsplit

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from directory.core.text import confusable_skeleton, resolve_lookalikes
from directory.models import (
    DuplicateReason,
    DuplicateScan,
    Location,
    Organization,
    PossibleDuplicate,
    PossibleDuplicateStatus,
)

logger = logging.getLogger(__name__)

NEARBY_KM = 0.4
KM_PER_DEGREE_LATITUDE = 111.2
SIMILAR_NAME_RATIO = 0.88
# Above this many changed listings in one revision, one in-memory index of all
# listings is cheaper than a few queries per listing.
BULK_THRESHOLD = 200
MAX_NAME_CANDIDATES = 200

_COOP = re.compile(r"\bco[\s\-\u2010\u2011\u2013]?op(?:erative|erativa)?s?\b")
# Letters and digits of any script make words; everything else separates them.
_NOT_WORD = re.compile(r"[\W_]+")
LEGAL_WORDS = frozenset(
    {"inc", "llc", "l3c", "pllc", "lc", "ltd", "limited", "corp", "corporation", "co",
     "company", "incorporated", "the"}
)  # fmt: skip
_PHONE_EXTENSION = re.compile(r"(?:ext\.?|x)\s*\d+\s*$", re.IGNORECASE)


def _without_marks(text: str) -> str:
    return "".join(char for char in text if not unicodedata.combining(char))


def name_words(name: str) -> list[str]:
    """The words that identify a name, with letters of other scripts that imitate ASCII
    read as the ASCII they imitate: "The Takoma Bread Co-op, Inc." gives takoma, bread,
    coop. What stored names are searched for."""
    text = _without_marks(resolve_lookalikes(name)).replace("&", " and ")
    text = _COOP.sub(" coop ", text)
    return [word for word in _NOT_WORD.split(text) if word and word not in LEGAL_WORDS]


def normalize_name(name: str) -> str:
    """The name reduced to what identifies it, as a reader sees it: "The Takoma Bread
    Co-op, Inc." and "takoma bread cooperative" have one key, and so has the same name
    written with a Cyrillic capital Te for its "T", or with a zero-width space inside
    (UTS #39 skeletons)."""
    return " ".join(_without_marks(confusable_skeleton(word)) for word in name_words(name))


def website_key(url: str) -> str:
    """Host (without www.) and path, ignoring scheme, query, fragment and a final
    slash: http://www.example.org/ and https://example.org are the same site."""
    if not url:
        return ""
    parts = urlsplit(url.strip().lower())
    host = (parts.hostname or "").removeprefix("www.")
    if not host:
        return ""
    return host + parts.path.rstrip("/")


def phone_key(phone: str) -> str:
    """The ten digits of a US phone number (no extension, no leading 1), or "" when
    it has too few digits to compare safely."""
    digits = re.sub(r"\D", "", _PHONE_EXTENSION.sub("", phone or ""))
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    return digits if len(digits) == 10 else ""


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance (haversine)."""
    lat1, lng1, lat2, lng2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(h))


@dataclass(frozen=True)
class Identity:
    """What duplicate detection compares about one listing."""

    pk: int | None
    name: str
    website: str = ""
    phone: str = ""
    points: tuple[tuple[float, float], ...] = ()
    name_key: str = field(init=False)
    name_words: tuple[str, ...] = field(init=False)
    website_key: str = field(init=False)
    phone_key: str = field(init=False)

    def __post_init__(self):
        object.__setattr__(self, "name_key", normalize_name(self.name))
        object.__setattr__(self, "name_words", tuple(name_words(self.name)))
        object.__setattr__(self, "website_key", website_key(self.website))
        object.__setattr__(self, "phone_key", phone_key(self.phone))

    @property
    def fingerprint(self) -> str:
        points = sorted((round(lat, 5), round(lng, 5)) for lat, lng in self.points)
        raw = "|".join([self.name_key, self.website_key, self.phone_key, repr(points)])
        return hashlib.sha256(raw.encode()).hexdigest()


@dataclass(frozen=True)
class Match:
    organization_id: int
    reasons: tuple[str, ...]
    distance_km: float | None


def names_similar(a: str, b: str) -> bool:
    if not a or not b:
        return False
    if a == b:
        return True
    words_a, words_b = set(a.split()), set(b.split())
    smaller = min(words_a, words_b, key=len)
    if len(smaller) >= 2 and (words_a <= words_b or words_b <= words_a):
        return True
    return SequenceMatcher(None, a, b).ratio() >= SIMILAR_NAME_RATIO


def compare(a: Identity, b: Identity) -> Match | None:
    """Why `b` looks like a duplicate of `a`, or None."""
    reasons = []
    if a.website_key and a.website_key == b.website_key:
        reasons.append(DuplicateReason.SAME_WEBSITE)
    if a.phone_key and a.phone_key == b.phone_key:
        reasons.append(DuplicateReason.SAME_PHONE)
    nearest = min(
        (distance_km(p, q) for p in a.points for q in b.points),
        default=None,
    )
    if nearest is not None and nearest <= NEARBY_KM and names_similar(a.name_key, b.name_key):
        reasons.append(DuplicateReason.SIMILAR_NAME_NEARBY)
    elif (not a.points or not b.points) and a.name_key and a.name_key == b.name_key:
        reasons.append(DuplicateReason.SAME_NAME)
    if not reasons:
        return None
    return Match(b.pk, tuple(str(reason) for reason in reasons), nearest)


def _bbox(point: tuple[float, float], km: float) -> Q:
    latitude, longitude = point
    lat_span = km / KM_PER_DEGREE_LATITUDE
    lng_span = lat_span / max(math.cos(math.radians(latitude)), 0.01)
    return Q(
        latitude__range=(latitude - lat_span, latitude + lat_span),
        longitude__range=(longitude - lng_span, longitude + lng_span),
    )


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


def _search_words(identity: Identity, *, count: int = 3) -> list[str]:
    """The longest words of a name: a listing with the same name contains each of them,
    so together they narrow the search to a few rows."""
    words = {word for word in identity.name_words if word not in {"coop", "and"} and len(word) >= 3}
    return sorted(words, key=lambda word: (-len(word), word))[:count]


def _candidate_ids(identity: Identity, queryset) -> set[int]:
    """Each rule's candidates from its own small query. On PostgreSQL the substring
    matches use trigram indexes (migration 0004), so none of them scans the table."""
    base = queryset.exclude(pk=identity.pk) if identity.pk else queryset
    ids: set[int] = set()
    if identity.website_key:
        # The key (host and path) appears as-is inside any spelling of the same URL.
        ids |= set(
            base.filter(website__icontains=identity.website_key).values_list("pk", flat=True)[
                :MAX_NAME_CANDIDATES
            ]
        )
    if identity.phone_key:
        ids |= set(
            base.filter(phone__contains=identity.phone_key[-4:]).values_list("pk", flat=True)[
                :MAX_NAME_CANDIDATES
            ]
        )
    if identity.points:
        nearby = Q(pk__in=[])
        for point in identity.points:
            nearby |= _bbox(point, NEARBY_KM)
        located = Location.objects.filter(nearby).values("organization_id")
        ids |= set(base.filter(pk__in=located).values_list("pk", flat=True))
    words = _search_words(identity)
    if words:
        by_name = base
        for word in words:
            by_name = by_name.filter(name__icontains=word)
        if identity.points:
            # With points on this side, the same-name rule only needs listings without.
            by_name = by_name.exclude(
                Exists(Location.objects.filter(organization=OuterRef("pk"), latitude__isnull=False))
            )
        ids |= set(by_name.values_list("pk", flat=True)[:MAX_NAME_CANDIDATES])
    return ids


def find_matches(identity: Identity, *, queryset=None) -> list[Match]:
    """Listings in `queryset` (default: all) that look like `identity`. The database
    is asked for candidates (same website, same last phone digits, a point within
    0.4 km, the name's longest words); the rules are then applied here."""
    queryset = Organization.objects.all() if queryset is None else queryset
    found = Organization.objects.filter(pk__in=_candidate_ids(identity, queryset)).only(
        "name", "website", "phone"
    )
    matches = (compare(identity, other) for other in identities(found))
    return sorted(
        (match for match in matches if match),
        key=lambda match: (match.distance_km is None, match.distance_km or 0),
    )


class _Index:
    """Every listing's identity, keyed for constant-time candidate lookup."""

    CELL_DEGREES = 0.01  # larger than 0.4 km in both directions at this latitude

    def __init__(self, all_identities: list[Identity]):
        self.by_pk = {identity.pk: identity for identity in all_identities}
        self.by_website = defaultdict(set)
        self.by_phone = defaultdict(set)
        self.by_name = defaultdict(set)
        self.by_cell = defaultdict(set)
        for identity in all_identities:
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

    def matches(self, identity: Identity) -> list[Match]:
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
        found = (compare(identity, self.by_pk[pk]) for pk in candidates)
        return [match for match in found if match]


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
        found = {identity.pk: index.matches(identity) for identity in checked}
    else:
        found = {identity.pk: find_matches(identity) for identity in checked}
    pairs = {}
    for pk, matches in found.items():
        for match in matches:
            pairs[tuple(sorted((pk, match.organization_id)))] = match
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
