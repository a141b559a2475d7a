"""Reads: the filtered, published organizations every public surface shows."""

from django.db.models import Count
from django.http import QueryDict

from directory.browse.filters import OrganizationFilterSet
from directory.core.errors import InvalidParameters
from directory.models import Organization


def public_filterset(params: QueryDict, *, queryset=None) -> OrganizationFilterSet:
    """The shared FilterSet over published organizations. Raises InvalidParameters with
    readable messages when a parameter is malformed."""
    base = Organization.objects.published() if queryset is None else queryset.published()
    filterset = OrganizationFilterSet(params, queryset=base)
    if not filterset.is_valid():
        raise InvalidParameters(filterset.error_messages())
    return filterset


def applied_filters(filterset: OrganizationFilterSet) -> dict[str, str | list[str]]:
    """The filter values a bound filterset actually uses, in one canonical form: what a
    response depends on, for cache keys. Parameters that are not filters and empty ones
    are left out; a repeatable filter's values are a sorted set; a single-valued filter
    keeps the value it reads (the last, when repeated)."""
    applied = {}
    for field in filterset.form:
        value = field.data
        if isinstance(value, list | tuple):
            value = sorted({str(item) for item in value if item not in (None, "")})
        if value not in (None, "", []):
            applied[field.name] = value
    return applied


def filter_organizations(params: QueryDict, *, queryset=None):
    """Published organizations matching the query string's filters, in the requested order."""
    return public_filterset(params, queryset=queryset).qs


def type_counts(params: QueryDict, *, queryset=None) -> dict[str, int]:
    """How many organizations of each type match the other filters, so each type's
    checkbox can say what ticking it would add. Raises InvalidParameters like the others."""
    others = params.copy()
    for name in ("type", "sort", "page"):
        others.pop(name, None)
    rows = (
        filter_organizations(others, queryset=queryset)
        .order_by()
        .values("type__slug")
        .annotate(count=Count("pk"))
    )
    return {row["type__slug"]: row["count"] for row in rows}
