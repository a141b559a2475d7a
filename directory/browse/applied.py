"""The filters a visitor applied, each with a link that removes it.

Shown as chips above the results, counted on the phone's Filters button, and offered
as "clear a filter" and "widen the radius" actions when nothing matches. Names come
from the reference tables; only the tables a parameter names are read.
"""

from dataclasses import dataclass

from django.http import QueryDict
from django.utils.translation import gettext as _

from directory.core.region import State
from directory.models import AcceptingMembers, Jurisdiction, Language, OrganizationType, Sector

# Parameters that are not filters a visitor set: never chips.
NOT_CHIPS = ("page", "sort", "radius")
RADIUS_STEPS = (1, 5, 10, 25, 50, 100)


@dataclass(frozen=True)
class AppliedFilter:
    name: str
    label: str
    remove_query: str


def _without(params: QueryDict, name: str, value: str) -> str:
    """The query string without one value of one parameter (and without the page)."""
    remaining = params.copy()
    remaining.pop("page", None)
    values = [item for item in remaining.getlist(name) if item != value]
    if values:
        remaining.setlist(name, values)
    else:
        remaining.pop(name, None)
    if name == "near":
        remaining.pop("radius", None)
    return remaining.urlencode()


def _names(model, field: str, values: list[str]) -> dict[str, str]:
    return {
        str(getattr(row, field)): str(row)
        for row in model.objects.filter(**{f"{field}__in": values})
    }


def applied_filters(params: QueryDict, *, fixed_type=None) -> list[AppliedFilter]:
    """Each non-empty filter value in the query string, labelled for people."""
    lookups = {
        "type": lambda values: _names(OrganizationType, "slug", values),
        "jurisdiction": lambda values: _names(Jurisdiction, "fips", values),
        "serves": lambda values: _names(Jurisdiction, "fips", values),
        "sector": lambda values: _names(Sector, "slug", values),
        "language": lambda values: _names(Language, "code", values),
        "state": lambda values: dict(State.choices),
        "accepting": lambda values: dict(AcceptingMembers.choices),
    }
    templates = {
        "q": _("Search: “%(value)s”"),
        "jurisdiction": _("In %(value)s"),
        "serves": _("Serves %(value)s"),
        "accepting": _("Accepting new members: %(value)s"),
        "bbox": _("Map area"),
        "near": _("Within %(radius)s miles of %(value)s"),
    }
    chips = []
    for name in params:
        if name in NOT_CHIPS or (name == "type" and fixed_type is not None):
            continue
        values = [value.strip() for value in params.getlist(name) if value.strip()]
        if not values:
            continue
        known = lookups[name](values) if name in lookups else {}
        for value in dict.fromkeys(values):
            shown = known.get(value, value)[:80]
            template = templates.get(name, "%(value)s")
            label = template % {"value": shown, "radius": params.get("radius") or "25"}
            chips.append(AppliedFilter(name, label, _without(params, name, value)))
    return chips


def wider_radius(params: QueryDict) -> tuple[int, str] | None:
    """(miles, query string) for the next wider radius around the same place, or None."""
    if not params.get("near", "").strip():
        return None
    try:
        current = float(params.get("radius") or 25)
    except ValueError:
        return None
    wider = next((step for step in RADIUS_STEPS if step > current), None)
    if wider is None:
        return None
    changed = params.copy()
    changed.pop("page", None)
    changed["radius"] = str(wider)
    return wider, changed.urlencode()
