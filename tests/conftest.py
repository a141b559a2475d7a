from types import SimpleNamespace

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.utils import translation

from directory.core import limits
from directory.models import Jurisdiction
from tests.support.factories import LocationFactory, OrganizationFactory, UserFactory
from tests.support.production import manage, production_env


@pytest.fixture(autouse=True)
def english_between_tests():
    """A request to a language-prefixed page leaves that language active in the test's
    thread (LocaleMiddleware activates it); every test starts and ends in English."""
    translation.activate("en")
    yield
    translation.activate("en")


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


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory):
    """STATIC_ROOT after `collectstatic` with the production storage (hashed, compressed
    names), done once per test session."""
    static_root = tmp_path_factory.mktemp("staticfiles")
    manage("collectstatic", "--noinput", env=production_env(STATIC_ROOT=str(static_root)))
    return static_root


# One second into a day, so into an hour and a minute too: the fixed windows of every
# limit have (almost) their whole length left while a test counts.
WINDOW_START = 1_800_000_000 // 86_400 * 86_400 + 1


@pytest.fixture(autouse=True)
def limits_start_a_fresh_window(monkeypatch):
    """Limits count in fixed windows on the clock; a test that counts three requests
    must not see a window end between the second and the third, so the limits' clock
    stands still at the start of a window during each test."""
    monkeypatch.setattr(limits, "time", SimpleNamespace(time=lambda: WINDOW_START))


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: a test's rolled-back transaction never
    invalidates what it cached (that happens on commit), so nothing may carry over;
    rate-limit counters neither."""
    for store in caches.all():
        store.clear()
    yield
    for store in caches.all():
        store.clear()
