"""The JSON API: pages with counts and links, the list's filters, public fields only,
responses that match the OpenAPI schema, constant queries, and the /api/ page."""

import json
import re
from urllib.parse import urlencode

import pytest
import yaml
from django.core.management import call_command
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openapi_core import OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse

from directory.browse.filters import OrganizationFilterSet
from directory.browse.selectors import filter_organizations
from directory.models import Jurisdiction, Organization
from directory.partners.columns import COLUMNS
from directory.partners.serializers import (
    JurisdictionSerializer,
    LanguageSerializer,
    OrganizationDetailSerializer,
    OrganizationSerializer,
    PublicLocationSerializer,
    SocialLinkSerializer,
)
from tests.support.factories import LocationFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

ESSGLOBAL = "http://purl.org/essglobal/standard/"

LIST_URL = reverse("directory:api-organization-list")
DOCS_URL = reverse("directory:api-docs")
SCHEMA_URL = reverse("directory:api-schema")


def detail_url(slug):
    return reverse("directory:api-organization-detail", kwargs={"slug": slug})


def all_slugs(client, query):
    response = client.get(LIST_URL, {**query, "page_size": 500})
    assert response.status_code == 200, response.content
    return [organization["slug"] for organization in response.json()["results"]]


def test_a_page_has_the_count_links_licence_and_results(client, settings):
    for index in range(5):
        OrganizationFactory(name=f"Co-op {index}")
    first = client.get(LIST_URL, {"page_size": 2}).json()
    assert first["count"] == 5
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/organizations/?page=2&page_size=2"
    assert [item["name"] for item in first["results"]] == ["Co-op 0", "Co-op 1"]
    assert first["license"] == {"name": settings.DATA_LICENSE, "url": settings.DATA_LICENSE_URL}
    last = client.get(first["next"].replace("page=2", "page=3")).json()
    assert last["next"] is None
    assert last["previous"] == "http://testserver/api/organizations/?page=2&page_size=2"
    assert [item["name"] for item in last["results"]] == ["Co-op 4"]


def test_pages_hold_100_organizations_unless_asked_otherwise(client):
    call_command("generate_listings", "--count", "130")
    assert len(client.get(LIST_URL).json()["results"]) == 100
    assert len(client.get(LIST_URL, {"page": 2}).json()["results"]) == 30


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"state": "VA"},
        {"type": ["mutual-aid", "credit-union"]},
        {"q": "housing co-op"},
        {"language": "es", "accepting": "yes"},
        {"sector": ["food", "housing"]},
        {"serves": "11001"},
        {"near": "22204", "radius": "8"},
        {"sort": "verified"},
    ],
)
def test_the_api_has_the_organizations_of_the_list_with_the_same_filters(client, demo_data, query):
    expected = filter_organizations(QueryDict(urlencode(query, doseq=True)))
    assert all_slugs(client, query) == list(expected.values_list("slug", flat=True))


def test_an_organization_shows_its_public_fields_and_locations_at_public_precision(client):
    county = Jurisdiction.objects.get(fips="24031")
    organization = OrganizationFactory(
        name="Wheaton Workers Co-op",
        slug="wheaton-workers",
        website="https://example.org/wheaton",
        phone="(301) 555-0100",
        year_founded=2015,
        membership_model="workers",
        languages=["en", "es"],
        sectors=["food"],
        service_area=["24031"],
        internal_notes="Do not publish",
    )
    LocationFactory(
        organization=organization,
        label="Kitchen",
        street_address="1 Exact Way",
        state="MD",
        zip_code="20902",
        city="Wheaton",
        jurisdiction=county,
        latitude=39.041234,
        longitude=-77.051234,
    )
    LocationFactory(
        organization=organization,
        is_primary=False,
        label="Pantry",
        street_address="2 Approximate Rd",
        state="MD",
        zip_code="20910",
        jurisdiction=county,
        latitude=38.991234,
        longitude=-77.021234,
        precision="approximate",
    )
    LocationFactory(
        organization=organization,
        is_primary=False,
        label="Shelter",
        street_address="3 Hidden Ct",
        state="MD",
        zip_code="20912",
        jurisdiction=county,
        latitude=38.98,
        longitude=-77.0,
        precision="hidden",
    )
    data = client.get(detail_url("wheaton-workers")).json()
    assert data["name"] == "Wheaton Workers Co-op"
    assert data["url"] == "http://testserver/organizations/wheaton-workers/"
    assert data["api_url"] == "http://testserver/api/organizations/wheaton-workers/"
    assert data["type"] == {
        "slug": "worker-cooperative",
        "name": "Worker cooperative",
        "essglobal_structure": f"{ESSGLOBAL}organisational-structure/OS60",
        "essglobal_legal_form": f"{ESSGLOBAL}legal-form/L2",
    }
    assert [language["code"] for language in data["languages"]] == ["en", "es"]
    assert data["sectors"] == [
        {
            "slug": "food",
            "name": "Food",
            "essglobal_activity": f"{ESSGLOBAL}activities-modified/AM60",
        }
    ]
    assert data["service_area"] == [{"fips": "24031", "name": "Montgomery County", "state": "MD"}]
    assert data["license"]["name"] == "CC BY-SA 4.0"
    exact, approximate, hidden = data["locations"]
    assert (exact["street_address"], exact["zip_code"]) == ("1 Exact Way", "20902")
    assert (exact["latitude"], exact["longitude"]) == (39.041234, -77.051234)
    assert exact["jurisdiction"] == {"fips": "24031", "name": "Montgomery County", "state": "MD"}
    assert (approximate["street_address"], approximate["zip_code"]) == (None, None)
    assert (approximate["latitude"], approximate["longitude"]) == (38.99, -77.02)
    assert (hidden["street_address"], hidden["latitude"], hidden["longitude"]) == (None,) * 3
    assert not {"internal_notes", "source", "status", "internal_contact_email"} & set(data)


