"""Partners' pages read every public data address from the browser (CORS, conditional
requests included) and get it compressed; the admin, the forms and the pages stay
same-origin and uncompressed."""

import gzip
import json

import pytest
from django.urls import reverse

from tests.support.factories import LocationFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

ORIGIN = "https://partner.example.net"
DATA_URLS = {
    "api-list": lambda: reverse("directory:api-organization-list"),
    "api-detail": lambda: reverse("directory:api-organization-detail", args=["open-co-op"]),
    "geojson": lambda: reverse("directory:api-organization-geojson"),
    "map-data": lambda: reverse("directory:location-map-data"),
    "csv": lambda: reverse("directory:export-organizations-csv"),
    "schema": lambda: reverse("directory:api-schema"),
    "datapackage": lambda: reverse("directory:export-datapackage"),
    "murmurations-list": lambda: reverse("directory:murmurations-list"),
    "murmurations-profile": lambda: reverse("directory:murmurations-profile", args=["open-co-op"]),
}
SAME_ORIGIN_URLS = [
    lambda: reverse("directory:home"),
    lambda: reverse("directory:suggest"),
    lambda: reverse("admin:login"),
    lambda: reverse("directory:api-docs"),
]


@pytest.fixture
def listings():
    for number in range(12):
        organization = OrganizationFactory(
            slug="open-co-op" if number == 0 else f"co-op-{number}",
            summary="A cooperative bakery owned by the people who work in it. " * 3,
        )
        LocationFactory(organization=organization)


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("name", DATA_URLS)
def test_a_preflight_admits_conditional_requests_from_any_site(client, listings, name):
    response = client.options(
        DATA_URLS[name](),
        headers={
            "origin": ORIGIN,
            "access-control-request-method": "GET",
            "access-control-request-headers": "if-none-match, if-modified-since",
        },
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    allowed = response["Access-Control-Allow-Headers"].split(", ")
    assert {"if-none-match", "if-modified-since"} <= set(allowed)
    assert "Access-Control-Allow-Credentials" not in response


@pytest.mark.parametrize("name", DATA_URLS)
def test_answers_errors_and_304s_carry_cors_and_the_validators_are_readable(client, listings, name):
    url = DATA_URLS[name]()
    response = client.get(url, headers={"origin": ORIGIN})
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    again = client.get(url, headers={"origin": ORIGIN, "if-none-match": response["ETag"]})
    assert again.status_code == 304
    assert again["Access-Control-Allow-Origin"] == "*"


def test_bad_requests_unknown_slugs_and_redirects_carry_cors(client, listings):
    for url, status in [
        (reverse("directory:api-organization-list") + "?page=abc", 400),
        (reverse("directory:location-map-data") + "?bbox=nonsense", 400),
        (reverse("directory:api-organization-detail", args=["no-such"]), 404),
        (reverse("directory:murmurations-profile", args=["no-such"]), 404),
        ("/api/organizations", 301),
    ]:
        response = client.get(url, headers={"origin": ORIGIN})
        assert response.status_code == status, url
        assert response["Access-Control-Allow-Origin"] == "*", url


def test_the_rate_limit_answer_carries_cors(client, listings, settings):
    settings.API_RATE_LIMIT = "1/min"
    url = reverse("directory:api-organization-list")
    client.get(url, headers={"origin": ORIGIN})
    response = client.get(url, headers={"origin": ORIGIN})
    assert response.status_code == 429
    assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("make_url", SAME_ORIGIN_URLS)
def test_pages_forms_and_the_admin_are_not_opened_to_other_sites(client, make_url):
    url = make_url()
    response = client.get(url, headers={"origin": ORIGIN, "accept-encoding": "gzip"})
    assert "Access-Control-Allow-Origin" not in response, url
    preflight = client.options(
        url, headers={"origin": ORIGIN, "access-control-request-method": "POST"}
    )
    assert "Access-Control-Allow-Origin" not in preflight, url


@pytest.mark.parametrize("name", DATA_URLS)
def test_every_data_answer_is_compressed_when_asked(client, listings, name):
    url = DATA_URLS[name]()
    plain = body(client.get(url))
    response = client.get(url, headers={"accept-encoding": "gzip, deflate, br"})
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    compressed = body(response)
    assert gzip.decompress(compressed) == plain
    assert len(compressed) < len(plain)
    if name not in ("csv", "schema"):
        json.loads(plain)
