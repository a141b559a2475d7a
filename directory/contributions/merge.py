"""Merging two listings that are one organization into one.

The survivor keeps its own values; the other listing's locations, links, languages,
sectors, service area, suggestions and verification requests move to it, its empty
fields are filled from the other, the other's address redirects (301) to it, and the
other is deleted (recoverable from the history).
"""

import logging
from dataclasses import dataclass

import reversion
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.listings import schema
from directory.models import (
    ChangeRequest,
    ChangeRequestKind,
    ChangeRequestStatus,
    Organization,
    PossibleDuplicate,
    SlugRedirect,
    SocialLink,
)

logger = logging.getLogger(__name__)

# Fields copied from the merged listing when the survivor has none: its public fields
# (but the survivor's name and type) and the internal contact.
FILLABLE_ON_MERGE = [
    *(
        name
        for name in schema.scalar_names(proposable=True)
        if schema.field(name).kind != schema.TYPE and name != "name"
    ),
    "internal_contact_name",
    "internal_contact_email",
    "internal_contact_phone",
]


@dataclass(frozen=True)
class MergeSummary:
    survivor: Organization
    locations: int
    links: int
    suggestions: int
    redirect: SlugRedirect


def merge(
    *, duplicate: Organization, survivor: Organization, user: AbstractBaseUser
) -> MergeSummary:
    """Fold `duplicate` into `survivor`: its locations, links, languages, sectors,
    service area, suggestions and verification requests move over; fields the survivor
    lacks are filled from it; its address redirects (301) to the survivor; then it is
    deleted. Its last state stays recoverable from the history."""
    if duplicate.pk == survivor.pk:
        raise ValidationError(_("Choose two different listings to merge."))
    with transaction.atomic():
        locked = {
            organization.pk: organization
            for organization in Organization.objects.select_for_update().filter(
                pk__in=[duplicate.pk, survivor.pk]
            )
        }
        if len(locked) != 2:
            raise ValidationError(_("One of these listings no longer exists."))
        duplicate, survivor = locked[duplicate.pk], locked[survivor.pk]
        with reversion.create_revision(atomic=False):
            reversion.set_user(user)
            reversion.set_comment(
                _("Last version before it was merged into “%(name)s”") % {"name": survivor}
            )
            reversion.add_to_revision(duplicate)

        with reversion.create_revision(atomic=False):
            reversion.set_user(user)
            moved_locations = duplicate.locations.count()
            if survivor.locations.filter(is_primary=True).exists():
                duplicate.locations.update(is_primary=False)
            duplicate.locations.update(organization=survivor)
            survivor_urls = set(survivor.social_links.values_list("url", flat=True))
            links = SocialLink.objects.filter(organization=duplicate).exclude(url__in=survivor_urls)
            moved_links = links.update(organization=survivor)
            for name in schema.RELATIONS:
                getattr(survivor, name).add(*getattr(duplicate, name).all())
            for name in FILLABLE_ON_MERGE:
                if getattr(survivor, name) in ("", None) and getattr(duplicate, name) not in (
                    "",
                    None,
                ):
                    setattr(survivor, name, getattr(duplicate, name))
            if duplicate.last_verified and (
                survivor.last_verified is None or duplicate.last_verified > survivor.last_verified
            ):
                survivor.last_verified = duplicate.last_verified
            now = timezone.now()
            closed = duplicate.change_requests.filter(
                status=ChangeRequestStatus.PENDING, kind=ChangeRequestKind.NEW_LISTING
            ).update(
                status=ChangeRequestStatus.MERGED,
                decided_at=now,
                decided_by=user,
                decision_note=_("Merged into “%(name)s”") % {"name": survivor.name},
            )
            moved_requests = duplicate.change_requests.update(organization=survivor)
            duplicate.verification_requests.update(organization=survivor)
            ChangeRequest.objects.filter(duplicate_of=duplicate).update(duplicate_of=survivor)
            SlugRedirect.objects.filter(organization=duplicate).update(organization=survivor)
            PossibleDuplicate.objects.filter(
                Q(organization=duplicate, similar_to=survivor)
                | Q(organization=survivor, similar_to=duplicate)
            ).delete()
            redirect = SlugRedirect.objects.create(
                old_slug=duplicate.slug,
                old_name=duplicate.name,
                organization=survivor,
                created_by=user,
            )
            duplicate.delete()
            survivor.full_clean(validate_unique=False)
            survivor.save()
            reversion.set_comment(
                _(
                    "Merged “%(name)s” (/organizations/%(slug)s/) into this listing: "
                    "%(locations)d location(s), %(links)d link(s) and %(requests)d "
                    "suggestion(s) moved here"
                )
                % {
                    "name": duplicate.name,
                    "slug": duplicate.slug,
                    "locations": moved_locations,
                    "links": moved_links,
                    "requests": moved_requests,
                }
            )
    logger.info(
        "Merged organization %s into %s (%d new-listing requests closed)",
        duplicate.slug,
        survivor.slug,
        closed,
    )
    return MergeSummary(survivor, moved_locations, moved_links, moved_requests, redirect)
