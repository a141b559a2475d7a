"""/api/locations.geojson: the map data built by the database (directory/map_data.py)."""

import gzip
import json

import pytest
from django.urls import reverse

from directory.models import Location
from tests.support.factories import LocationFactory, OrganizationFactory, organization_type

pytestmark = pytest.mark.django_db

URL = reverse("directory:location-map-data")


def features(response):
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/geo+json"
    document = json.loads(response.content)
    assert document["type"] == "FeatureCollection"
    return document["features"]


@pytest.fixture
def bakery(db):
    organization = OrganizationFactory(
        name="Harbor Bakery Workers", slug="harbor-bakery", type=organization_type()
    )
    LocationFactory(
        organization=organization,
        city="Baltimore",
        state="MD",
        zip_code="21201",
        jurisdiction=None,
        latitude=39.290412,
        longitude=-76.612189,
    )
    return organization


def test_features_are_rfc_7946_points_with_only_what_the_map_needs(client, bakery):
    (feature,) = features(client.get(URL))
    assert feature == {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [-76.612189, 39.290412]},
        "properties": {
            "slug": "harbor-bakery",
            "name": "Harbor Bakery Workers",
            "type_slug": "worker-cooperative",
            "city": "Baltimore",
            "accepting": bakery.accepting_members,
            "url": "http://testserver/organizations/harbor-bakery/",
        },
    }


def test_an_empty_result_is_an_empty_feature_collection(client):
    response = client.get(URL)
    assert features(response) == []
    assert json.loads(response.content)["truncated"] is False


def test_approximate_points_are_rounded_and_hidden_ones_absent(client):
    approximate = OrganizationFactory(name="Quiet Pantry")
    LocationFactory(
        organization=approximate, precision="approximate", latitude=38.912345, longitude=-77.019876
    )
    hidden = OrganizationFactory(name="Safe House Network")
    LocationFactory(organization=hidden, precision="hidden", latitude=38.95, longitude=-77.05)
    (feature,) = features(client.get(URL))
    assert feature["properties"]["name"] == "Quiet Pantry"
    assert feature["geometry"]["coordinates"] == [-77.02, 38.91]
    assert "38.912345" not in client.get(URL).content.decode()


@pytest.mark.parametrize("status", ["draft", "pending", "archived"])
def test_unpublished_organizations_never_appear(client, status):
    LocationFactory(organization=OrganizationFactory(name="Not Yet Listed", status=status))
    assert features(client.get(URL)) == []


def test_every_location_with_a_public_point_is_a_feature(client, bakery):
    LocationFactory(organization=bakery, is_primary=False, city="Towson", latitude=39.4)
    LocationFactory(organization=bakery, is_primary=False, latitude=None, longitude=None)
    cities = sorted(feature["properties"]["city"] for feature in features(client.get(URL)))
    assert cities == ["Baltimore", "Towson"]


def test_the_shared_filters_apply(client, bakery):
    credit_union = OrganizationFactory(type=organization_type("credit-union"))
    LocationFactory(organization=credit_union)
    slugs = {f["properties"]["slug"] for f in features(client.get(URL, {"type": "credit-union"}))}
    assert slugs == {credit_union.slug}
    assert features(client.get(URL, {"q": "bakery"}))[0]["properties"]["slug"] == bakery.slug
    assert len(features(client.get(URL, {"state": "MD"}))) == 1


def test_bbox_keeps_only_points_inside(client, bakery):
    LocationFactory(organization=OrganizationFactory(name="Downtown DC"))
    inside = features(client.get(URL, {"bbox": "-76.7,39.2,-76.5,39.4"}))
    assert [f["properties"]["name"] for f in inside] == ["Harbor Bakery Workers"]
    assert features(client.get(URL, {"bbox": "-80,36,-79,37"})) == []


def test_bbox_only_sees_the_rounded_point_of_an_approximate_location(client):
    """A tiny box around the exact point must not find it: that would locate it more
    closely than the map shows."""
    organization = OrganizationFactory()
    LocationFactory(
        organization=organization, precision="approximate", latitude=38.9137, longitude=-77.0163
    )
    assert features(client.get(URL, {"bbox": "-77.0164,38.9136,-77.0162,38.9138"})) == []
    assert len(features(client.get(URL, {"bbox": "-77.021,38.909,-77.019,38.911"}))) == 1


