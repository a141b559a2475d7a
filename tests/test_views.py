"""Public pages show published organizations only, through the shared filters."""

import pytest
from django.urls import reverse

from tests.factories import LocationFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

LIST_URL = reverse("directory:organization-list")


def names(response):
    return {organization.name for organization in response.context["organizations"]}


def test_home_lists_real_published_organizations(client, published_organization):
    OrganizationFactory(name="Secret Draft Co-op", status="draft")
    response = client.get(reverse("directory:home"))
    text = response.content.decode()
    assert "Takoma Bread Cooperative" in text
    assert "Secret Draft Co-op" not in text


@pytest.mark.parametrize("status", ["draft", "pending", "archived"])
def test_unpublished_organizations_are_not_found(client, status):
    organization = OrganizationFactory(status=status)
    assert client.get(organization.get_absolute_url()).status_code == 404
    assert organization.name not in client.get(LIST_URL).content.decode()


def test_the_detail_page_shows_public_fields_but_not_internal_ones(client):
    organization = OrganizationFactory(
        name="Shaw Credit Union",
        website="https://example.org/shaw",
        phone="(202) 555-0100",
        internal_contact_email="private@example.org",
        internal_notes="Board is divided.",
    )
    LocationFactory(organization=organization, street_address="1 Secret Way", precision="hidden")
    text = client.get(organization.get_absolute_url()).content.decode()
    assert "Shaw Credit Union" in text
    assert 'href="tel:(202)555-0100"' in text
    assert "private@example.org" not in text
    assert "Board is divided" not in text
    assert "1 Secret Way" not in text
    assert "not shown publicly" in text


def test_type_pages_describe_the_type_and_list_only_that_type(client, published_organization):
    response = client.get(reverse("directory:type-detail", args=["worker-cooperative"]))
    assert response.status_code == 200
    assert "owned and run by the people who work in it" in response.content.decode()
    assert names(response) == {"Takoma Bread Cooperative"}
    assert client.get(reverse("directory:type-detail", args=["no-such-type"])).status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        {"type": "bakery"},
        {"state": "NY"},
        {"near": "10001"},
        {"near": "nan,nan"},
        {"radius": "-5", "near": "20001"},
        {"page": "abc"},
        {"page": "0"},
        {"page": "99999"},
        {"q": "x" * 10_000},
    ],
)
def test_bad_filters_are_a_400_with_a_message(client, query):
    response = client.get(LIST_URL, query)
    assert response.status_code == 400
    assert "could not be used" in response.content.decode()


def test_filters_narrow_the_list(client, published_organization):
    OrganizationFactory(name="Richmond Lenders", type=published_organization.type)
    assert names(client.get(LIST_URL, {"state": "MD"})) == {"Takoma Bread Cooperative"}
    assert names(client.get(LIST_URL, {"q": "takoma"})) == {"Takoma Bread Cooperative"}
    assert names(client.get(LIST_URL, {"near": "20912", "radius": "5"})) == {
        "Takoma Bread Cooperative"
    }
