"""Faults: friendly error pages that need neither the database nor the request; a 503
with Retry-After while the database is unreachable, and recovery without a restart
when it returns; a failing geocoder or cache never stops a listing from being saved."""

import logging
import shutil
from unittest import mock

import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

from directory.core.cache import cached_public_data
from directory.models import Location, Organization
from solidarity.errors import render_error_page
from tests.support.admin_forms import ADD_URL, new_organization_data
from tests.support.production import TcpProxy, fetch, gunicorn_server, manage, production_env

pytestmark = pytest.mark.django_db

FRIENDLY_503 = "The directory is briefly unavailable"


def assert_friendly_error_page(text: str, heading: str):
    assert heading in text
    assert settings.SITE_NAME.split(":")[0] in text, "the page is in the site's design"
    assert 'href="/organizations/"' in text or 'href="/"' in text, "a way back into the site"
    assert "Traceback" not in text
    assert "Exception" not in text


def test_unknown_pages_get_the_sites_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert_friendly_error_page(response.content.decode(), "We could not find that page")
    assert "Content-Security-Policy" in response


def test_a_bad_host_header_gets_the_sites_400(client):
    response = client.get("/", headers={"host": "attacker.example"})
    assert response.status_code == 400
    assert_friendly_error_page(response.content.decode(), "We could not understand that request")


def test_a_forbidden_admin_page_gets_the_sites_403(organizer_client):
    response = organizer_client.get(reverse("admin:auth_user_changelist"))
    assert response.status_code == 403
    assert_friendly_error_page(response.content.decode(), "You cannot open this page")


def test_a_form_without_its_csrf_token_gets_a_403_that_says_what_to_do():
    response = Client(enforce_csrf_checks=True).post(
        reverse("admin:login"), {"username": "a", "password": "b"}
    )
    assert response.status_code == 403
    assert "reload the page" in response.content.decode()


@pytest.mark.urls("tests.support.fault_urls")
def test_a_bug_gets_the_sites_500_without_details():
    response = Client(raise_request_exception=False).get("/test-broken/")
    assert response.status_code == 500
    text = response.content.decode()
    assert_friendly_error_page(text, "Something went wrong on our side")
    assert "a bug in a view" not in text


@pytest.mark.urls("tests.support.fault_urls")
def test_a_lost_database_connection_is_a_503_with_retry_after():
    response = Client(raise_request_exception=False).get("/test-database-gone/")
    assert response.status_code == 503
    assert response["Retry-After"] == str(settings.DATABASE_RETRY_AFTER)
    assert "no-store" in response["Cache-Control"]
    assert_friendly_error_page(response.content.decode(), FRIENDLY_503)
    assert "5432" not in response.content.decode()


def test_public_pages_are_503_while_every_query_fails(published_organization):
    client = Client(raise_request_exception=False)
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("gone")):
        for url in ("/", "/organizations/", published_organization.get_absolute_url()):
            response = client.get(url)
            assert response.status_code == 503, url
            assert FRIENDLY_503 in response.content.decode()


def test_an_error_page_that_cannot_render_falls_back_to_a_plain_page():
    with mock.patch("solidarity.errors.render_to_string", side_effect=RuntimeError("broken")):
        response = render_error_page("500.html", status=500)
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


def test_error_pages_render_without_a_request_or_the_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        for template, heading in [
            ("400.html", "We could not understand that request"),
            ("403.html", "You cannot open this page"),
            ("404.html", "We could not find that page"),
            ("500.html", "Something went wrong on our side"),
            ("503.html", FRIENDLY_503),
        ]:
            response = render_error_page(template, status=500)
            assert_friendly_error_page(response.content.decode(), heading)


# A real server process whose database is not there: a wrong DATABASE_URL.
@pytest.fixture(scope="module")
def migrated_sqlite(tmp_path_factory, collected_static):
    path = tmp_path_factory.mktemp("db") / "db.sqlite3"
    manage("migrate", "--noinput", env=production_env(DATABASE_URL=f"sqlite:///{path}"))
    return path