@pytest.mark.parametrize(
    "query",
    [
        {"bbox": "1,2,3"},
        {"bbox": "1,2,3,4,5"},
        {"bbox": "west,south,east,north"},
        {"bbox": "NaN,38,-76,39"},
        {"bbox": "inf,38,-76,39"},
        {"bbox": "-190,38,-76,39"},
        {"bbox": "-77,-95,-76,39"},
        {"bbox": "1," * 5000},
        {"type": "bakery"},
        {"state": "NY"},
        {"jurisdiction": "00000"},
        {"near": "10001"},
        {"radius": "-5", "near": "20001"},
        {"q": "x" * 10_000},
    ],
)
def test_bad_parameters_are_a_400_with_a_json_message(client, query):
    response = client.get(URL, query)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content)["errors"]


def test_the_number_of_queries_does_not_grow_with_the_rows(client, django_assert_max_num_queries):
    LocationFactory.create_batch(3)
    with django_assert_max_num_queries(4) as few:
        assert len(features(client.get(URL, {"type": "worker-cooperative"}))) == 3
    LocationFactory.create_batch(60)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(features(client.get(URL, {"type": "worker-cooperative"}))) == 63


def test_an_unchanged_map_is_a_304(client, bakery):
    first = client.get(URL, {"state": "MD"})
    etag = first["ETag"]
    assert "no-cache" in first["Cache-Control"]
    again = client.get(URL, {"state": "MD"}, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again["ETag"] == etag
    assert client.get(URL, {"state": "VA"}, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_editing_a_listing_or_only_its_location_changes_the_etag(client, bakery):
    etag = client.get(URL)["ETag"]
    bakery.name = "Harbor Bread Workers"
    bakery.save()
    renamed = client.get(URL, HTTP_IF_NONE_MATCH=etag)
    assert renamed.status_code == 200
    location = Location.objects.get(organization=bakery)
    location.precision = "approximate"
    location.save()
    moved = client.get(URL, HTTP_IF_NONE_MATCH=renamed["ETag"])
    assert moved.status_code == 200
    assert features(moved)[0]["geometry"]["coordinates"] == [-76.61, 39.29]


def test_unpublishing_changes_the_etag(client, bakery):
    etag = client.get(URL)["ETag"]
    bakery.status = "archived"
    bakery.save()
    response = client.get(URL, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert features(response) == []


def test_the_response_is_gzipped_when_the_client_accepts_it(client):
    LocationFactory.create_batch(20)
    response = client.get(URL, HTTP_ACCEPT_ENCODING="gzip, deflate")
    assert response["Content-Encoding"] == "gzip"
    document = json.loads(gzip.decompress(response.content))
    assert len(document["features"]) == 20
    assert response["ETag"].startswith('W/"')
    revalidated = client.get(
        URL, HTTP_ACCEPT_ENCODING="gzip, deflate", HTTP_IF_NONE_MATCH=response["ETag"]
    )
    assert revalidated.status_code == 304


def test_the_number_of_features_is_capped(client, settings):
    settings.MAP_DATA_MAX_FEATURES = 5
    LocationFactory.create_batch(7)
    document = json.loads(client.get(URL).content)
    assert len(document["features"]) == 5
    assert document["truncated"] is True
    settings.MAP_DATA_MAX_FEATURES = 7
    document = json.loads(client.get(URL).content)
    assert len(document["features"]) == 7
    assert document["truncated"] is False


def test_names_are_data_not_markup(client):
    LocationFactory(organization=OrganizationFactory(name='<img src=x onerror=alert(1)> "q"'))
    (feature,) = features(client.get(URL))
    assert feature["properties"]["name"] == '<img src=x onerror=alert(1)> "q"'


def test_a_box_is_the_one_between_its_corners_in_either_order(client):
    LocationFactory(latitude=38.9, longitude=-77.03)
    ordered = features(client.get(URL, {"bbox": "-77.1,38.8,-76.9,39.0"}))
    assert len(ordered) == 1
    for reversed_corners in ("-76.9,38.8,-77.1,39.0", "-77.1,39.0,-76.9,38.8"):
        assert features(client.get(URL, {"bbox": reversed_corners})) == ordered
