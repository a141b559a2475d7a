"""Merging two listings that are one organization into one.

The other listing's locations (but those within 50 m of one the survivor has), links,
languages, sectors, service area, suggestions and verification requests move to the
survivor; the other's address redirects (301) to it, and the other is deleted
(recoverable from the history).

Where the two differ, each field takes the value the organizer chose on the compare
page; by default the newer listing's value (so an edit approved on either is kept) and
never an empty one over a filled one. The internal contact is private: it is shown on
the compare page and copied only when chosen. If either listing was published, the
survivor is published: a merge never takes a listing off the site.
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

from directory.contributions.matching import distance_km
from directory.listings import schema
from directory.models import (
    ChangeRequest,
    ChangeRequestKind,
    ChangeRequestStatus,
    Organization,
    OrganizationStatus,
    PossibleDuplicate,
    SlugRedirect,
    SocialLink,
)

logger = logging.getLogger(__name__)

INTERNAL_CONTACT = ["internal_contact_name", "internal_contact_email", "internal_contact_phone"]
# Fields that can take the other listing's value: the public ones (the survivor's name
# and type stay) and the internal contact.
CHOOSABLE_ON_MERGE = [
    *(
        name
        for name in schema.scalar_names(proposable=True)
        if schema.field(name).kind != schema.TYPE and name != "name"
    ),
    *INTERNAL_CONTACT,
]
# Two locations closer than this are one place: the survivor's is kept.
SAME_PLACE_KM = 0.05


def _empty(value) -> bool:
    return value in ("", None)


@dataclass(frozen=True)
class FieldChoice:
    name: str
    label: str
    values: dict  # organization pk -> value
    default: int | None  # the pk whose value is kept unless the organizer chooses


def field_choices(first: Organization, second: Organization) -> list[FieldChoice]:
    """The fields where the two listings differ and the other has a value, with the
    value kept by default: the newer listing's (never an empty one); for the internal
    contact, none (the survivor keeps its own unless the organizer chooses)."""
    newer = first if first.updated_at >= second.updated_at else second
    choices = []
    for name in CHOOSABLE_ON_MERGE:
        values = {first.pk: getattr(first, name), second.pk: getattr(second, name)}
        if values[first.pk] == values[second.pk] or all(map(_empty, values.values())):
            continue
        if name in INTERNAL_CONTACT:
            default = None
        elif _empty(values[newer.pk]):
            default = next(pk for pk, value in values.items() if not _empty(value))
        else:
            default = newer.pk
        field = Organization._meta.get_field(name)
        choices.append(FieldChoice(name, str(field.verbose_name), values, default))
    return choices


def _take_values(survivor, duplicate, chosen: dict[str, int] | None) -> list[str]:
    taken = []
    for choice in field_choices(survivor, duplicate):
        pick = (chosen or {}).get(choice.name, choice.default)
        if pick == duplicate.pk:
            setattr(survivor, choice.name, choice.values[duplicate.pk])
            taken.append(choice.name)
    return taken


def _move_locations(duplicate, survivor) -> tuple[int, int]:
    """Move the other listing's locations; one within SAME_PLACE_KM of a survivor's
    location is that place again and stays behind (deleted with the listing, so in its
    recoverable last version)."""
    kept = [
        (location.latitude, location.longitude)
        for location in survivor.locations.all()
        if location.latitude is not None
    ]
    same_place = [
        location.pk
        for location in duplicate.locations.all()
        if location.latitude is not None
        and any(
            distance_km((location.latitude, location.longitude), point) <= SAME_PLACE_KM
            for point in kept
        )
    ]
    moving = duplicate.locations.exclude(pk__in=same_place)
    if survivor.locations.filter(is_primary=True).exists():
        moving.update(is_primary=False)
    moved = moving.update(organization=survivor)
    return moved, len(same_place)


@dataclass(frozen=True)
class MergeSummary:
    survivor: Organization
    locations: int
    links: int
    suggestions: int
    redirect: SlugRedirect
    same_place: int = 0
    published: bool = False
    taken: tuple = ()


def merge(
    *,
    duplicate: Organization,
    survivor: Organization,
    user: AbstractBaseUser,
    chosen: dict[str, int] | None = None,
) -> MergeSummary:
    """Fold `duplicate` into `survivor` as the module docstring says. `chosen` maps a
    field to the pk of the listing whose value to keep (see field_choices)."""
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
            moved_locations, same_place = _move_locations(duplicate, survivor)
            survivor_urls = set(survivor.social_links.values_list("url", flat=True))
            links = SocialLink.objects.filter(organization=duplicate).exclude(url__in=survivor_urls)
            moved_links = links.update(organization=survivor)
            for name in schema.RELATIONS:
                getattr(survivor, name).add(*getattr(duplicate, name).all())
            taken = _take_values(survivor, duplicate, chosen)
            published = (
                duplicate.status == OrganizationStatus.PUBLISHED
                and survivor.status != OrganizationStatus.PUBLISHED
            )
            if published:
                survivor.status = OrganizationStatus.PUBLISHED
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
            # A re-import of the source then finds the kept listing, and leaves alone
            # every field where it differs from what was imported.
            duplicate.source_records.update(organization=survivor)
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
    return MergeSummary(
        survivor,
        moved_locations,
        moved_links,
        moved_requests,
        redirect,
        same_place=same_place,
        published=published,
        taken=tuple(taken),
    )
