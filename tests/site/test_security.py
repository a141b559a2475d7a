"""Secure by default: deployment checks, security headers on every public URL graded by
the Mozilla HTTP Observatory's rules, framing, cookies, admin lockout and passwords."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import resolve, reverse

from solidarity.settings import tile_image_source
from tests.support import observatory
from tests.support.factories import UserFactory
from tests.support.public_urls import (
    PUBLIC_ENDPOINTS,
    PUBLIC_PAGES,
    public_urls,
    sample_data,
    url_patterns,
)

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parents[2]
HOST = "directory.example.org"
STRONG_PASSWORD = "correct horse battery staple"
# The production environment docs/deploy.md documents (with a real secret, of course).
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "prod-like-" + "Jq4vX8mZ2rT6wN0pL3sK7dH1fB5cY9gA" * 2,
    "ALLOWED_HOSTS": HOST,
    "SITE_URL": f"https://{HOST}",
    "CSRF_TRUSTED_ORIGINS": f"https://{HOST}",
    "DATABASE_URL": "postgres://solidarity@127.0.0.1:5432/solidarity",
    "CACHE_URL": "redis://127.0.0.1:6379/1",
    "TRUSTED_PROXIES": "1",
}


def manage(*args, **env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "SECURE_", "CACHE_"))
    }
    environment.update({"DJANGO_SETTINGS_MODULE": "solidarity.settings", **env})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_check_deploy_passes_with_the_documented_production_environment():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout + result.stderr


def test_check_deploy_fails_on_a_per_process_cache_and_a_plain_http_site_url():
    env = {**PRODUCTION_ENV, "CACHE_URL": "locmemcache://", "SITE_URL": f"http://{HOST}"}
    result = manage("check", "--deploy", "--fail-level", "WARNING", **env)
    assert result.returncode != 0
    assert "directory.W001" in result.stderr
    assert "directory.W002" in result.stderr


def test_hsts_shorter_than_six_months_refuses_to_start():
    result = manage("check", **{**PRODUCTION_ENV, "SECURE_HSTS_SECONDS": "86400"})
    assert result.returncode != 0
    assert "SECURE_HSTS_SECONDS must be at least six months" in result.stderr


def test_the_admin_url_is_settable():
    result = manage(
        "shell",
        "-c",
        "from django.urls import reverse; print(reverse('admin:index'))",
        **{**PRODUCTION_ENV, "ADMIN_URL": "curation/"},
    )
    assert result.stdout.strip().endswith("/curation/"), result.stderr


@pytest.mark.parametrize(
    ("tile_url", "source"),
    [
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org"),
        ("https://{s}.tiles.example.org/{z}/{x}/{y}.png", "https://*.tiles.example.org"),
        ("/tiles/{z}/{x}/{y}.png", None),
    ],
)
def test_map_tiles_are_the_only_outside_images_the_policy_allows(tile_url, source):
    assert tile_image_source(tile_url) == source


def test_the_policy_allows_the_configured_tile_server_for_images(client):
    policy = observatory.parse_csp(client.get("/")["Content-Security-Policy"])
    assert policy["img-src"] == {"'self'", "data:", "https://tile.openstreetmap.org"}
    assert policy["script-src"] == {"'self'"}
    assert policy["style-src"] == {"'self'"}


OPEN_DATA_ENDPOINTS = {
    "map-data",
    "map-data-bbox",
    "api-organizations",
    "api-organization",
    "api-geojson",
    "export-csv",
    "api-schema",
    "datapackage",
    "murmurations-list",
    "murmurations-profile",
}


@pytest.fixture
def pages(db):
    return public_urls(sample_data())


def observatory_outcomes(client, url, *, host=HOST):
    origin = "https://partner.example.net"
    response = client.get(url, secure=True, headers={"host": host, "origin": origin})
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    headers = response.headers
    hsts = observatory.grade_hsts(headers)
    return [
        observatory.grade_csp(headers),
        observatory.grade_cookies(list(response.cookies.values()), hsts=hsts.passed),
        observatory.grade_cors(headers, request_origin=origin),
        observatory.grade_referrer_policy(headers),
        hsts,
        observatory.grade_sri(response, origin=f"https://{host}"),
        observatory.grade_x_content_type_options(headers),
        observatory.grade_x_frame_options(headers),
        observatory.grade_corp(headers),
    ]


@pytest.mark.parametrize("page", [*PUBLIC_PAGES, *PUBLIC_ENDPOINTS])
def test_every_public_url_scores_a_plus_on_the_observatory_rules(settings, pages, page):
    settings.ALLOWED_HOSTS = [HOST]
    outcomes = observatory_outcomes(Client(), pages[page])
    failed = [outcome for outcome in outcomes if not outcome.passed]
    assert failed == [], f"{pages[page]}: {failed}"
    results = {outcome.test: outcome.result for outcome in outcomes}
    assert results["csp"] == "csp-implemented-with-no-unsafe-default-src-none"
    assert results["x-frame-options"] == "x-frame-options-implemented-via-csp"
    assert results["referrer-policy"] == "referrer-policy-private"
    assert results["hsts"] == "hsts-implemented-max-age-at-least-six-months"
    # Open data is readable from partners' pages (Access-Control-Allow-Origin: *, no
    # credentials); the Observatory scores that public access as harmless.
    expected_cors = (
        "cross-origin-resource-sharing-implemented-with-public-access"
        if page in OPEN_DATA_ENDPOINTS
        else "cross-origin-resource-sharing-not-implemented"
    )
    assert results["cors"] == expected_cors
    points = observatory.score(outcomes)
    assert observatory.grade_letter(points) == "A+", f"{pages[page]} scored {points}"


# Routes that take no GET: the language switch (tests/site/test_languages.py).
POST_ONLY_ROUTES = {"i18n/setlang/"}


def test_every_route_of_the_site_is_in_the_list_of_public_urls(pages):
    covered = {resolve(urlsplit(url).path).route for url in pages.values()} | POST_ONLY_ROUTES
    missing = set(url_patterns()) - covered
    assert missing == set(), f"add these routes to tests/public_urls.py: {sorted(missing)}"


def test_plain_http_is_redirected_to_https_on_the_same_host(settings, pages):
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = [HOST]
    client = Client()
    for name, url in pages.items():
        response = client.get(url, headers={"host": HOST})
        if name in ("healthz", "readyz"):
            assert response.status_code == 200, "load balancer probes may use plain HTTP"
            continue
        outcome = observatory.grade_redirection(response, host=HOST)
        assert outcome.result == "redirection-to-https", f"{url}: {outcome}"
        assert response["Location"] == f"https://{HOST}{url}"


def test_no_cross_origin_document_is_offered(client):
    assert client.get("/crossdomain.xml").status_code == 404
    assert client.get("/clientaccesspolicy.xml").status_code == 404


def test_geolocation_is_allowed_for_this_site_only(client):
    policy = client.get("/")["Permissions-Policy"]
    features = dict(item.strip().split("=", 1) for item in policy.split(","))
    assert features["geolocation"] == "(self)"
    assert features["camera"] == "()"
    assert features["microphone"] == "()"


@pytest.mark.urls("tests.support.frameable_urls")
def test_only_views_marked_frameable_may_be_framed_and_by_any_site(client):
    ordinary = client.get("/test-ordinary/")
    assert observatory.parse_csp(ordinary["Content-Security-Policy"])["frame-ancestors"] == {
        "'none'"
    }
    assert ordinary["X-Frame-Options"] == "DENY"

    frameable = client.get("/test-embed/")
    policy = observatory.parse_csp(frameable["Content-Security-Policy"])
    assert policy["frame-ancestors"] == {"*"}
    assert "X-Frame-Options" not in frameable
    # Everything else stays as strict as on any page.
    assert policy["script-src"] == {"'self'"}
    assert policy["default-src"] == {"'none'"}


def test_sign_in_cookies_are_secure_http_only_and_same_site(client, settings):
    settings.ALLOWED_HOSTS = [HOST]
    user = UserFactory(organizer=True)
    login_url = reverse("admin:login")
    page = client.get(login_url, secure=True, headers={"host": HOST})
    csrf = page.cookies["csrftoken"]
    response = client.post(
        login_url,
        {
            "username": user.username,
            "password": STRONG_PASSWORD,
            "csrfmiddlewaretoken": csrf.value,
        },
        secure=True,
        headers={"host": HOST},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"]
    assert session["samesite"] == "Lax"
    assert csrf["secure"] and csrf["samesite"] == "Lax"
    outcome = observatory.grade_cookies([session, csrf], hsts=True)
    assert outcome.result == "cookies-secure-with-httponly-sessions-and-samesite"


WRONG_PASSWORD = "wrong password entirely"


def failed_sign_in(client, username, password=WRONG_PASSWORD):
    return client.post(reverse("admin:login"), {"username": username, "password": password})


def test_repeated_failed_sign_ins_lock_the_account_until_an_organizer_unlocks_it(client, settings):
    user = UserFactory(organizer=True)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert failed_sign_in(client, user.username).status_code == 200  # the form again
    locked = failed_sign_in(client, user.username)
    assert locked.status_code == 429
    assert "Too many sign-in attempts" in locked.content.decode()
    # Even the right password is refused while locked.
    assert failed_sign_in(client, user.username, STRONG_PASSWORD).status_code == 429

    call_command("axes_reset_username", user.username, stdout=StringIO())
    response = failed_sign_in(client, user.username, STRONG_PASSWORD)
    assert response.status_code == 302, "signed in after the reset"


def test_a_superuser_can_unlock_an_account_in_the_admin(client, settings):
    user = UserFactory(organizer=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        failed_sign_in(client, user.username)
    assert failed_sign_in(client, user.username, STRONG_PASSWORD).status_code == 429
    attempt = AccessAttempt.objects.get(username=user.username)

    admin_client = Client()
    admin_client.force_login(UserFactory(is_superuser=True))
    delete_url = reverse("admin:axes_accessattempt_delete", args=[attempt.pk])
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 302

    assert failed_sign_in(client, user.username, STRONG_PASSWORD).status_code == 302


def test_another_address_is_not_locked_out_by_someone_elses_failures(client, settings):
    user = UserFactory(organizer=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        failed_sign_in(client, user.username)
    elsewhere = Client(REMOTE_ADDR="203.0.113.7")
    response = elsewhere.post(
        reverse("admin:login"), {"username": user.username, "password": STRONG_PASSWORD}
    )
    assert response.status_code == 302


def test_spraying_many_usernames_from_one_address_locks_the_address(client, settings):
    # Locked out per username and address only, 12 usernames sprayed with four wrong
    # passwords each from one address were never stopped.
    usernames = [f"guess{number}" for number in range(12)]
    organizer = UserFactory(organizer=True)
    answers = [
        failed_sign_in(client, username).status_code
        for _round in range(2)
        for username in usernames
    ]
    limit = settings.AXES_ADDRESS_FAILURE_LIMIT
    assert answers[: limit - 1] == [200] * (limit - 1)
    assert set(answers[limit - 1 :]) == {429}
    # The whole address is paused, even for an organizer with the right password ...
    locked = failed_sign_in(client, organizer.username, STRONG_PASSWORD)
    assert locked.status_code == 429
    assert "too many wrong passwords from this network" in locked.content.decode()
    # ... and nowhere else.
    elsewhere = Client(REMOTE_ADDR="203.0.113.7")
    assert failed_sign_in(elsewhere, organizer.username, STRONG_PASSWORD).status_code == 302
    call_command("axes_reset_ip", "127.0.0.1", stdout=StringIO())
    assert failed_sign_in(client, organizer.username, STRONG_PASSWORD).status_code == 302


def test_people_mistyping_at_one_shared_computer_are_not_locked_out_together(client, settings):
    people = UserFactory.create_batch(3, organizer=True)
    for person in people:
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            assert failed_sign_in(client, person.username).status_code == 200
    for person in people:
        assert failed_sign_in(client, person.username, STRONG_PASSWORD).status_code == 302
        client.logout()


def test_signing_in_with_ones_own_account_does_not_reset_the_addresss_count(client, settings):
    insider = UserFactory(organizer=True)
    for number in range(settings.AXES_ADDRESS_FAILURE_LIMIT - 1):
        assert failed_sign_in(client, f"guess{number % 10}").status_code == 200
    assert failed_sign_in(client, insider.username, STRONG_PASSWORD).status_code == 302
    client.logout()
    assert failed_sign_in(client, "another-guess").status_code == 429


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/", ""])
def test_signing_in_with_a_refused_or_empty_next_address_lands_on_the_admin(client, next_url):
    # A refused next= used to land on /accounts/profile/, a 404.
    user = UserFactory(organizer=True)
    response = client.post(
        f"{reverse('admin:login')}?next={next_url}",
        {"username": user.username, "password": STRONG_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    assert client.get(response["Location"]).status_code == 200


WEAK_PASSWORDS = ["password1234", "12345678901234", "short1!", "organizer-new"]


@pytest.fixture
def superuser_client(db):
    client = Client()
    client.force_login(UserFactory(is_superuser=True))
    return client


@pytest.mark.parametrize("weak", WEAK_PASSWORDS)
def test_a_new_account_cannot_get_a_weak_password(superuser_client, weak):
    response = superuser_client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "organizer-new",
            "usable_password": "true",
            "password1": weak,
            "password2": weak,
        },
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not get_user_model().objects.filter(username="organizer-new").exists()


@pytest.mark.parametrize("weak", WEAK_PASSWORDS[:3])
def test_an_organizers_password_cannot_be_changed_to_a_weak_one(superuser_client, weak):
    organizer = UserFactory(organizer=True)
    url = reverse("admin:auth_user_password_change", args=[organizer.pk])
    response = superuser_client.post(
        url, {"usable_password": "true", "password1": weak, "password2": weak}
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    organizer.refresh_from_db()
    assert organizer.check_password(STRONG_PASSWORD)


def test_an_organizer_cannot_choose_a_weak_password_for_themselves(organizer_client, organizer):
    response = organizer_client.post(
        reverse("admin:password_change"),
        {
            "old_password": STRONG_PASSWORD,
            "new_password1": "password1234",
            "new_password2": "password1234",
        },
    )
    assert response.status_code == 200
    assert "This password is too common" in response.content.decode()
    organizer.refresh_from_db()
    assert organizer.check_password(STRONG_PASSWORD)


def test_a_strong_password_is_accepted(superuser_client):
    strong = "river stones under a quiet bridge"
    response = superuser_client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "organizer-new",
            "usable_password": "true",
            "password1": strong,
            "password2": strong,
        },
    )
    assert response.status_code == 302
    assert get_user_model().objects.get(username="organizer-new").check_password(strong)


def test_static_files_on_a_cdn_are_allowed_by_the_policy():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; "
        "print(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['script-src'])",
        **{**PRODUCTION_ENV, "STATIC_URL": "https://cdn.example.net/static/"},
    )
    assert "https://cdn.example.net" in result.stdout, result.stderr
