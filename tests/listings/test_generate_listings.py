from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from directory.models import Location, Organization

pytestmark = pytest.mark.django_db


def snapshot():
    return list(
        Organization.objects.order_by("slug").values_list("slug", "name", "type__slug")
    ), list(Location.objects.order_by("organization__slug").values_list("latitude", "longitude"))


def test_generating_twice_adds_nothing_and_a_larger_count_adds_the_difference():
    call_command("generate_listings", "--count", "50", "--seed", "7")
    first = snapshot()
    call_command("generate_listings", "--count", "50", "--seed", "7")
    assert snapshot() == first
    call_command("generate_listings", "--count", "60", "--seed", "7")
    assert Organization.objects.count() == 60
    assert Organization.objects.published().count() == 60


def test_the_same_seed_gives_the_same_data():
    call_command("generate_listings", "--count", "20", "--seed", "3")
    first = snapshot()
    call_command("generate_listings", "--delete")
    assert not Organization.objects.exists()
    call_command("generate_listings", "--count", "20", "--seed", "3")
    assert snapshot() == first


def test_generated_locations_are_valid():
    call_command("generate_listings", "--count", "30")
    for location in Location.objects.all():
        location.full_clean()


def test_generated_and_deleted_listings_show_on_cached_pages_at_once(client):
    url = reverse("directory:organization-list")
    assert b"synthetic-0000001" not in client.get(url).content  # now cached
    call_command("generate_listings", "--count", "3", stdout=StringIO())
    assert b"synthetic-0000001" in client.get(url).content
    call_command("generate_listings", "--delete", stdout=StringIO())
    assert b"synthetic-0000001" not in client.get(url).content
