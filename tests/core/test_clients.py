"""One notion of who the client is (directory/clients.py), shared by the contribution
rate limit, the API and export throttles, the admin sign-in lockout and the request log.

Behind TRUSTED_PROXIES reverse proxies every visitor reaches the app from the proxy's
address, so each limit must count the address the proxy puts in X-Forwarded-For, and
only the entry the proxy itself wrote: a client can send any X-Forwarded-For it likes.
"""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from directory.core.clients import client_ip
from tests.support.contributions import suggestion
from tests.support.factories import UserFactory

pytestmark = pytest.mark.django_db

PROXY = "127.0.0.1"
SUGGEST_URL = reverse("directory:suggest")
API_URL = reverse("directory:api-organization-list")
WRONG_PASSWORD = "wrong password entirely"
STRONG_PASSWORD = "correct horse battery staple"


def behind_proxy(forwarded_for: str | None) -> Client:
    """A visitor whose requests reach the app through the local proxy."""
    headers = {} if forwarded_for is None else {"x-forwarded-for": forwarded_for}
    return Client(REMOTE_ADDR=PROXY, headers=headers)


def suggest(client: Client, name: str):
    return client.post(SUGGEST_URL, suggestion(name=name))


def failed_sign_in(client: Client, username: str, password: str = WRONG_PASSWORD):
    return client.post(reverse("admin:login"), {"username": username, "password": password})


# The address itself ---------------------------------------------------------------------


def request_from(remote_addr: str, forwarded_for: str | None = None):
    headers = {} if forwarded_for is None else {"x-forwarded-for": forwarded_for}
    return RequestFactory().get("/", REMOTE_ADDR=remote_addr, headers=headers)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = 0
    assert client_ip(request_from("198.51.100.4", "203.0.113.1")) == "198.51.100.4"


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "expected"),
    [
        (1, "203.0.113.1", "203.0.113.1"),
        # The client wrote the first entry; the proxy appended the address it saw.
        (1, "192.0.2.66, 203.0.113.1", "203.0.113.1"),
        (1, " 2001:db8::1 ", "2001:db8::1"),
        (1, "2001:DB8:0:0::1", "2001:db8::1"),
        # Two proxies: the outer one appended the client, the inner one the outer proxy.
        (2, "192.0.2.66, 203.0.113.1, 10.0.0.2", "203.0.113.1"),
    ],
)
def test_behind_proxies_the_entry_the_outermost_trusted_proxy_added_counts(
    settings, proxies, forwarded_for, expected
):
    settings.TRUSTED_PROXIES = proxies
    assert client_ip(request_from(PROXY, forwarded_for)) == expected


@pytest.mark.parametrize(
    ("proxies", "forwarded_for"),
    [
        (1, None),
        (1, ""),
        (1, "not-an-address"),
        (1, "203.0.113.1, "),
        (1, "203.0.113.1:4711"),
        (2, "203.0.113.1"),  # fewer entries than proxies: the header was not theirs
    ],
)
def test_a_missing_or_malformed_header_falls_back_to_the_connection(
    settings, proxies, forwarded_for
):
    settings.TRUSTED_PROXIES = proxies
    assert client_ip(request_from(PROXY, forwarded_for)) == PROXY


# Contribution rate limit ----------------------------------------------------------------


def test_two_people_behind_one_proxy_have_their_own_contribution_limit(settings):
    settings.TRUSTED_PROXIES = 1
    settings.CONTRIBUTION_RATE_LIMIT = 1
    first, second = behind_proxy("203.0.113.1"), behind_proxy("203.0.113.2")
    assert suggest(first, "Cooperative 1").status_code == 302
    assert suggest(first, "Cooperative 2").status_code == 429
    assert suggest(second, "Cooperative 3").status_code == 302


def test_a_forged_leftmost_entry_does_not_escape_the_contribution_limit(settings):
    settings.TRUSTED_PROXIES = 1
    settings.CONTRIBUTION_RATE_LIMIT = 1
    assert suggest(behind_proxy("203.0.113.1"), "Cooperative 1").status_code == 302
    forger = behind_proxy("192.0.2.99, 203.0.113.1")
    assert suggest(forger, "Cooperative 2").status_code == 429


def test_without_trusted_proxies_the_header_does_not_split_the_contribution_limit(settings):
    settings.TRUSTED_PROXIES = 0
    settings.CONTRIBUTION_RATE_LIMIT = 1
    assert suggest(behind_proxy("203.0.113.1"), "Cooperative 1").status_code == 302
    assert suggest(behind_proxy("203.0.113.2"), "Cooperative 2").status_code == 429


# API and export throttles ---------------------------------------------------------------


def test_two_clients_behind_one_proxy_have_their_own_api_limit(settings):
    settings.TRUSTED_PROXIES = 1
    settings.API_RATE_LIMIT = "1/min"
    first, second = behind_proxy("203.0.113.1"), behind_proxy("203.0.113.2")
    assert first.get(API_URL).status_code == 200
    assert first.get(API_URL).status_code == 429
    assert second.get(API_URL).status_code == 200
    forger = behind_proxy("192.0.2.99, 203.0.113.1")
    assert forger.get(API_URL).status_code == 429


def test_without_trusted_proxies_the_header_does_not_split_the_api_limit(settings):
    settings.TRUSTED_PROXIES = 0
    settings.API_RATE_LIMIT = "1/min"
    assert behind_proxy("203.0.113.1").get(API_URL).status_code == 200
    assert behind_proxy("203.0.113.2").get(API_URL).status_code == 429


# Admin sign-in lockout ------------------------------------------------------------------


def test_a_lockout_behind_the_proxy_locks_out_one_address_only(settings):
    settings.TRUSTED_PROXIES = 1
    user = UserFactory(organizer=True)
    attacker = behind_proxy("203.0.113.1")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        failed_sign_in(attacker, user.username)
    assert failed_sign_in(attacker, user.username, STRONG_PASSWORD).status_code == 429
    forger = behind_proxy("192.0.2.99, 203.0.113.1")
    assert failed_sign_in(forger, user.username, STRONG_PASSWORD).status_code == 429
    colleague = behind_proxy("203.0.113.2")
    assert failed_sign_in(colleague, user.username, STRONG_PASSWORD).status_code == 302


def test_without_trusted_proxies_the_header_does_not_escape_a_lockout(settings):
    settings.TRUSTED_PROXIES = 0
    user = UserFactory(organizer=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        failed_sign_in(behind_proxy("203.0.113.1"), user.username)
    other = behind_proxy("203.0.113.2")
    assert failed_sign_in(other, user.username, STRONG_PASSWORD).status_code == 429
