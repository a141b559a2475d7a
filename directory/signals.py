"""Saving or deleting a location counts as a change to its organization.

The organization's `updated_at` is what map data validators (ETags), caches and the
"recently updated" views look at; a location edited on its own (for example by
locating from ZIP codes) must move it too.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from directory.models import Location, Organization


@receiver(post_save, sender=Location, dispatch_uid="location-saved-touches-organization")
@receiver(post_delete, sender=Location, dispatch_uid="location-deleted-touches-organization")
def touch_organization(sender, instance: Location, raw: bool = False, **kwargs):
    if raw:  # loaddata: the fixture's own timestamps stand
        return
    Organization.objects.filter(pk=instance.organization_id).update(updated_at=timezone.now())
