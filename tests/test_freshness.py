"""The data version behind ETags changes, once per transaction, whenever public data
changes, and never stands still when the cache forgets or fails."""

import pytest
from django.core.cache import cache
from django.db import transaction

from directory.core import freshness
from directory.models import Jurisdiction, Language, Organization
from tests.factories import LocationFactory, OrganizationFactory
from tests.transactions import run_commit_callbacks

pytestmark = pytest.mark.django_db


@pytest.fixture
def organization():
    organization = OrganizationFactory()
    LocationFactory(organization=organization)
    run_commit_callbacks()
    return organization


def pending_bumps(callbacks):
    return [callback for callback in callbacks if callback is freshness.bump]


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
    before = freshness.current()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        change(organization)
    assert len(pending_bumps(callbacks)) == 1
    assert freshness.current().token != before.token


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


def test_bulk_writes_without_signals_still_change_the_version(organization):
    before = freshness.current()
    Organization.objects.bulk_create(
        [Organization(name="Bulk", slug="bulk", type=organization.type, status="published")]
    )
    after = freshness.current()
    assert after.token != before.token
    assert after.changed_at > before.changed_at


def test_the_version_is_stable_while_nothing_changes(organization):
    assert freshness.current() == freshness.current()


def test_a_lost_stamp_gives_a_new_version_never_an_old_one(organization):
    before = freshness.current()
    cache.delete(freshness.STAMP_KEY)
    after = freshness.current()
    assert after.token != before.token
    assert after.changed_at >= before.changed_at


def test_a_cache_outage_neither_breaks_saving_nor_repeats_a_version(settings, organization):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    organization.save()
    run_commit_callbacks()
    assert freshness.current().token != freshness.current().token
