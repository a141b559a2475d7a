"""Match: each row to the listing it is about, in a few queries for the whole file.

- a slug of a listing: that listing;
- a slug that now redirects (the listing was merged into another): nothing is updated,
  and the row says which listing it became;
- no slug: the one listing with this very name (so a retried upload finds what the
  first one created); else a new listing, with a slug no other listing or row holds.
"""

from dataclasses import dataclass

from django.db.models.functions import Lower
from django.utils.text import slugify

from directory.listings import slugs
from directory.listings.imports.normalize import CleanRow
from directory.models import Organization, SlugRedirect


@dataclass
class Match:
    organization: Organization | None = None
    merged_into: SlugRedirect | None = None
    new_slug: str = ""
    by_name: bool = False
    unknown_slug: bool = False
    ambiguous: int = 0


def _listings(lock: bool):
    """Listings as a row compares with them. Locked (until the transaction ends) when
    the rows are written next: a colleague's save, which locks the listing too, waits
    instead of being written over by the values read here."""
    queryset = Organization.objects.select_related("type").prefetch_related(
        "languages", "sectors", "service_area", "locations"
    )
    return queryset.select_for_update(of=("self",)).order_by("pk") if lock else queryset


def _existing(slugs_wanted, lock: bool) -> dict[str, Organization]:
    return {
        organization.slug: organization
        for organization in _listings(lock).filter(slug__in=slugs_wanted)
    }


def _by_name(names, exclude, lock: bool) -> dict[str, list[Organization]]:
    found: dict[str, list[Organization]] = {}
    queryset = (
        _listings(lock)
        .annotate(folded=Lower("name"))
        .filter(folded__in=names)
        .exclude(pk__in=exclude)
    )
    for organization in queryset:
        found.setdefault(organization.name.casefold(), []).append(organization)
    return found


def _allocator(new_rows: int):
    """slugs.available_slug costs two queries a row; for a large file, read every slug
    in use once and allocate in memory with the same rule."""
    if new_rows < 50:
        return lambda name, taken: slugs.available_slug(name, reserved=taken)
    in_use = set(Organization.objects.values_list("slug", flat=True))
    in_use |= set(SlugRedirect.objects.values_list("old_slug", flat=True))

    def allocate(name, taken):
        base = slugify(name)[: slugs.MAX_BASE_LENGTH].strip("-") or "organization"
        slug, counter = base, 2
        while slug in in_use or slug in taken:
            slug = f"{base}-{counter}"
            counter += 1
        return slug

    return allocate


def match(rows: list[CleanRow], *, not_by_name=(), lock: bool = False) -> dict[int, Match]:
    """`not_by_name`: listings a row without a slug must not be matched to by its name
    (those an import job created from earlier rows of the same file); `lock`: lock the
    listings found until the transaction ends (the rows are written in it)."""
    given = {row.number: row.values.get("slug", "") for row in rows}
    names = {
        row.number: (row.values.get("name") or "").casefold()
        for row in rows
        if not given[row.number] and row.values.get("name")
    }
    found = _existing(set(given.values()) - {""}, lock)
    named = _by_name({name.lower() for name in names.values()}, not_by_name, lock)
    missing = {slug for slug in given.values() if slug and slug not in found}
    redirects = {
        redirect.old_slug: redirect
        for redirect in SlugRedirect.objects.filter(old_slug__in=missing).select_related(
            "organization"
        )
    }
    taken: set[str] = set()
    allocate = _allocator(sum(1 for number in names if not named.get(names[number])))
    matches = {}
    for row in rows:
        slug = given[row.number]
        candidates = named.get(names.get(row.number, ""), [])
        if slug in found:
            matches[row.number] = Match(organization=found[slug])
        elif slug in redirects:
            matches[row.number] = Match(merged_into=redirects[slug])
        elif slug:
            matches[row.number] = Match(new_slug=slug, unknown_slug=True)
        elif len(candidates) == 1:
            matches[row.number] = Match(organization=candidates[0], by_name=True)
        elif candidates:
            matches[row.number] = Match(ambiguous=len(candidates))
        else:
            new_slug = allocate(row.values.get("name") or "", taken)
            matches[row.number] = Match(new_slug=new_slug)
        taken.add(matches[row.number].new_slug or slug)
    return matches