@pytest.mark.parametrize("status", ["draft", "pending", "archived"])
def test_an_organization_that_is_not_published_is_a_404(client, status):
    OrganizationFactory(slug="not-public", status=status)
    response = client.get(detail_url("not-public"))
    assert response.status_code == 404
    assert response.json() == {"detail": "No published organization has this slug."}


def test_a_page_past_the_last_is_a_404_that_says_how_many_there_are(client, demo_data):
    response = client.get(LIST_URL, {"page": "99"})
    assert response.status_code == 404
    assert response.json()["detail"].startswith("page: there is no page 99; the results have")


def test_an_unknown_slug_is_a_404(client):
    assert client.get(detail_url("no-such-co-op")).status_code == 404


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"state": "NY"}, "State: Select a valid choice."),
        ({"type": "bakery"}, "Type: Select a valid choice."),
        ({"near": "10001"}, "Near"),
        ({"page": "abc"}, "page: give a whole number"),
        ({"page": "0"}, "page: there is no page 0"),
        ({"page_size": "0"}, "page_size: give a whole number from 1 to 500."),
        ({"page_size": "501"}, "page_size: give a whole number from 1 to 500."),
        ({"page_size": "ten"}, "page_size: give a whole number from 1 to 500."),
        ({"page_size": "²"}, "page_size: give a whole number from 1 to 500."),
        ({"page": "²"}, "page: give a whole number"),
        ({"format": "xml"}, "format: “xml” is not available here. Available: json."),
    ],
)
def test_unusable_parameters_are_a_400_that_says_why(client, query, message):
    response = client.get(LIST_URL, query)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["detail"] == "Some parameters could not be used."
    assert any(error.startswith(message) for error in body["errors"]), body


@pytest.mark.parametrize(
    ("path", "serializer", "items"),
    [
        (LIST_URL, OrganizationSerializer, lambda body: body["results"]),
        (detail_url("shaw"), OrganizationDetailSerializer, lambda body: [body]),
    ],
)
def test_responses_have_exactly_the_declared_fields_in_order(client, path, serializer, items):
    organization = OrganizationFactory(slug="shaw", languages=["en"], service_area=["11001"])
    LocationFactory(organization=organization)
    organization.social_links.create(url="https://example.org/shaw")
    (item,) = items(client.get(path).json())
    assert list(item) == list(serializer().fields)
    assert list(item["locations"][0]) == list(PublicLocationSerializer().fields)
    assert list(item["languages"][0]) == list(LanguageSerializer().fields)
    assert list(item["service_area"][0]) == list(JurisdictionSerializer().fields)
    assert list(item["social_links"][0]) == list(SocialLinkSerializer().fields)


def test_the_list_needs_the_same_number_of_queries_for_3_or_60_organizations(client):
    def queries_for(count):
        Organization.objects.all().delete()
        for index in range(count):
            organization = OrganizationFactory(languages=["en", "es"], sectors=["food"])
            organization.service_area.set(Jurisdiction.objects.filter(state="DC"))
            LocationFactory(organization=organization)
            LocationFactory(organization=organization, is_primary=False, precision="hidden")
            organization.social_links.create(url=f"https://example.org/{index}")
        with CaptureQueriesContext(connection) as queries:
            response = client.get(LIST_URL, {"state": "DC", "sector": "food"})
        assert len(response.json()["results"]) == count
        return len(queries)

    assert queries_for(3) == queries_for(60) <= 12


