"""When two listings look like the same organization: the rules, and the candidate
search they share.

Two listings look alike when they have the same website, the same phone number, or
similar names with points within 0.4 km of each other (or the same name when either
has no point to compare). Names are compared after normalizing case, accents,
punctuation, the spellings of "co-op" and legal suffixes such as "Inc" and "LLC", and
as a reader sees them: letters of other scripts that look like Latin ones, and
invisible characters, change nothing (UTS #39 confusable skeletons).

Which points are compared is the caller's business: organizers' duplicate flags compare
the stored points (directory.contributions.duplicates); the public "is it one of
these?" check compares only public points (directory.contributions.lookalikes).
"""

import hashlib
import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from urllib.parse import urlsplit

from django.db.models import Q

from directory.core.text import confusable_skeleton, resolve_lookalikes
from directory.models import DuplicateReason

NEARBY_KM = 0.4
KM_PER_DEGREE_LATITUDE = 111.2
SIMILAR_NAME_RATIO = 0.88
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
    # The two quick ratios are upper bounds of ratio(): most pairs are told apart by them
    # without the full comparison (an import compares each row with its neighbours).
    matcher = SequenceMatcher(None, a, b)
    return (
        matcher.real_quick_ratio() >= SIMILAR_NAME_RATIO
        and matcher.quick_ratio() >= SIMILAR_NAME_RATIO
        and matcher.ratio() >= SIMILAR_NAME_RATIO
    )


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


def box_around(point: tuple[float, float], km: float) -> tuple[float, float, float, float]:
    """(west, south, east, north) of a box reaching `km` from the point each way."""
    lat, lng = point
    lat_span = km / KM_PER_DEGREE_LATITUDE
    lng_span = lat_span / max(math.cos(math.radians(lat)), 0.01)
    return (lng - lng_span, lat - lat_span, lng + lng_span, lat + lat_span)


def _search_words(identity: Identity, *, count: int = 3) -> list[str]:
    """The longest words of a name: a listing with the same name contains each of them,
    so together they narrow the search to a few rows."""
    words = {word for word in identity.name_words if word not in {"coop", "and"} and len(word) >= 3}
    return sorted(words, key=lambda word: (-len(word), word))[:count]


def candidate_ids(
    identity: Identity,
    queryset,
    *,
    near: Callable[[tuple[float, float, float, float]], object],
    located: Q,
) -> set[int]:
    """Each rule's candidates from its own small query. `near(box)` gives the ids of
    organizations with a compared point in the box (west, south, east, north);
    `located` is the condition for organizations that have a compared point. On
    PostgreSQL the substring matches use trigram indexes (migration 0004), so none of
    them scans the table."""
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
    for point in identity.points:
        ids |= set(
            base.filter(pk__in=near(box_around(point, NEARBY_KM))).values_list("pk", flat=True)
        )
    words = _search_words(identity)
    if words:
        by_name = base
        for word in words:
            by_name = by_name.filter(name__icontains=word)
        if identity.points:
            # With points on this side, the same-name rule only needs listings without.
            by_name = by_name.exclude(located)
        ids |= set(by_name.values_list("pk", flat=True)[:MAX_NAME_CANDIDATES])
    return ids


def sorted_matches(matches) -> list[Match]:
    """Matches that hold, nearest first, those without a distance last."""
    return sorted(
        (match for match in matches if match),
        key=lambda match: (match.distance_km is None, match.distance_km or 0),
    )
