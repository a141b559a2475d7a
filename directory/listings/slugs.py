"""Listing addresses: how a slug is chosen, and where an old address leads.

A slug is the end of a listing's public address. Once used it stays taken: by the
listing, or by the listing a merged one redirects to (SlugRedirect), so a new or
imported listing can never take over an address that partners and bookmarks still use.
"""

from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from directory.models import Organization, OrganizationStatus, SlugRedirect

MAX_BASE_LENGTH = 180


def available_slug(name: str, *, exclude_pk: int | None = None, reserved=()) -> str:
    """A slug for `name` that no other listing and no old, redirected address uses, nor
    any of `reserved` (slugs already handed out in the same batch)."""
    base = slugify(name)[:MAX_BASE_LENGTH].strip("-") or "organization"
    taken = set(
        Organization.objects.filter(slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    taken |= set(
        SlugRedirect.objects.filter(old_slug__startswith=base).values_list("old_slug", flat=True)
    )
    taken |= set(reserved)
    slug, counter = base, 2
    while slug in taken:
        slug = f"{base}-{counter}"
        counter += 1
    return slug


def is_redirected(slug: str) -> bool:
    """Whether `slug` is an old address that redirects to another listing."""
    return SlugRedirect.objects.filter(old_slug=slug).exists()


def merged_into(slug: str) -> Organization | None:
    """The published listing a merged listing's old slug now stands for."""
    found = (
        SlugRedirect.objects.filter(
            old_slug=slug, organization__status=OrganizationStatus.PUBLISHED
        )
        .select_related("organization")
        .first()
    )
    return found.organization if found else None


def redirect_for_slug(slug: str) -> HttpResponsePermanentRedirect:
    """A 301 from a merged listing's old address to the listing it became, for the
    public detail view to fall back on; Http404 when there is none."""
    survivor = merged_into(slug)
    if survivor is None:
        raise Http404(_("No organization found."))
    return HttpResponsePermanentRedirect(survivor.get_absolute_url())


def published_or_redirect(slug: str, view_name: str):
    """(the published listing, None), or (None, a 301 to the listing a merged slug
    became, on the page `view_name`); Http404 when neither exists."""
    organization = Organization.objects.published().select_related("type").filter(slug=slug).first()
    if organization is not None:
        return organization, None
    survivor = merged_into(slug)
    if survivor is None:
        raise Http404
    return None, redirect(reverse(view_name, kwargs={"slug": survivor.slug}), permanent=True)
