"""The GeoJSON of organizations: valid RFC 7946, one feature per organization of the
list with the same filters, points at public precision, the licence."""

import json
from urllib.parse import urlencode

import pytest
from django.http import QueryDict
from django.urls import reverse
from geojson_pydantic import FeatureCollection

from directory.browse.selectors import filter_organizations
from directory.core.region import REGION_BOUNDS
from directory.partners.geojson import PROPERTY_COLUMNS
from tests.support.factories import LocationFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

GEOJSON_URL = reverse("directory:api-organization-geojson")


def fetch(client, query=None) -> dict:
    response = client.get(GEOJSON_URL, query or {})
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/geo+json"
    assert response.streaming
    return json.loads(b"".join(response.streaming_content))


def assert_rfc_7946(collection: dict):
    """The pydantic models check types, members and positions; the rest of RFC 7946
    that matters here is checked by hand."""
    FeatureCollection.model_validate(collection)
    assert "crs" not in collection, "RFC 7946 removed crs: coordinates are WGS 84"
    ids = [feature["id"] for feature in collection["features"]]
    assert len(ids) == len(set(ids))
    for feature in collection["features"]:
        assert set(feature) == {"type", "id", "geometry", "properties"}
        geometry = feature["geometry"]
        if geometry is None:
            continue
        assert geometry["type"] == "Point"
        longitude, latitude = geometry["coordinates"]
        # Longitude first (RFC 7946, section 3.1.1); in this region it is negative.
        assert REGION_BOUNDS.contains(latitude, longitude), geometry


def test_the_collection_is_valid_rfc_7946_with_one_feature_per_organization(client, demo_data):
    collection = fetch(client)
    assert_rfc_7946(collection)
    expected = filter_organizations(QueryDict())
    assert [feature["properties"]["slug"] for feature in collection["features"]] == list(
        expected.values_list("slug", flat=True)
    )


@pytest.mark.parametrize(
    "query",
    [
        {"state": "DC"},
        {"type": "mutual-aid"},
        {"near": "21201", "radius": "20"},
        {"language": "es", "sector": "food"},
        {"q": "no such words anywhere"},
    ],
)
def test_the_same_filters_give_the_organizations_of_the_list(client, demo_data, query):
    collection = fetch(client, query)
    assert_rfc_7946(collection)
    expected = filter_organizations(QueryDict(urlencode(query)))
    assert [feature["id"] for feature in collection["features"]] == list(
        expected.values_list("slug", flat=True)
    )


def test_points_are_at_public_precision_and_hidden_ones_have_no_geometry(client):
    exact = OrganizationFactory(name="Exact")
    LocationFactory(organization=exact, latitude=38.912345, longitude=-77.012345)
    approximate = OrganizationFactory(name="Approximate")
    LocationFactory(
        organization=approximate, latitude=38.912345, longitude=-77.012345, precision="approximate"
    )
    hidden = OrganizationFactory(name="Hidden")
    LocationFactory(organization=hidden, latitude=38.9, longitude=-77.0, precision="hidden")
    OrganizationFactory(name="No location")
    features = {feature["properties"]["name"]: feature for feature in fetch(client)["features"]}
    assert features["Exact"]["geometry"]["coordinates"] == [-77.012345, 38.912345]
    assert features["Approximate"]["geometry"]["coordinates"] == [-77.01, 38.91]
    assert features["Approximate"]["properties"]["street_address"] is None
    assert features["Hidden"]["geometry"] is None
    assert features["Hidden"]["properties"]["location_precision"] == "hidden"
    assert features["No location"]["geometry"] is None


def test_properties_are_the_public_fields_with_json_types(client, settings):
    organization = OrganizationFactory(
        name="Properties Co-op",
        languages=["en", "es"],
        sectors=["food"],
        service_area=["11001"],
        member_count=40,
        description="Long text.",
    )
    LocationFactory(organization=organization)
    collection = fetch(client)
    assert collection["license"] == {
        "name": settings.DATA_LICENSE,
        "url": settings.DATA_LICENSE_URL,
    }
    (feature,) = collection["features"]
    properties = feature["properties"]
    assert list(properties) == [column.name for column in PROPERTY_COLUMNS]
    assert properties["languages"] == ["en", "es"]
    assert properties["sectors"] == ["food"]
    assert properties["service_area"] == ["District of Columbia, DC"]
    assert properties["service_area_fips"] == ["11001"]
    assert properties["member_count"] == 40
    assert properties["limited_equity"] is False
    assert properties["description"] == "Long text."
    assert properties["url"] == f"http://testserver/organizations/{organization.slug}/"
    assert properties["last_verified"] == organization.last_verified.isoformat()
    assert "internal_notes" not in properties and "source" not in properties


def test_bad_filters_are_a_400_in_json(client):
    response = client.get(GEOJSON_URL, {"state": "Atlantis"})
    assert response.status_code == 400
    assert response.json()["errors"][0].startswith("State:")


def test_an_empty_result_is_a_valid_empty_collection(client):
    collection = fetch(client)
    assert collection["features"] == []
    assert_rfc_7946(collection)
