"""Text search over organizations.

PostgreSQL: every word (as a prefix, stemmed) must match the stored full-text vector
(name above type and city above summary and description; see migration 0004_search).
When no listing matches every word, the query is compared with names by trigram word
similarity instead, so a misspelled name still finds it. Both use GIN indexes. Results
carry `search_rank` for "best match" order.

Other databases (SQLite in development): every word must appear in the name, summary,
description, type or a location's city. No typo tolerance.

Both treat the spellings of "co-op" (coop, co-op, cooperative, co-operatives, ...) alike.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db import connections
from django.db.models import Exists, F, OuterRef, Q

from directory.models import Location

MAX_TERMS = 8
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
    # Terms are \w+ only, so the raw tsquery cannot be malformed or injected into.
    text_query = SearchQuery(
        " & ".join(f"{term}:*" for term in terms), config="english", search_type="raw"
    )
    matches = queryset.filter(search_vector=text_query)
    if matches.exists():
        return matches.annotate(search_rank=SearchRank(F("search_vector"), text_query))
    # No listing has every word: likely a misspelling, so compare what was typed
    # (unfolded: "cooperativ" is close to "Cooperative") with names by trigrams.
    typed = " ".join(re.findall(r"\w+", query.lower()))
    return queryset.filter(name__trigram_word_similar=typed).annotate(
        search_rank=TrigramWordSimilarity(typed, "name")
    )


def _term_condition(term: str) -> Q:
    variants = PORTABLE_COOP_VARIANTS if term == "coop" else [term]
    condition = Q()
    for variant in variants:
        condition |= (
            Q(name__icontains=variant)
            | Q(summary__icontains=variant)
            | Q(description__icontains=variant)
            | Q(type__name__icontains=variant)
            | Exists(Location.objects.filter(organization=OuterRef("pk"), city__icontains=variant))
        )
    return condition


def _portable_search(queryset, terms: list[str]):
    for term in terms:
        queryset = queryset.filter(_term_condition(term))
    return queryset