def test_the_detail_needs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    organization = OrganizationFactory(slug="busy", languages=["en", "es", "fr"])
    for _ in range(5):
        LocationFactory(organization=organization, is_primary=False)
    with django_assert_max_num_queries(8):
        assert client.get(detail_url("busy")).status_code == 200


def test_partners_pages_may_read_the_api_from_the_browser(client, published_organization):
    response = client.get(LIST_URL, headers={"origin": "https://partner.example.net"})
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]


@pytest.fixture
def openapi(client):
    response = client.get(SCHEMA_URL, {"format": "json"})
    assert response.status_code == 200
    return OpenAPI.from_dict(response.json())


def test_the_schema_states_the_values_ranges_and_patterns_the_server_accepts(client):
    schema = client.get(SCHEMA_URL, {"format": "json"}).json()
    parameters = {
        parameter["name"]: parameter["schema"]
        for parameter in schema["paths"]["/api/organizations/"]["get"]["parameters"]
    }
    assert "worker-cooperative" in parameters["type"]["items"]["enum"]
    assert "food" in parameters["sector"]["items"]["enum"]
    assert "es" in parameters["language"]["items"]["enum"]
    assert parameters["state"]["enum"] == ["", "DC", "MD", "VA"], "empty means any, as in forms"
    assert parameters["radius"]["anyOf"][0] == {"type": "number", "minimum": 0.1, "maximum": 250.0}
    assert parameters["page_size"] == {"type": "integer", "minimum": 1, "maximum": 500}
    assert parameters["page"]["minimum"] == 1
    components = schema["components"]["schemas"]

    def resolved(parameter):
        return components[parameter["$ref"].rsplit("/", 1)[1]]

    assert len(resolved(parameters["jurisdiction"])["enum"]) == 1 + 158
    assert parameters["serves"] == parameters["jurisdiction"]
    zip_codes, points = resolved(parameters["near"])["anyOf"]
    assert {"20001", "21201", "22201"} <= set(zip_codes["enum"])
    assert "10001" not in zip_codes["enum"]
    assert re.match(points["pattern"], "38.9,-77.03")


