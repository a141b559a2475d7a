"""Pages are sent gzip-compressed to clients that accept it, with Django's BREACH
mitigation (a random-length gzip header on every answer) and a fresh CSRF mask for
every answer; map data keeps its own, precomputed compression."""

import gzip

import pytest
from django.conf import settings
from django.urls import reverse

from tests.support.factories import LocationFactory, OrganizationFactory

pytestmark = pytest.mark.django_db
GZIP = {"accept-encoding": "gzip, deflate, br"}


@pytest.fixture
def listings(db):
    for _number in range(5):
        LocationFactory(organization=OrganizationFactory())


@pytest.mark.parametrize(
    "url",
    [
        reverse("directory:home"),
        reverse("directory:organization-list"),
        reverse("directory:print-sheet"),
        reverse("directory:suggest"),
    ],
)
def test_pages_are_compressed_for_clients_that_accept_gzip(client, listings, url):
    plain = client.get(url)
    compressed = client.get(url, headers=GZIP)
    assert "Content-Encoding" not in plain
    assert compressed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed["Vary"]
    html = gzip.decompress(compressed.content)
    assert html.startswith(b"<!doctype html>")
    assert len(compressed.content) < len(html) / 3


def test_cached_pages_are_compressed_too(client, listings):
    url = reverse("directory:organization-list")
    first = client.get(url, headers=GZIP)
    second = client.get(url, headers=GZIP)  # from the page cache
    assert second["Content-Encoding"] == "gzip"
    assert gzip.decompress(first.content) == gzip.decompress(second.content)


def test_every_answer_has_a_random_length_against_breach(client, listings):
    url = reverse("directory:organization-list")
    lengths = {len(client.get(url, headers=GZIP).content) for _number in range(8)}
    assert len(lengths) > 1


def test_a_form_page_masks_its_csrf_token_anew_in_each_compressed_answer(client):
    url = reverse("directory:suggest")
    tokens = set()
    for _number in range(2):
        html = gzip.decompress(client.get(url, headers=GZIP).content).decode()
        tokens.add(html.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0])
    assert len(tokens) == 2


def test_map_data_keeps_its_own_compression(client, listings):
    response = client.get(reverse("directory:location-map-data"), headers=GZIP)
    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.content).startswith(b"{")


def test_gzip_runs_after_whitenoise_so_static_files_keep_their_precompressed_copies():
    middleware = settings.MIDDLEWARE
    gzip_at = middleware.index("django.middleware.gzip.GZipMiddleware")
    assert middleware.index("whitenoise.middleware.WhiteNoiseMiddleware") < gzip_at
    assert gzip_at < middleware.index("directory.core.middleware.ContentSecurityPolicyMiddleware")
