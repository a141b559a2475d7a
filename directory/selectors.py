"""Reads: the filtered, published organizations every public surface shows."""

from django.http import QueryDict

from directory.filters import OrganizationFilterSet
from directory.models import Organization


class InvalidFilters(Exception):
    """The query string has parameters that cannot be applied."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


def public_filterset(params: QueryDict, *, queryset=None) -> OrganizationFilterSet:
    """The shared FilterSet over published organizations. Raises InvalidFilters with
    readable messages when a parameter is malformed."""
    base = Organization.objects.published() if queryset is None else queryset.published()
    filterset = OrganizationFilterSet(params, queryset=base)
    if not filterset.is_valid():
        raise InvalidFilters(filterset.error_messages())
    return filterset


def filter_organizations(params: QueryDict, *, queryset=None):
    """Published organizations matching the query string's filters, in the requested order."""
    return public_filterset(params, queryset=queryset).qs
