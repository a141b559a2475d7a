"""Text search over organizations, as forgiving on SQLite as on PostgreSQL.

A query is read into terms (directory.browse.vocabulary: synonyms, language names, co-op
spellings, accents folded); every term must match one of its alternatives somewhere in
what the search index holds of a listing (directory.listings.search_index: name, type,
sectors, languages, public cities and counties, summary, description, how to join,
eligibility).

- PostgreSQL: the stored full-text vector (English stemming, every word a prefix, GIN
  index), ranked by ts_rank.
- SQLite: the FTS5 trigram table, so any part of a word matches ("operat" finds
  "cooperative"); ranked by how many terms the name holds. Without FTS5 trigrams, LIKE
  on the same fields.

When no published listing matches, the query is corrected word by word against the
directory's vocabulary: a close correction (one edit; two in long words) is searched at
once and reported as `corrected_from`; a farther one that would find listings is only
offered as `suggestion`. On PostgreSQL, when even that finds nothing, the names nearest
to the query by trigram word distance are listed (GiST index). Results carry
`search_rank` for "best match" order when at most RANKED_MATCHES listings match; a
broader query (every co-op, every listing in Spanish) is listed by name.
"""

import re
from dataclasses import dataclass

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    TrigramWordDistance,
    TrigramWordSimilarity,
)
from django.db import connections
from django.db.models import BooleanField, Case, Exists, F, FloatField, OuterRef, Q, Value, When
from django.db.models.expressions import RawSQL

from directory.browse import vocabulary
from directory.listings import privacy, search_index
from directory.listings.search_index import FTS_COLUMNS, FTS_TABLE, index_available
from directory.models import Location, Organization

# A misspelled query lists at most this many of the closest names (PostgreSQL).
MAX_FUZZY_MATCHES = 50
# A query matching more listings than this lists them by name, not by rank.
RANKED_MATCHES = 1000
# FTS5 trigrams match three characters or more; shorter words are matched with LIKE.
TRIGRAM = 3

Terms = list[tuple[str, ...]]


@dataclass(frozen=True)
class SearchOutcome:
    """What a search did: the text it searched for, the text typed when it corrected
    it, and a correction it only suggests."""

    query: str
    corrected_from: str = ""
    suggestion: str = ""


def search_terms(query: str) -> Terms:
    return vocabulary.parse_query(query)


def search_organizations(queryset, query: str):
    """(matching organizations, annotated with search_rank unless more than
    RANKED_MATCHES match; SearchOutcome)."""
    terms = search_terms(query)
    if not terms:
        return queryset, None
    backend = _backend(queryset.db)
    found = backend.matching(queryset, terms)
    matches = _count_up_to_ranked(found)
    if matches:
        return _ranked(backend, found, terms, matches), SearchOutcome(query)
    suggestion = ""
    correction = vocabulary.correct(query, vocabulary.vocabulary_for(queryset.db))
    if correction is not None:
        corrected_terms = search_terms(correction.text)
        corrected = backend.matching(queryset, corrected_terms)
        matches = _count_up_to_ranked(corrected)
        if matches:
            if correction.confident:
                return _ranked(backend, corrected, corrected_terms, matches), SearchOutcome(
                    correction.text, corrected_from=query
                )
            suggestion = correction.text
    return backend.nearest(queryset, query, found, terms), SearchOutcome(
        query, suggestion=suggestion
    )


def _count_up_to_ranked(found) -> int:
    """How many listings match, counted no further than one past RANKED_MATCHES: the
    database stops reading there, so a broad query costs no more than a narrow one."""
    return found.order_by()[: RANKED_MATCHES + 1].count()


def _ranked(backend, found, terms: Terms, matches: int):
    # Ranking reads every match's indexed text (its stored vector on PostgreSQL, its name
    # on SQLite) before the first page can be listed: tens of thousands for a broad
    # query. Past RANKED_MATCHES the list is A-Z instead, which an index serves page by
    # page.
    return backend.ranked(found, terms) if matches <= RANKED_MATCHES else found


def _backend(using: str):
    connection = connections[using]
    if connection.vendor == "postgresql":
        return FullTextSearch
    if connection.vendor == "sqlite" and index_available(connection):
        return TrigramIndexSearch
    return PortableSearch


class FullTextSearch:
    """PostgreSQL: the stored vector (migrations 0004_search, 0023_search_everywhere)."""

    @staticmethod
    def _text_query(terms: Terms) -> SearchQuery:
        # Words are \w+ only, so the raw tsquery cannot be malformed or injected into. A
        # word as typed may be unfinished: it matches as a prefix. A synonym group's
        # spellings are whole words, and a phrase's words need not be adjacent: a
        # phrase (<->) or a short prefix ("cu:*") would make PostgreSQL re-read every
        # candidate row.
        clauses = []
        for alternatives in terms:
            suffix = ":*" if len(alternatives) == 1 else ""
            options = []
            for alternative in alternatives:
                words = vocabulary.WORD.findall(alternative)
                if words:
                    options.append("(" + " & ".join(f"{word}{suffix}" for word in words) + ")")
            clauses.append("(" + " | ".join(options) + ")")
        return SearchQuery(" & ".join(clauses), config="english", search_type="raw")

    @classmethod
    def matching(cls, queryset, terms: Terms):
        return queryset.filter(search_vector=cls._text_query(terms))

    @classmethod
    def ranked(cls, queryset, terms: Terms):
        return queryset.annotate(search_rank=SearchRank(F("search_vector"), cls._text_query(terms)))

    @staticmethod
    def nearest(queryset, query: str, found, terms: Terms):
        # Nothing matched and nothing near enough in the vocabulary: the names nearest to
        # what was typed, by trigram word similarity, through the GiST index in distance
        # order. Read once here, not as a subquery: the page and the count would each
        # repeat the trigram search, which is the slow part.
        typed = " ".join(re.findall(r"\w+", query.lower()))
        nearest = list(
            queryset.filter(name__trigram_word_similar=typed)
            .annotate(name_distance=TrigramWordDistance(typed, "name"))
            .order_by("name_distance")
            .values_list("pk", flat=True)[:MAX_FUZZY_MATCHES]
        )
        # An empty IN list cannot be written as SQL (Django raises EmptyResultSet), and
        # the CSV export compiles this query itself: nothing near is a false condition.
        matched = Q(pk__in=nearest) if nearest else Q(Value(False, output_field=BooleanField()))
        return queryset.filter(matched).annotate(search_rank=TrigramWordSimilarity(typed, "name"))