def test_a_detail_address_no_slug_could_match_is_the_apis_json_404(client):
    for path in ("/api/organizations/a b/", "/api/organizations/é/", "/api/murmurations/a.b.json"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response["Content-Type"] == "application/json", path
        assert response.json()["detail"], path


def test_the_schema_is_valid_openapi_without_warnings(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = yaml.safe_load(target.read_text())
    assert set(schema["paths"]) == {
        "/api/organizations/",
        "/api/organizations/{slug}/",
        "/api/organizations.geojson",
        "/export/organizations.csv",
        "/export/datapackage.json",
        "/api/murmurations/",
        "/api/murmurations/{slug}.json",
    }
    operation = schema["paths"]["/api/organizations/"]["get"]
    listed = {parameter["name"] for parameter in operation["parameters"]}
    assert listed == {*OrganizationFilterSet.base_filters, "page", "page_size"}
    csv_parameters = schema["paths"]["/export/organizations.csv"]["get"]["parameters"]
    columns = next(parameter for parameter in csv_parameters if parameter["name"] == "columns")
    assert set(columns["schema"]["items"]["enum"]) == {column.name for column in COLUMNS}
    assert set(operation["responses"]) == {"200", "304", "400", "404", "429"}


@pytest.mark.parametrize(
    ("path", "query", "status"),
    [
        (LIST_URL, {}, 200),
        (LIST_URL, {"state": "MD", "page_size": 5, "page": 2}, 200),
        (LIST_URL, {"near": "20912", "radius": "25", "sort": "distance"}, 200),
        (LIST_URL, {"type": ["mutual-aid", "community-land-trust"]}, 200),
        (detail_url("safe-haven-survivors-network-demo"), {}, 200),
        (detail_url("no-such-co-op"), {}, 404),
        (LIST_URL, {"state": "NY"}, 400),
    ],
)
def test_responses_validate_against_the_openapi_schema(
    client, demo_data, openapi, path, query, status
):
    response = client.get(path, query)
    assert response.status_code == status, response.content
    openapi.validate_response(
        DjangoOpenAPIRequest(response.wsgi_request), DjangoOpenAPIResponse(response)
    )


def test_every_demo_organization_validates_against_the_schema(client, demo_data, openapi):
    response = client.get(LIST_URL, {"page_size": 500})
    assert response.json()["count"] == Organization.objects.published().count()
    openapi.validate_response(
        DjangoOpenAPIRequest(response.wsgi_request), DjangoOpenAPIResponse(response)
    )


def test_the_api_page_documents_every_endpoint_filter_and_column(client, demo_data):
    response = client.get(DOCS_URL)
    assert response.status_code == 200
    text = response.content.decode()
    for path in (
        "/export/organizations.csv",
        "/api/organizations/",
        "/api/organizations.geojson",
        "/api/schema/",
        "/export/datapackage.json",
        "/api/murmurations/",
    ):
        assert f"http://testserver{path}" in text, path
    for term in (
        "organizations_schema-v1.0.0",
        "http://purl.org/essglobal/standard/organisational-structure/OS60",
        "http://purl.org/essglobal/standard/activities-modified/AM60",
        "Access-Control-Allow-Origin",
        "frictionless validate",
    ):
        assert term in text, term
    for name in (*OrganizationFilterSet.base_filters, "columns", "bom", "page", "page_size"):
        assert f"<code>{name}</code>" in text, name
    for column in COLUMNS:
        assert f"<code>{column.name}</code>" in text, column.name
    assert "worker-cooperative" in text and "credit-union" in text
    assert "CC BY-SA 4.0" in text
    assert "429" in text and "Retry-After" in text and "If-None-Match" in text


def test_the_api_page_says_where_listings_come_from(client):
    text = client.get(DOCS_URL).content.decode()
    section = text.split('id="sources"')[1].split("</section>")[0]
    for words in ("FOICU.txt", "certified CDFIs", "draft", "retrieved", "public domain"):
        assert words in section
    assert "import_public_csv" in section and "service_area_fips" in section


def test_the_api_page_examples_work_when_pasted(client, demo_data):
    text = client.get(DOCS_URL).content.decode()
    pattern = r"http://testserver/(?:api|export)/[^\s\"'<]*"
    urls = set(re.findall(pattern, text))
    assert len(urls) >= 8
    for url in urls:
        response = client.get(url.replace("&amp;", "&"))
        assert response.status_code == 200, url


def test_the_api_page_can_be_read_by_keyboard_on_a_phone(client, demo_data):
    text = client.get(DOCS_URL).content.decode()
    # Wide tables and code scroll inside themselves; keyboard users must reach them.
    assert text.count("<pre>") == 0
    assert text.count('<pre tabindex="0">') >= 7
    assert text.count('class="table-scroll" role="region"') == text.count("<table>")
    assert text.count('tabindex="0"') == text.count("<pre") + text.count("<table>")


def test_the_api_page_has_no_inline_script_style_or_handlers(client, demo_data):
    text = client.get(DOCS_URL).content.decode()
    # Scripts from files only (the JavaScript catalogue, the language switcher).
    assert not re.search(r"<script(?![^>]*\ssrc=)", text)
    assert not re.search(r"\sstyle=", text)
    assert not re.search(r"\son[a-z]+=", text)
    assert "javascript:" not in text


def test_the_schema_is_also_served_as_json(client):
    response = client.get(SCHEMA_URL, {"format": "json"})
    assert json.loads(response.content)["info"]["license"]["name"] == "Data: CC BY-SA 4.0"


def test_a_repeated_page_is_served_from_the_cache_until_the_data_changes(
    client, django_assert_max_num_queries
):
    first_organization = LocationFactory(organization__name="Alpha Cooperative").organization
    params = {"state": "DC", "page_size": "10"}
    first = client.get(LIST_URL, params)
    # Only the data version (one aggregate) is read; no filtering, paging or serializing.
    with django_assert_max_num_queries(1):
        again = client.get(LIST_URL, params)
    assert again.json() == first.json()

    first_organization.name = "Alpha Renamed Cooperative"
    first_organization.save()
    names = [row["name"] for row in client.get(LIST_URL, params).json()["results"]]
    assert names == ["Alpha Renamed Cooperative"]


def test_a_repeated_detail_is_served_from_the_cache(client, django_assert_max_num_queries):
    organization = LocationFactory(organization__slug="cached").organization
    first = client.get(detail_url("cached"))
    with django_assert_max_num_queries(2):
        again = client.get(detail_url("cached"))
    assert again.json() == first.json()
    organization.status = "archived"
    organization.save()
    assert client.get(detail_url("cached")).status_code == 404
