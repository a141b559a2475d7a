"""What follows a write to a listing: derived columns and the data version.

Saving or deleting a location counts as a change to its organization.

The organization's `updated_at` is what map data validators (ETags), caches and the
"recently updated" views look at; a location edited on its own (for example by
locating from ZIP codes) must move it too.

`Organization.states` (what the state filter reads) is recomputed from the database
whenever an organization, one of its locations or its service area is written, fixtures
and reverts (raw saves) included, so no write order can leave it stale.
"""

import threading
from contextlib import contextmanager

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import Signal, receiver
from django.utils import timezone

from directory.core.cache import bump_after_change
from directory.models import (
    Jurisdiction,
    Language,
    Location,
    Organization,
    OrganizationStatus,
    OrganizationType,
    Sector,
    SocialLink,
)

_batch = threading.local()
_held = threading.local()

# Sent when an import job has written all of its rows, with `organization_ids`: the
# listings it wrote. The checks that follow each revision of an edit (likely
# duplicates) are held while its chunks are written and done once here, over the file.
import_written = Signal()


@contextmanager
def revision_checks_held():
    _held.active = True
    try:
        yield
    finally:
        _held.active = False


def revision_checks_are_held() -> bool:
    return getattr(_held, "active", False)


@contextmanager
def batched_writes():
    """For a batch of writes (an import), what follows each write is done once, at the
    end, for every organization the batch touched: `states` is recomputed, `updated_at`
    moved for those whose locations were written, and the data version replaced if one
    of those is published. Without a batch, each write does it at once."""
    if getattr(_batch, "states", None) is not None:
        yield
        return
    _batch.states, _batch.touched, _batch.parts = set(), set(), set()
    try:
        yield
        if _batch.touched:
            Organization.objects.filter(pk__in=_batch.touched).update(updated_at=timezone.now())
        if _batch.states:
            Organization.objects.filter(pk__in=_batch.states).refresh_states()
        if _batch.parts and _any_published(_batch.parts):
            bump_after_change()
    finally:
        _batch.states = _batch.touched = _batch.parts = None


def _in_batch(name: str, organization_id) -> bool:
    """Leave this organization's follow-up to the batch being written, if there is one."""
    pending = getattr(_batch, name, None)
    if pending is None:
        return False
    pending.add(organization_id)
    return True


def _refresh_states(organization_id) -> None:
    if not _in_batch("states", organization_id):
        Organization.objects.filter(pk=organization_id).refresh_states()


@receiver(post_save, sender=Location, dispatch_uid="location-saved-touches-organization")
@receiver(post_delete, sender=Location, dispatch_uid="location-deleted-touches-organization")
def touch_organization(sender, instance: Location, raw: bool = False, **kwargs):
    if raw:  # loaddata: the fixture's own timestamps stand
        return
    if not _in_batch("touched", instance.organization_id):
        Organization.objects.filter(pk=instance.organization_id).update(updated_at=timezone.now())


@receiver(post_save, sender=Organization, dispatch_uid="organization-saved-refreshes-states")
def refresh_organization_states(sender, instance: Organization, **kwargs):
    # Also after a save of an instance read before its locations changed, which would
    # otherwise write its out-of-date `states` back.
    _refresh_states(instance.pk)


@receiver(post_save, sender=Location, dispatch_uid="location-saved-refreshes-states")
@receiver(post_delete, sender=Location, dispatch_uid="location-deleted-refreshes-states")
def refresh_location_states(sender, instance: Location, **kwargs):
    _refresh_states(instance.organization_id)


@receiver(
    m2m_changed,
    sender=Organization.service_area.through,
    dispatch_uid="service-area-changed-refreshes-states",
)
def refresh_service_area_states(sender, instance, action, reverse, pk_set, **kwargs):
    if not reverse:  # organization.service_area.add/remove/set/clear
        if action in ("post_add", "post_remove", "post_clear"):
            _refresh_states(instance.pk)
        return
    # jurisdiction.served_by...: pk_set holds organizations, except on clear.
    if action == "pre_clear":
        instance._served_before_clear = list(instance.served_by.values_list("pk", flat=True))
    elif action in ("post_add", "post_remove"):
        Organization.objects.filter(pk__in=pk_set).refresh_states()
    elif action == "post_clear":
        served = getattr(instance, "_served_before_clear", [])
        Organization.objects.filter(pk__in=served).refresh_states()


# Public data changed: replace the data version (directory.core.cache) -------------------
#
# Only changes the public can see move it, so that a pending suggestion, a draft or an
# organizer's internal note never shows through a changed ETag, Last-Modified or a
# rebuilt cache: a listing counts when it is published, or was when it was read.


def _is_or_was_public(organization: Organization, *, created: bool = False) -> bool:
    if organization.status == OrganizationStatus.PUBLISHED:
        return True
    if created:
        return False
    # Read from the database with its status (Organization.from_db): we know; else we
    # cannot tell, and a needless new version is the safe mistake.
    loaded = organization.__dict__.get("_loaded_status")
    return loaded is None or loaded == OrganizationStatus.PUBLISHED


def _any_published(organization_ids) -> bool:
    return Organization.objects.filter(
        pk__in=list(organization_ids), status=OrganizationStatus.PUBLISHED
    ).exists()


@receiver(post_save, sender=Organization, dispatch_uid="public-organization-saved")
@receiver(post_delete, sender=Organization, dispatch_uid="public-organization-deleted")
def organization_changed(sender, instance: Organization, using=None, created=False, **kwargs):
    if _is_or_was_public(instance, created=created):
        bump_after_change(using=using)
    instance._loaded_status = instance.status


def _part_changed(sender, instance, using=None, **kwargs):
    if _in_batch("parts", instance.organization_id):
        return
    if _any_published([instance.organization_id]):
        bump_after_change(using=using)


def _reference_changed(sender, using=None, **kwargs):
    bump_after_change(using=using)


def _relation_changed(sender, instance, action, reverse, pk_set, using=None, **kwargs):
    if not action.startswith("post_"):
        return
    if not reverse:
        public = _is_or_was_public(instance)
    elif pk_set is None:  # jurisdiction.served_by.clear(): whoever it was
        public = True
    else:
        public = _any_published(pk_set)
    if public:
        bump_after_change(using=using)


for part in (Location, SocialLink):
    post_save.connect(_part_changed, sender=part, dispatch_uid=f"public-{part.__name__}-saved")
    post_delete.connect(_part_changed, sender=part, dispatch_uid=f"public-{part.__name__}-deleted")
for reference in (OrganizationType, Language, Sector, Jurisdiction):
    post_save.connect(
        _reference_changed, sender=reference, dispatch_uid=f"public-{reference.__name__}-saved"
    )
    post_delete.connect(
        _reference_changed, sender=reference, dispatch_uid=f"public-{reference.__name__}-deleted"
    )
for relation in ("languages", "sectors", "service_area"):
    m2m_changed.connect(
        _relation_changed,
        sender=getattr(Organization, relation).through,
        dispatch_uid=f"public-{relation}-changed",
    )
