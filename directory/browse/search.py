"""Text search over organizations.

PostgreSQL: every word (stemmed; the last one as a prefix) must match the stored
full-text vector (name above type and city above summary and description; see
migration 0004_search; GIN index). When no listing matches every word, the closest
names by trigram word similarity are listed instead (GiST index), so a misspelled name
still finds it. Results carry `search_rank` for "best match" order.

Other databases (SQLite in development): every word must appear in the name, summary,
description, type or a location's city. No typo tolerance.

Both search the listing's translated texts and its type's and sectors' names in every
shipped language (migration 0022_search_translations), whatever the page's language.

Both treat the spellings of "co-op" (coop, co-op, cooperative, co-operatives, ...) alike.
"""

import re

from django.conf import settings
from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    TrigramWordDistance,
    TrigramWordSimilarity,
)
from django.db import connections
from django.db.models import BooleanField, Exists, F, OuterRef, Q, Value

from directory.models import Location, Sector

# Translated columns, named in full: the model-translation manager would otherwise read
# only the page language's column of `summary` or `type__name`.
_LANGUAGE_SUFFIXES = [code.replace("-", "_") for code in settings.MODELTRANSLATION_LANGUAGES]
_TRANSLATED_LOOKUPS = [
    f"{field}_{suffix}"
    for field in ("summary", "how_to_join", "eligibility", "type__name", "type__plural")
    for suffix in _LANGUAGE_SUFFIXES
]

MAX_TERMS = 8
# A misspelled query lists at most this many of the closest names.
MAX_FUZZY_MATCHES = 50
COOP_PATTERN = re.compile(r"\bco-?op(?:erative)?s?\b", re.IGNORECASE)
PORTABLE_COOP_VARIANTS = ["coop", "co-op", "cooperative", "co-operative"]


def search_terms(query: str) -> list[str]:
    """The words to match: lower case, co-op spellings folded to "coop", punctuation
    dropped (so nothing a person types can reach the query syntax), at most MAX_TERMS."""
    folded = COOP_PATTERN.sub("coop", query.lower())
    return [word for word in re.findall(r"\w+", folded) if len(word) > 1][:MAX_TERMS]


def search_organizations(queryset, query: str):
    terms = search_terms(query)
    if not terms:
        return queryset
    if connections[queryset.db].vendor == "postgresql":
        return _full_text_search(queryset, query, terms)
    return _portable_search(queryset, terms)


def _full_text_search(queryset, query: str, terms: list[str]):
    # Terms are \w+ only, so the raw tsquery cannot be malformed or injected into. The
    # last word may be unfinished (typing as you go): it matches as a prefix.
    text_query = SearchQuery(
        " & ".join([*terms[:-1], f"{terms[-1]}:*"]), config="english", search_type="raw"
    )
    matches = queryset.filter(search_vector=text_query)
    if matches.exists():
        return matches.annotate(search_rank=SearchRank(F("search_vector"), text_query))
    # No listing has every word: likely a misspelling. The names nearest to what was
    # typed (unfolded: "cooperativ" is close to "Cooperative"), by trigram word
    # similarity, found through the GiST index in distance order.
    typed = " ".join(re.findall(r"\w+", query.lower()))
    # Read once here, not as a subquery: the page and the count would each repeat the
    # trigram search, which is the slow part (tens of ms at 100,000 listings).
    nearest = list(
        queryset.filter(name__trigram_word_similar=typed)
        .annotate(name_distance=TrigramWordDistance(typed, "name"))
        .order_by("name_distance")
        .values_list("pk", flat=True)[:MAX_FUZZY_MATCHES]
    )
    # An empty IN list cannot be written as SQL (Django raises EmptyResultSet), and the
    # CSV export compiles this query itself: nothing near is a plain false condition.
    found = Q(pk__in=nearest) if nearest else Q(Value(False, output_field=BooleanField()))
    return queryset.filter(found).annotate(search_rank=TrigramWordSimilarity(typed, "name"))


def _term_condition(term: str) -> Q:
    variants = PORTABLE_COOP_VARIANTS if term == "coop" else [term]
    condition = Q()
    for variant in variants:
        condition |= (
            Q(name__icontains=variant)
            | Q(description__icontains=variant)
            | Exists(Location.objects.filter(organization=OuterRef("pk"), city__icontains=variant))
            | Exists(
                Sector.objects.filter(_any_language("name", variant), organizations=OuterRef("pk"))
            )
        )
        for lookup in _TRANSLATED_LOOKUPS:
            condition |= Q(**{f"{lookup}__icontains": variant})
    return condition


def _any_language(field: str, variant: str) -> Q:
    condition = Q()
    for suffix in _LANGUAGE_SUFFIXES:
        condition |= Q(**{f"{field}_{suffix}__icontains": variant})
    return condition


def _portable_search(queryset, terms: list[str]):
    for term in terms:
        queryset = queryset.filter(_term_condition(term))
    return queryset
