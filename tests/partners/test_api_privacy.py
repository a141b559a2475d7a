"""Nothing private leaves through any partner format: no unpublished organization, no
internal field, no exact point or address of an approximate or hidden location."""

import json

import pytest
from django.urls import reverse

from tests.support.factories import LocationFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

SECRETS = [
    "SECRET-DRAFT",
    "SECRET-PENDING",
    "SECRET-ARCHIVED",
    "SECRET-CONTACT-NAME",
    "secret-contact@example.org",
    "555-0199",
    "SECRET-NOTES",
    "SECRET-SOURCE",
    "SECRET-APPROXIMATE-STREET",
    "SECRET-HIDDEN-STREET",
    "20910",  # ZIP codes of the approximate and hidden locations
    "20912",
    "38.912345",  # exact coordinates of the approximate location
    "-77.012345",
    "38.987654",  # the hidden location, exact or rounded
    "-77.023456",
    "38.99",
    "-77.02",
]


@pytest.fixture
def private_data():
    for status in ("draft", "pending", "archived"):
        unpublished = OrganizationFactory(
            name=f"SECRET-{status.upper()}", slug=f"secret-{status}", status=status
        )
        LocationFactory(organization=unpublished)
    organization = OrganizationFactory(
        name="Safe Harbor Mutual Aid",
        slug="safe-harbor",
        internal_contact_name="SECRET-CONTACT-NAME",
        internal_contact_email="secret-contact@example.org",
        internal_contact_phone="(202) 555-0199",
        internal_notes="SECRET-NOTES",
        source="SECRET-SOURCE",
    )
    LocationFactory(
        organization=organization,
        street_address="SECRET-APPROXIMATE-STREET",
        state="MD",
        city="Silver Spring",
        zip_code="20910",
        jurisdiction=None,
        latitude=38.912345,
        longitude=-77.012345,
        precision="approximate",
    )
    LocationFactory(
        organization=organization,
        is_primary=False,
        street_address="SECRET-HIDDEN-STREET",
        state="MD",
        city="Takoma Park",
        zip_code="20912",
        jurisdiction=None,
        latitude=38.987654,
        longitude=-77.023456,
        precision="hidden",
    )
    return organization


def body(response) -> str:
    assert response.status_code == 200, response
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode()


@pytest.mark.parametrize(
    "path",
    [
        reverse("directory:export-organizations-csv"),
        reverse("directory:api-organization-list"),
        reverse("directory:api-organization-detail", kwargs={"slug": "safe-harbor"}),
        reverse("directory:api-organization-geojson"),
        reverse("directory:murmurations-profile", kwargs={"slug": "safe-harbor"}),
    ],
)
def test_no_format_reveals_private_or_unpublished_data(client, private_data, path):
    text = body(client.get(path))
    assert "Safe Harbor Mutual Aid" in text
    assert "38.91" in text and "-77.01" in text, "the approximate point, rounded"
    for secret in SECRETS:
        assert secret not in text, secret


@pytest.mark.parametrize("status", ["draft", "pending", "archived"])
def test_unpublished_organizations_have_no_api_address(client, private_data, status):
    path = reverse("directory:api-organization-detail", kwargs={"slug": f"secret-{status}"})
    assert client.get(path).status_code == 404


def test_filters_cannot_reach_unpublished_organizations(client, private_data):
    for path in (
        reverse("directory:export-organizations-csv"),
        reverse("directory:api-organization-list"),
        reverse("directory:api-organization-geojson"),
    ):
        text = body(client.get(path, {"q": "SECRET"}))
        assert "SECRET-DRAFT" not in text and "SECRET-PENDING" not in text, path


def test_no_format_exposes_database_ids_that_would_count_unpublished_listings(client, private_data):
    """Ids are given in order to every listing, drafts included, so their gaps would
    count what is not published: the slug is the public key everywhere."""
    api = client.get(reverse("directory:api-organization-list")).json()
    assert all("id" not in result for result in api["results"])
    detail = client.get(reverse("directory:api-organization-detail", args=["safe-harbor"]))
    assert "id" not in detail.json()
    csv_header = body(client.get(reverse("directory:export-organizations-csv"))).split("\r\n")[0]
    assert csv_header.split(",")[0] == "slug" and "id" not in csv_header.split(",")
    collection = json.loads(body(client.get(reverse("directory:api-organization-geojson"))))
    for feature in collection["features"]:
        assert feature["id"] == feature["properties"]["slug"]
        assert "id" not in feature["properties"]