def _fts_string(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


class TrigramIndexSearch:
    """SQLite: the FTS5 trigram table (migration 0023_search_everywhere)."""

    @staticmethod
    def _conditions(terms: Terms) -> tuple[str, list[str]]:
        """(FTS5 MATCH expression, LIKE patterns for terms too short for trigrams)."""
        clauses, short = [], []
        for alternatives in terms:
            alternatives = vocabulary.as_written(alternatives)
            long_enough = [text for text in alternatives if len(text) >= TRIGRAM]
            if long_enough:
                clauses.append("(" + " OR ".join(map(_fts_string, long_enough)) + ")")
            else:
                short.append(alternatives[0])
        return " AND ".join(clauses), short

    @classmethod
    def matching(cls, queryset, terms: Terms):
        expression, short = cls._conditions(terms)
        if expression:
            queryset = queryset.filter(
                # Constant table name; the MATCH expression is a parameter.
                pk__in=RawSQL(  # noqa: S611
                    f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s",  # noqa: S608
                    [expression],
                )
            )
        for text in short:
            pattern = f"%{text}%"
            any_column = " OR ".join(f"{column} LIKE %s" for column in FTS_COLUMNS)
            queryset = queryset.filter(
                pk__in=RawSQL(  # noqa: S611 (constant names; the pattern is a parameter)
                    f"SELECT rowid FROM {FTS_TABLE} WHERE {any_column}",  # noqa: S608
                    [pattern] * len(FTS_COLUMNS),
                )
            )
        return queryset

    @staticmethod
    def ranked(queryset, terms: Terms):
        return queryset.annotate(search_rank=name_rank(terms))

    @staticmethod
    def nearest(queryset, query: str, found, terms: Terms):
        return found


def name_rank(terms: Terms):
    """Best match first without a second pass over the index: each term found in the name
    counts one, a name that starts with the first term one more. (bm25() would need the
    FTS table joined; as a subquery per row it costs a MATCH per matching listing, seconds
    for a broad query.)"""
    rank = Value(0.0, output_field=FloatField())
    for alternatives in terms:
        in_name = Q()
        for text in vocabulary.as_written(alternatives):
            in_name |= Q(name__icontains=text)
        rank = rank + Case(When(in_name, then=Value(1.0)), default=Value(0.0))
    first = Q()
    for text in vocabulary.as_written(terms[0]):
        first |= Q(name__istartswith=text)
    return rank + Case(When(first, then=Value(1.0)), default=Value(0.0))


# Translated fields named with their column suffix: the model-translation manager would
# otherwise read only the page language's column of `summary` or `type__name`.
TRANSLATED_LOOKUPS = (
    "summary",
    "how_to_join",
    "eligibility",
    "type__name",
    "type__plural",
)


def _in_any_language(lookups, text: str) -> Q:
    condition = Q()
    for lookup in lookups:
        for suffix in search_index.SUFFIXES:
            condition |= Q(**{f"{lookup}_{suffix}__icontains": text})
    return condition


class PortableSearch:
    """Any other database, or SQLite without FTS5 trigrams: LIKE on the same fields."""

    @staticmethod
    def _term_condition(alternatives: tuple[str, ...]) -> Q:
        condition = Q()
        for text in vocabulary.as_written(alternatives):
            condition |= (
                Q(name__icontains=text)
                | Q(description__icontains=text)
                | _in_any_language(TRANSLATED_LOOKUPS, text)
                | Exists(
                    Organization.sectors.through.objects.filter(
                        _in_any_language(("sector__name",), text), organization=OuterRef("pk")
                    )
                )
                | Exists(
                    Organization.languages.through.objects.filter(
                        _in_any_language(("language__name",), text), organization=OuterRef("pk")
                    )
                )
                | Exists(
                    Location.objects.filter(
                        privacy.searchable_place(),
                        Q(city__icontains=text) | Q(jurisdiction__name__icontains=text),
                        organization=OuterRef("pk"),
                    )
                )
            )
        return condition

    @classmethod
    def matching(cls, queryset, terms: Terms):
        for alternatives in terms:
            queryset = queryset.filter(cls._term_condition(alternatives))
        return queryset

    @staticmethod
    def ranked(queryset, terms: Terms):
        return queryset.annotate(search_rank=name_rank(terms))

    @staticmethod
    def nearest(queryset, query: str, found, terms: Terms):
        return found
