"""Saving or deleting a location counts as a change to its organization.

The organization's `updated_at` is what map data validators (ETags), caches and the
"recently updated" views look at; a location edited on its own (for example by
locating from ZIP codes) must move it too.

`Organization.states` (what the state filter reads) is recomputed from the database
whenever an organization, one of its locations or its service area is written, fixtures
and reverts (raw saves) included, so no write order can leave it stale.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from directory.models import Location, Organization


@receiver(post_save, sender=Location, dispatch_uid="location-saved-touches-organization")
@receiver(post_delete, sender=Location, dispatch_uid="location-deleted-touches-organization")
def touch_organization(sender, instance: Location, raw: bool = False, **kwargs):
    if raw:  # loaddata: the fixture's own timestamps stand
        return
    Organization.objects.filter(pk=instance.organization_id).update(updated_at=timezone.now())


@receiver(post_save, sender=Organization, dispatch_uid="organization-saved-refreshes-states")
def refresh_organization_states(sender, instance: Organization, **kwargs):
    # Also after a save of an instance read before its locations changed, which would
    # otherwise write its out-of-date `states` back.
    Organization.objects.filter(pk=instance.pk).refresh_states()


@receiver(post_save, sender=Location, dispatch_uid="location-saved-refreshes-states")
@receiver(post_delete, sender=Location, dispatch_uid="location-deleted-refreshes-states")
def refresh_location_states(sender, instance: Location, **kwargs):
    Organization.objects.filter(pk=instance.organization_id).refresh_states()


@receiver(
    m2m_changed,
    sender=Organization.service_area.through,
    dispatch_uid="service-area-changed-refreshes-states",
)
def refresh_service_area_states(sender, instance, action, reverse, pk_set, **kwargs):
    if not reverse:  # organization.service_area.add/remove/set/clear
        if action in ("post_add", "post_remove", "post_clear"):
            Organization.objects.filter(pk=instance.pk).refresh_states()
        return
    # jurisdiction.served_by...: pk_set holds organizations, except on clear.
    if action == "pre_clear":
        instance._served_before_clear = list(instance.served_by.values_list("pk", flat=True))
    elif action in ("post_add", "post_remove"):
        Organization.objects.filter(pk__in=pk_set).refresh_states()
    elif action == "post_clear":
        served = getattr(instance, "_served_before_clear", [])
        Organization.objects.filter(pk__in=served).refresh_states()
