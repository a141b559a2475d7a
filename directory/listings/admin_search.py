"""The organizers' search in the admin, through the full-text index.

Organizers look for any listing, whatever its status, by the words of its name, type,
sectors, languages, public places or texts, by its slug or a ZIP code
of one of its locations. Django's own admin search (`icontains` on every field, joined
through the locations) reads the whole table for each query; this one asks the index
directory.listings.search_index keeps:

- PostgreSQL: the stored `search_vector` (every listing, whatever its status), each
  word a prefix.
- SQLite: the FTS5 trigram table, which holds published listings only; listings not
  (yet) published are matched with `LIKE` on their name, summary and description. They
  are few next to the published ones.
- Elsewhere, or when the index finds nothing (a word inside another, a hidden location's
  city), the caller falls back to Django's search.
"""

import re

from django.contrib.postgres.search import SearchQuery
from django.db import connections
from django.db.models import Q
from django.db.models.expressions import RawSQL

from directory.listings.search_index import FTS_TABLE, fold_accents, index_available
from directory.models import Location, OrganizationStatus

# FTS5 trigrams need three characters; shorter words are matched with LIKE.
TRIGRAM = 3
ZIP_CODE = re.compile(r"\d{5}(-?\d{4})?")


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", fold_accents(text.lower()))


def index_search(queryset, text: str):
    """The organizations of `queryset` that `text` finds through the index, or None
    when this database has no index to ask."""
    text = text.strip()
    words = _words(text)
    if not words:
        return None
    vendor = connections[queryset.db].vendor
    if vendor == "postgresql":
        by_words = _postgresql_words(words)
    elif vendor == "sqlite" and index_available(connections[queryset.db]):
        by_words = _sqlite_words(words)
    else:
        return None
    # A name's words are all in the index; the slug is not.
    found = by_words | Q(slug=text.lower())
    if ZIP_CODE.fullmatch(text):
        located = Location.objects.filter(zip_code__startswith=text[:5])
        found |= Q(pk__in=located.values("organization_id"))
    return queryset.filter(found)


def _postgresql_words(words: list[str]) -> Q:
    # Words are \w+ only, so the raw tsquery can be neither malformed nor injected into.
    query = " & ".join(f"{word}:*" for word in words)
    return Q(search_vector=SearchQuery(query, config="english", search_type="raw"))


def _sqlite_words(words: list[str]) -> Q:
    long_words = [word for word in words if len(word) >= TRIGRAM]
    published = Q(status=OrganizationStatus.PUBLISHED)
    if long_words:
        expression = " AND ".join('"' + word + '"' for word in long_words)
        published &= Q(
            # Constant table name; the MATCH expression is a parameter.
            pk__in=RawSQL(  # noqa: S611
                f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s",  # noqa: S608
                [expression],
            )
        )
    # Short words (and every word of a listing the index does not hold) by LIKE on the
    # listing's own texts.
    not_published = ~Q(status=OrganizationStatus.PUBLISHED)
    for word in words:
        in_texts = (
            Q(name__icontains=word) | Q(summary__icontains=word) | Q(description__icontains=word)
        )
        not_published &= in_texts
        if len(word) < TRIGRAM:
            published &= in_texts
    return published | not_published
