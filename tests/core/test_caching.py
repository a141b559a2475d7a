"""Cached public data is never stale: any change to a listing, its locations, links,
languages, sectors, service area or the reference tables makes earlier entries
unreachable, at the change and again when it commits."""

import json

import pytest
from django.core.cache import cache, caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from directory.core.cache import bump, cached_public_data, data_version
from directory.models import Jurisdiction, Language, OrganizationType
from tests.support.factories import LocationFactory, OrganizationFactory
from tests.support.transactions import run_commit_callbacks

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
    run_commit_callbacks()  # the listing was created in an earlier transaction
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
    run_commit_callbacks()
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
    bump()
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


def test_parameters_that_change_nothing_do_not_rebuild_the_map_data(
    client, django_assert_num_queries
):
    """The map data has no rate limit, so ?utm_source=1, ?utm_source=2, ... or one
    filter value repeated must not each build and store another copy of the whole map:
    anyone could empty the cache's use and fill its memory at will."""
    LocationFactory.create_batch(3)
    url = reverse("directory:location-map-data")
    first = client.get(url)
    with django_assert_num_queries(0):
        tagged = client.get(url, {"utm_source": "newsletter", "fbclid": "x1"})
    assert (tagged.content, tagged["ETag"]) == (first.content, first["ETag"])

    one_type = f"{url}?type=worker-cooperative"
    by_type = client.get(one_type)
    with CaptureQueriesContext(connection) as from_cache:
        client.get(one_type)
    repeated = f"{one_type}&type=worker-cooperative&type=worker-cooperative&junk=1"
    with django_assert_num_queries(len(from_cache)):
        again = client.get(repeated)
    assert again.content == by_type.content


def test_the_last_of_a_repeated_single_value_decides_and_is_cached_apart(client):
    LocationFactory(latitude=38.90, longitude=-77.03)  # Washington
    LocationFactory(latitude=39.29, longitude=-76.61)  # Baltimore
    url = reverse("directory:location-map-data")
    dc, baltimore = "-77.1,38.8,-76.9,39.0", "-76.7,39.2,-76.5,39.4"
    first = json.loads(client.get(f"{url}?bbox={baltimore}&bbox={dc}").content)
    second = json.loads(client.get(f"{url}?bbox={dc}&bbox={baltimore}").content)
    assert [f["geometry"]["coordinates"][1] for f in first["features"]] == [38.9]
    assert [f["geometry"]["coordinates"][1] for f in second["features"]] == [39.29]


# Whole pages -------------------------------------------------------------------------


def page_urls():
    organization = LocationFactory(organization__name="Cached Bakery Cooperative").organization
    return {
        "home": reverse("directory:home"),
        "list": reverse("directory:organization-list"),
        "filtered list": reverse("directory:organization-list") + "?state=DC&accepting=yes",
        "type page": organization.type.get_absolute_url(),
        "detail": organization.get_absolute_url(),
        "results partial": reverse("directory:results-partial") + "?q=bakery",
        "embed": reverse("directory:embed"),
    }


@pytest.mark.parametrize(
    "page", ["home", "list", "filtered list", "type page", "detail", "results partial", "embed"]
)
def test_a_repeated_public_page_is_served_without_queries(page, client, django_assert_num_queries):
    url = page_urls()[page]
    first = client.get(url)
    assert first.status_code == 200
    with django_assert_num_queries(0):
        again = client.get(url)
    assert again.status_code == 200
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]


def test_a_cached_page_still_carries_every_security_header(client):
    url = reverse("directory:organization-list")
    first = client.get(url)
    again = client.get(url)
    for header in (
        "Content-Security-Policy",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Permissions-Policy",
        "X-Frame-Options",
        "Vary",
    ):
        assert again[header] == first[header], header


def test_the_cached_embed_may_still_be_framed(client):
    url = reverse("directory:embed")
    client.get(url)
    again = client.get(url)
    assert "X-Frame-Options" not in again
    assert "frame-ancestors *" in again["Content-Security-Policy"]


