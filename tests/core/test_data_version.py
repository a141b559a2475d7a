"""The data version (directory.core.cache) changes, once per transaction, whenever
public data changes, never when only non-public data does, and never stands still when
the cache forgets or fails."""

import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction

from directory.core import cache as data
from directory.models import Jurisdiction, Language, Organization
from tests.support.factories import LocationFactory, OrganizationFactory
from tests.support.transactions import run_commit_callbacks

pytestmark = pytest.mark.django_db


@pytest.fixture
def organization():
    organization = OrganizationFactory()
    LocationFactory(organization=organization)
    run_commit_callbacks()
    return organization


def pending_bumps(callbacks):
    return [callback for callback in callbacks if callback is data.bump]


def rename_location(organization):
    location = organization.locations.get()
    location.city = "Elsewhere"
    location.save()


def rename_type(organization):
    organization.type.name = "Renamed type"
    organization.type.save()


def rename_jurisdiction(organization):
    county = Jurisdiction.objects.get(fips="24031")
    county.name = "Renamed County"
    county.save()


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda organization: organization.save(), id="organization-saved"),
        pytest.param(lambda organization: organization.delete(), id="organization-deleted"),
        pytest.param(rename_location, id="location-saved"),
        pytest.param(
            lambda organization: organization.locations.get().delete(), id="location-deleted"
        ),
        pytest.param(
            lambda organization: organization.languages.add(Language.objects.get(code="es")),
            id="language-added",
        ),
        pytest.param(lambda organization: organization.service_area.clear(), id="area-cleared"),
        pytest.param(
            lambda organization: organization.social_links.create(url="https://example.org/x"),
            id="social-link-added",
        ),
        pytest.param(rename_type, id="type-renamed"),
        pytest.param(rename_jurisdiction, id="jurisdiction-renamed"),
    ],
)
def test_each_change_to_public_data_bumps_the_version_on_commit(
    organization, django_capture_on_commit_callbacks, change
):
    before = data.data_version()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        change(organization)
    assert len(pending_bumps(callbacks)) == 1
    assert data.data_version().token != before.token


def test_thousands_of_changes_in_one_transaction_bump_once(
    organization, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        for index in range(200):
            other = OrganizationFactory(languages=["en", "es"])
            LocationFactory(organization=other, city=f"City {index}")
        Organization.objects.exclude(pk=organization.pk).delete()
    assert len(pending_bumps(callbacks)) == 1


def test_a_rolled_back_savepoint_does_not_leave_a_change_unannounced(
    organization, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        try:
            with transaction.atomic():
                organization.save()
                raise RuntimeError("undo")
        except RuntimeError:
            pass
        organization.save()
    assert len(pending_bumps(callbacks)) == 1


def test_bulk_inserts_of_generated_listings_change_the_version(organization):
    """bulk_create sends no signals; the command that uses it bumps the version itself."""
    before = data.data_version()
    call_command("generate_listings", "--count", "3", "--seed", "1", stdout=io.StringIO())
    assert data.data_version().token != before.token


def test_the_version_is_stable_while_nothing_changes(organization):
    assert data.data_version() == data.data_version()


def test_a_lost_stamp_gives_a_new_version_never_an_old_one(organization):
    before = data.data_version()
    cache.delete(data.VERSION_KEY)
    after = data.data_version()
    assert after.token != before.token
    assert after.changed_at >= before.changed_at


def test_a_cache_outage_neither_breaks_saving_nor_serves_a_version(settings, organization):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    organization.save()
    run_commit_callbacks()
    assert data.data_version() is None


def pending_listing():
    organization = OrganizationFactory(status="pending", name="Waiting Cooperative")
    LocationFactory(organization=organization)
    run_commit_callbacks()
    return organization


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda: pending_listing(), id="pending-listing-created"),
        pytest.param(lambda: pending_listing().save(), id="pending-listing-edited"),
        pytest.param(
            lambda: pending_listing().languages.add(Language.objects.get(code="es")),
            id="pending-listing-language",
        ),
        pytest.param(
            lambda: (
                pending_listing().locations.update(city="Elsewhere")
                or pending_listing().locations.first().save()
            ),
            id="pending-listing-location",
        ),
        pytest.param(
            lambda: OrganizationFactory(status="draft").social_links.create(
                url="https://example.org/draft"
            ),
            id="draft-link",
        ),
        pytest.param(lambda: pending_listing().delete(), id="pending-listing-deleted"),
    ],
)
def test_changes_the_public_cannot_see_leave_the_version_alone(
    organization, django_capture_on_commit_callbacks, change
):
    """A suggestion waiting for review must not show through a changed ETag or
    Last-Modified: nothing public changed."""
    before = data.data_version()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        change()
    assert not pending_bumps(callbacks)
    assert data.data_version() == before


def test_publishing_and_unpublishing_change_the_version(
    organization, django_capture_on_commit_callbacks
):
    waiting = pending_listing()
    before = data.data_version()
    waiting.status = "published"
    with django_capture_on_commit_callbacks(execute=True):
        waiting.save()
    published = data.data_version()
    assert published != before
    fetched = Organization.objects.get(pk=waiting.pk)
    fetched.status = "archived"
    with django_capture_on_commit_callbacks(execute=True):
        fetched.save()
    assert data.data_version() != published
