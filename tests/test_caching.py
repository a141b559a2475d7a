"""Cached public data is never stale: any change to a listing, its locations, links,
languages, sectors, service area or the reference tables makes earlier entries
unreachable, at the change and again when it commits."""

import json

import pytest
from django.core.cache import cache
from django.urls import reverse

from directory.caching import bump_data_version, cached_public_data, data_version
from directory.models import Jurisdiction, Language, OrganizationType
from tests.factories import LocationFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


class Builder:
    """Counts how often the cached value had to be built from the database."""

    def __init__(self):
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return f"built {self.calls}"


def test_repeated_requests_are_served_from_the_cache():
    build = Builder()
    assert cached_public_data("list", {"q": "bread"}, build) == "built 1"
    assert cached_public_data("list", {"q": "bread"}, build) == "built 1"
    assert build.calls == 1


def test_different_parameters_or_names_are_cached_apart():
    build = Builder()
    cached_public_data("list", {"q": "bread"}, build)
    cached_public_data("list", {"q": "rice"}, build)
    cached_public_data("geojson", {"q": "bread"}, build)
    assert build.calls == 3


def test_parameter_order_does_not_matter(rf):
    build = Builder()
    first = rf.get("/", {"type": ["a", "b"], "state": "DC"}).GET
    second = rf.get("/?state=DC&type=b&type=a").GET
    cached_public_data("list", first, build)
    cached_public_data("list", second, build)
    assert build.calls == 1


CHANGES = {
    "organization saved": lambda org: OrganizationFactory(),
    "organization edited": lambda org: org.save(),
    "organization deleted": lambda org: org.delete(),
    "location added": lambda org: LocationFactory(organization=org, is_primary=False),
    "location deleted": lambda org: org.locations.all().delete(),
    "language added": lambda org: org.languages.add(Language.objects.get(code="es")),
    "languages cleared": lambda org: org.languages.clear(),
    "service area changed": lambda org: org.service_area.add(Jurisdiction.objects.first()),
    "type renamed": lambda org: OrganizationType.objects.filter(pk=org.type_id).first().save(),
    "social link added": lambda org: org.social_links.create(url="https://example.org/social"),
}


@pytest.mark.parametrize("change", CHANGES)
def test_a_committed_change_invalidates_every_cached_value(
    change, django_capture_on_commit_callbacks
):
    organization = LocationFactory().organization
    build = Builder()
    cached_public_data("list", {}, build)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        CHANGES[change](organization)
    assert callbacks, f"{change} scheduled an invalidation"
    assert cached_public_data("list", {}, build) == "built 2"


def test_a_change_invalidates_at_once_and_again_when_it_commits(
    django_capture_on_commit_callbacks,
):
    organization = OrganizationFactory()
    build = Builder()
    cached_public_data("list", {}, build)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        organization.save()
        # The changing request sees its own change ...
        assert cached_public_data("list", {}, build) == "built 2"
    # ... and whatever another request cached before the commit is dropped after it.
    for callback in callbacks:
        callback()
    assert cached_public_data("list", {}, build) == "built 3"


def test_a_new_version_never_repeats_an_old_one_after_the_cache_is_flushed():
    before = data_version()
    cache.clear()
    assert data_version() != before
    bump_data_version()
    assert data_version() not in (before, None)


def test_repeated_map_data_requests_are_served_from_the_cache(client, django_assert_num_queries):
    LocationFactory.create_batch(3)
    url = reverse("directory:location-map-data")
    first = client.get(url)
    with django_assert_num_queries(0):
        again = client.get(url)
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]

    LocationFactory()  # a new listing: the next request sees it
    assert len(json.loads(client.get(url).content)["features"]) == 4