def test_a_change_to_a_listing_shows_on_the_next_page_view(client):
    organization = LocationFactory(organization__name="Old Name Cooperative").organization
    url = reverse("directory:organization-list")
    assert b"Old Name Cooperative" in client.get(url).content
    organization.name = "New Name Cooperative"
    organization.save()
    page = client.get(url).content
    assert b"New Name Cooperative" in page
    assert b"Old Name Cooperative" not in page


def test_an_organization_published_by_an_admin_action_appears_at_once(admin_client, client):
    pending = LocationFactory(
        organization__name="Newly Published Cooperative", organization__status="pending"
    ).organization
    url = reverse("directory:organization-list")
    assert b"Newly Published Cooperative" not in client.get(url).content
    admin_client.post(
        reverse("admin:directory_organization_changelist"),
        {"action": "publish", "_selected_action": [pending.pk]},
    )
    assert b"Newly Published Cooperative" in client.get(url).content


def test_query_strings_and_languages_are_cached_apart(client):
    LocationFactory(organization__name="Bakery Cooperative")
    LocationFactory(organization__name="Credit Union of Takoma")
    url = reverse("directory:organization-list")
    bakery = client.get(url, {"q": "bakery"}).content
    takoma = client.get(url, {"q": "takoma"}).content
    assert b"Credit Union of Takoma" in takoma
    assert b"Credit Union of Takoma" not in bakery
    caches["pages"].clear()
    # The language is in the address (/es/...); an unprefixed page is English (a browser
    # asking for Spanish first is sent to /es/ on its first visit: see test_languages).
    english = client.get(url)
    spanish = client.get(f"/es{url}")
    assert (english["Content-Language"], spanish["Content-Language"]) == ("en", "es")
    assert len([key for key in caches["pages"]._cache if ":page_" in key]) == 2


def test_a_signed_in_organizer_is_never_served_the_shared_page(
    admin_client, django_assert_max_num_queries
):
    LocationFactory()
    url = reverse("directory:organization-list")
    admin_client.get(url)
    with django_assert_max_num_queries(50) as captured:
        admin_client.get(url)
    assert len(captured) > 0, "the organizer's page was rendered for them"


def test_an_invalid_filter_is_answered_but_not_cached(client):
    url = reverse("directory:organization-list")
    assert client.get(url + "?near=not-a-place").status_code == 400
    assert client.get(url + "?near=not-a-place").status_code == 400
    assert not [key for key in caches["pages"]._cache if ":page_" in key]
    assert client.get(url).status_code == 200
    assert [key for key in caches["pages"]._cache if ":page_" in key]


def test_pages_are_rendered_when_the_cache_fails(client, monkeypatch):
    LocationFactory(organization__name="Still Shown Cooperative")

    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "get", broken)
    monkeypatch.setattr(cache, "set", broken)
    monkeypatch.setattr(cache, "add", broken)
    response = client.get(reverse("directory:organization-list"))
    assert response.status_code == 200
    assert b"Still Shown Cooperative" in response.content


def test_pages_cached_by_an_earlier_release_are_not_served_after_a_deploy(
    client, monkeypatch, django_assert_max_num_queries
):
    from directory.browse import page_cache

    url = reverse("directory:organization-list")
    client.get(url)
    monkeypatch.setattr(page_cache, "code_version", lambda: "next-release")
    with django_assert_max_num_queries(50) as captured:
        client.get(url)
    assert len(captured) > 0, "the new release rendered the page itself"


def test_a_repeated_parameter_in_another_order_is_another_page(client):
    """The last of a repeated single-valued parameter decides, so the order of the
    values is part of what a page depends on (only the order of names is not)."""
    LocationFactory(organization__name="Bakery Cooperative")
    LocationFactory(organization__name="Credit Union of Takoma")
    url = reverse("directory:organization-list")
    takoma = client.get(f"{url}?q=bakery&q=takoma").content
    bakery = client.get(f"{url}?q=takoma&q=bakery").content
    assert b"Credit Union of Takoma" in takoma
    assert b"Credit Union of Takoma" not in bakery
    assert b"Bakery Cooperative" in bakery
