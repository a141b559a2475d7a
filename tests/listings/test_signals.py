"""Editing a location counts as a change to its organization (directory/signals.py)."""

import datetime

import pytest
from django.utils import timezone

from directory.models import Organization
from tests.support.factories import LocationFactory

pytestmark = pytest.mark.django_db


def test_saving_or_deleting_a_location_touches_its_organization():
    location = LocationFactory()
    long_ago = timezone.now() - datetime.timedelta(days=30)
    Organization.objects.filter(pk=location.organization_id).update(updated_at=long_ago)
    location.hours = "Sundays"
    location.save()
    touched = Organization.objects.get(pk=location.organization_id).updated_at
    assert touched > long_ago
    Organization.objects.filter(pk=location.organization_id).update(updated_at=long_ago)
    location.delete()
    assert Organization.objects.get(pk=location.organization_id).updated_at > long_ago
