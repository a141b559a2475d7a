"""Model validation (what the admin shows) and database constraints (what holds even
when code bypasses validation), on SQLite and PostgreSQL alike."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from directory.listings import privacy
from directory.models import Location, Organization, OrganizationType
from tests.support.factories import LocationFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def location(**overrides):
    fields = {
        "organization": OrganizationFactory(),
        "state": "DC",
        "city": "Washington",
        "zip_code": "20001",
        "latitude": 38.91,
        "longitude": -77.02,
    }
    return Location(**{**fields, **overrides})


def messages_for(error: ValidationError, field: str) -> str:
    return " ".join(error.message_dict[field])


def test_reference_tables_are_seeded():
    assert OrganizationType.objects.count() == 10
    assert set(OrganizationType.objects.values_list("slug", flat=True)) >= {
        "worker-cooperative",
        "housing-cooperative",
        "community-land-trust",
        "mutual-aid",
        "credit-union",
        "public-bank",
        "community-lender",
    }


def test_a_valid_location_passes_validation():
    location().full_clean()


def test_swapped_latitude_and_longitude_are_named_as_such():
    with pytest.raises(ValidationError) as error:
        location(latitude=-77.02, longitude=38.91).full_clean()
    assert "swapped" in messages_for(error.value, "latitude")


def test_a_positive_longitude_is_explained():
    with pytest.raises(ValidationError) as error:
        location(latitude=38.91, longitude=77.02).full_clean()
    assert "negative" in messages_for(error.value, "latitude")


def test_a_point_outside_the_region_is_refused():
    with pytest.raises(ValidationError) as error:
        location(latitude=40.71, longitude=-74.0).full_clean()  # New York
    assert "outside DC, Maryland and Virginia" in messages_for(error.value, "latitude")


def test_a_point_in_another_state_of_the_region_is_refused():
    with pytest.raises(ValidationError) as error:
        location(state="DC", latitude=37.54, longitude=-77.44).full_clean()  # Richmond
    assert "not in District of Columbia" in messages_for(error.value, "latitude")


def test_half_a_point_is_refused():
    with pytest.raises(ValidationError) as error:
        location(longitude=None).full_clean()
    assert "both latitude and longitude" in messages_for(error.value, "longitude")


def test_a_state_outside_the_region_is_refused():
    with pytest.raises(ValidationError) as error:
        location(state="NY").full_clean()
    assert "state" in error.value.message_dict


@pytest.mark.parametrize("zip_code", ["2000", "20001-12", "ABCDE", "200011"])
def test_a_malformed_zip_is_refused(zip_code):
    with pytest.raises(ValidationError) as error:
        location(zip_code=zip_code).full_clean()
    assert "5-digit ZIP" in messages_for(error.value, "zip_code")


@pytest.mark.parametrize("website", ["example.org", "javascript:alert(1)", "ftp://example.org"])
def test_a_website_must_be_a_full_http_address(website):
    organization = OrganizationFactory.build(type=OrganizationType.objects.first(), website=website)
    with pytest.raises(ValidationError) as error:
        organization.full_clean()
    assert "http://" in messages_for(error.value, "website")


def test_a_future_founding_year_is_refused():
    organization = OrganizationFactory.build(
        type=OrganizationType.objects.first(), year_founded=datetime.date.today().year + 1
    )
    with pytest.raises(ValidationError) as error:
        organization.full_clean()
    assert "future" in messages_for(error.value, "year_founded")


def test_only_housing_coops_can_be_limited_equity():
    organization = OrganizationFactory.build(
        type=OrganizationType.objects.get(slug="credit-union"), limited_equity=True
    )
    with pytest.raises(ValidationError) as error:
        organization.full_clean()
    assert "housing" in messages_for(error.value, "limited_equity")


def test_a_jurisdiction_in_another_state_is_refused():
    from directory.models import Jurisdiction

    with pytest.raises(ValidationError) as error:
        location(jurisdiction=Jurisdiction.objects.get(fips="24031")).full_clean()
    assert "is not in District of Columbia" in messages_for(error.value, "jurisdiction")


def test_slugs_are_unique():
    OrganizationFactory(slug="same")
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganizationFactory(slug="same")


def test_database_refuses_two_primary_locations():
    first = LocationFactory(is_primary=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        LocationFactory(organization=first.organization, is_primary=True)
    LocationFactory(organization=first.organization, is_primary=False)
    assert first.organization.locations.count() == 2


def test_validation_reports_a_second_primary_location():
    first = LocationFactory(is_primary=True)
    with pytest.raises(ValidationError) as error:
        location(organization=first.organization, is_primary=True).full_clean()
    assert "only one primary location" in " ".join(error.value.messages)


@pytest.mark.parametrize(
    ("latitude", "longitude"),
    [(40.7, -74.0), (-77.0, 38.9), (38.9, None)],
    ids=["outside-region", "swapped", "half-point"],
)
def test_database_refuses_points_that_validation_would(latitude, longitude):
    with pytest.raises(IntegrityError), transaction.atomic():
        Location.objects.create(
            organization=OrganizationFactory(), state="DC", latitude=latitude, longitude=longitude
        )


def test_database_refuses_unknown_state_and_status():
    organization = OrganizationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Location.objects.create(organization=organization, state="NY")
    with pytest.raises(IntegrityError), transaction.atomic():
        Organization.objects.filter(pk=organization.pk).update(status="deleted")


def test_stale_listings_are_those_not_verified_within_the_setting(settings):
    settings.VERIFY_AFTER_MONTHS = 12
    today = datetime.date(2026, 11, 27)
    fresh = OrganizationFactory(last_verified=datetime.date(2026, 1, 1))
    old = OrganizationFactory(last_verified=datetime.date(2025, 11, 26))
    never = OrganizationFactory(last_verified=None)
    stale = set(Organization.objects.stale(today=today))
    assert stale == {old, never}
    assert not fresh.is_stale(today=today)


def test_published_excludes_every_other_status():
    published = OrganizationFactory(status="published")
    for status in ("draft", "pending", "archived"):
        OrganizationFactory(status=status)
    assert list(Organization.objects.published()) == [published]


def test_public_coordinates_follow_precision():
    organization = OrganizationFactory()
    exact = LocationFactory(organization=organization, latitude=38.906789, longitude=-77.031234)
    approximate = LocationFactory(
        organization=organization,
        is_primary=False,
        precision="approximate",
        latitude=38.906789,
        longitude=-77.031234,
    )
    hidden = LocationFactory(
        organization=organization,
        is_primary=False,
        precision="hidden",
        latitude=38.9,
        longitude=-77.0,
    )
    rows = {
        row.pk: (row.public_latitude, row.public_longitude)
        for row in privacy.with_public_points(Location.objects.all())
    }
    assert rows[exact.pk] == (38.906789, -77.031234)
    assert rows[approximate.pk] == (38.91, -77.03)
    assert rows[hidden.pk] == (None, None)
