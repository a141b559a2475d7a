import pytest
from django.core.cache import cache
from django.core.management import call_command

from directory.models import Jurisdiction
from tests.factories import LocationFactory, OrganizationFactory, UserFactory


@pytest.fixture(autouse=True)
def empty_cache():
    """Rate-limit counters and the data version never leak from one test to the next."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def organizer(db):
    """A volunteer organizer: staff, in the Organizers group, not a superuser."""
    return UserFactory(organizer=True)


@pytest.fixture
def organizer_client(client, organizer):
    client.force_login(organizer)
    return client


@pytest.fixture
def published_organization(db):
    organization = OrganizationFactory(name="Takoma Bread Cooperative", slug="takoma-bread")
    LocationFactory(
        organization=organization,
        city="Takoma Park",
        state="MD",
        zip_code="20912",
        jurisdiction=Jurisdiction.objects.get(fips="24031"),
        latitude=38.9832,
        longitude=-77.0007,
    )
    return organization


@pytest.fixture
def demo_data(db):
    """The 87 fictional demo organizations: every type, state, precision and status."""
    call_command("loaddata", "fixtures/demo.json", verbosity=0)