def assert_unavailable(base_url):
    for path in ("/", "/organizations/", "/organizations/some-listing/", "/readyz"):
        response = fetch(base_url + path)
        assert response.status == 503, f"{path}: {response.status}"
        if path != "/readyz":
            assert FRIENDLY_503 in response.body
            assert response.headers["Retry-After"] == str(settings.DATABASE_RETRY_AFTER)
            assert "Traceback" not in response.body
    assert fetch(base_url + "/healthz").status == 200, "the process itself is fine"


def assert_available(base_url):
    assert fetch(base_url + "/").status == 200
    assert fetch(base_url + "/readyz").status == 200


@pytest.mark.parametrize(
    "database_url",
    [
        "postgres://postgres@127.0.0.1:1/solidarity",
        "sqlite:////nonexistent-folder/db.sqlite3",
    ],
    ids=["postgresql-nobody-listening", "sqlite-missing-file"],
)
def test_a_server_with_a_wrong_database_url_shows_a_friendly_503(collected_static, database_url):
    env = production_env(DATABASE_URL=database_url, STATIC_ROOT=str(collected_static))
    with gunicorn_server(env) as base_url:
        assert_unavailable(base_url)
        assert fetch(base_url + "/no-such-page/").status == 404, "no database needed"


def test_a_server_recovers_by_itself_when_its_sqlite_database_returns(
    tmp_path, collected_static, migrated_sqlite
):
    database = tmp_path / "later" / "db.sqlite3"
    env = production_env(DATABASE_URL=f"sqlite:///{database}", STATIC_ROOT=str(collected_static))
    with gunicorn_server(env) as base_url:
        assert_unavailable(base_url)
        database.parent.mkdir()
        shutil.copy(migrated_sqlite, database)
        assert_available(base_url)


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="needs the PostgreSQL test database (DATABASE_URL=postgres://...)",
)
@pytest.mark.django_db(transaction=True)
def test_a_server_recovers_by_itself_when_postgresql_goes_away_and_returns(collected_static):
    database = settings.DATABASES["default"]
    proxy = TcpProxy(database["HOST"] or "127.0.0.1", int(database["PORT"] or 5432))
    user = database["USER"] or "postgres"
    url = f"postgres://{user}@127.0.0.1:{proxy.port}/{database['NAME']}"
    env = production_env(DATABASE_URL=url, STATIC_ROOT=str(collected_static))
    with gunicorn_server(env) as base_url:
        assert_unavailable(base_url)  # not started yet
        proxy.start()
        assert_available(base_url)
        proxy.stop()  # the kept-open connection breaks, as when PostgreSQL restarts
        assert_unavailable(base_url)
        proxy.start()
        assert_available(base_url)
        proxy.stop()


def test_saving_a_listing_works_when_the_street_geocoder_is_down(organizer_client, settings):
    settings.GEOCODER = "nominatim"
    settings.GEOCODER_DOMAIN = "127.0.0.1:1"  # nothing listens there
    settings.GEOCODER_TIMEOUT = 2
    response = organizer_client.post(ADD_URL, new_organization_data(), follow=True)
    assert response.status_code == 200
    assert "could not be reached" in response.content.decode()
    location = Location.objects.get(organization__slug="riverdale-bakers")
    assert location.point_source == "zip"
    assert location.latitude is not None


@pytest.fixture
def broken_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }


def test_saving_a_listing_works_when_the_cache_is_down(
    organizer_client, broken_cache, django_capture_on_commit_callbacks, caplog
):
    with (
        caplog.at_level(logging.WARNING, logger="directory.core.cache"),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        # Published, so the change is public and the data version must move.
        response = organizer_client.post(ADD_URL, new_organization_data(status="published"))
    assert response.status_code == 302
    assert Organization.objects.filter(slug="riverdale-bakers").exists()
    assert callbacks, "the change tried to invalidate the cache"
    assert "Cache write failed" in caplog.text


def test_public_data_is_served_uncached_when_the_cache_is_down(broken_cache, caplog):
    with caplog.at_level(logging.WARNING, logger="directory.core.cache"):
        value = cached_public_data("anything", {"q": "bread"}, lambda: "fresh")
    assert value == "fresh"
    assert "Cache unavailable" in caplog.text
