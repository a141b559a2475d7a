"""Text search over organizations.

Portable: every word must appear in the name, summary, description, type or a
location's city. Spellings of "co-op" are treated alike.
"""

import re

from django.db.models import Exists, OuterRef, Q

from directory.models import Location

MAX_TERMS = 8
COOP_SPELLINGS = {"coop", "co-op", "cooperative", "co-operative", "coops", "co-ops", "cooperatives"}


def search_terms(query: str) -> list[str]:
    words = re.findall(r"[\w'-]+", query.lower())
    return [word.strip("-'") for word in words if word.strip("-'")][:MAX_TERMS]


def _term_condition(term: str) -> Q:
    if term in COOP_SPELLINGS:
        variants = ["coop", "co-op", "cooperative", "co-operative"]
    else:
        variants = [term]
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


def search_organizations(queryset, query: str):
    for term in search_terms(query):
        queryset = queryset.filter(_term_condition(term))
    return queryset
