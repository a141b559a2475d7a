"""Open data that joins other networks: Murmurations profiles, ESSGlobal terms and
the data package, checked against the networks' own files (offline copies)."""

import jsonschema
import pytest
from django.urls import reverse

from directory.models import Organization, OrganizationType, Sector
from tests.support.factories import LocationFactory, OrganizationFactory
from tests.support.interop import essglobal_concepts, murmurations_schema

pytestmark = pytest.mark.django_db

STANDARD = "http://purl.org/essglobal/standard/"


def profile_url(slug: str) -> str:
    return reverse("directory:murmurations-profile", kwargs={"slug": slug})


def test_every_published_demo_organization_has_a_valid_murmurations_profile(client, demo_data):
    validator = jsonschema.Draft7Validator(murmurations_schema())
    published = list(Organization.objects.published().values_list("slug", "name"))
    assert published
    for slug, name in published:
        response = client.get(profile_url(slug))
        assert response.status_code == 200, slug
        profile = response.json()
        errors = [error.message for error in validator.iter_errors(profile)]
        assert not errors, (slug, errors)
        assert profile["name"] == name
        assert profile["linked_schemas"] == ["organizations_schema-v1.0.0"]


def test_the_profile_list_names_every_published_profile_and_nothing_else(client, demo_data):
    data = client.get(reverse("directory:murmurations-list")).json()
    expected = sorted(Organization.objects.published().values_list("slug", flat=True))
    assert data["profiles"] == [f"http://testserver{profile_url(slug)}" for slug in expected]


@pytest.mark.parametrize("status", ["draft", "pending", "archived"])
def test_an_unpublished_organization_has_no_profile(client, status):
    OrganizationFactory(slug="not-public", status=status)
    assert client.get(profile_url("not-public")).status_code == 404


def test_a_profile_applies_the_precision_rules_and_carries_the_essglobal_terms(client):
    organization = OrganizationFactory(
        slug="harbor",
        type=OrganizationType.objects.get(slug="mutual-aid"),
        email="hello@example.org",
        internal_contact_email="private@example.org",
        website="",
    )
    organization.sectors.set([Sector.objects.get(slug="food")])
    LocationFactory(
        organization=organization,
        street_address="12 Secret Lane",
        city="Silver Spring",
        state="MD",
        zip_code="20910",
        latitude=38.912345,
        longitude=-77.012345,
        precision="approximate",
    )
    profile = client.get(profile_url("harbor")).json()
    assert profile["geolocation"] == {"lat": 38.91, "lon": -77.01}
    assert profile["full_address"] == "Silver Spring, MD"
    assert profile["contact_details"] == {"email": "hello@example.org"}
    assert profile["primary_url"] == "http://testserver/organizations/harbor/"
    assert "private@example.org" not in str(profile) and "Secret" not in str(profile)
    assert {
        "predicate_url": "http://purl.org/essglobal/vocab/organisationalStructure",
        "object_url": f"{STANDARD}organisational-structure/OS10",
    } in profile["relationships"]
    assert {
        "predicate_url": "http://purl.org/essglobal/vocab/economicSector",
        "object_url": f"{STANDARD}activities-modified/AM60",
    } in profile["relationships"]


def test_a_hidden_primary_location_gives_no_point_and_no_street(client):
    organization = OrganizationFactory(slug="shelter")
    LocationFactory(
        organization=organization,
        street_address="9 Hidden Ct",
        city="Takoma Park",
        state="MD",
        zip_code="20912",
        latitude=38.98,
        longitude=-77.0,
        precision="hidden",
    )
    profile = client.get(profile_url("shelter")).json()
    assert "geolocation" not in profile
    assert profile["full_address"] == "Takoma Park, MD"


@pytest.mark.parametrize(
    ("model", "field", "scheme"),
    [
        (OrganizationType, "essglobal_structure", "organisational-structure"),
        (OrganizationType, "essglobal_legal_form", "legal-form"),
        (Sector, "essglobal_activity", "activities-modified"),
    ],
)
def test_every_mapped_term_exists_in_the_essglobal_vocabulary(model, field, scheme):
    concepts = essglobal_concepts(scheme)
    terms = [term for term in model.objects.values_list(field, flat=True) if term]
    assert len(terms) >= 8
    for term in terms:
        prefix, _, code = term.rpartition("/")
        assert prefix == f"{STANDARD}{scheme}", term
        assert code in concepts, term


def test_the_data_package_describes_every_csv_column_in_order(client, demo_data):
    package = client.get(reverse("directory:export-datapackage")).json()
    (resource,) = package["resources"]
    assert resource["path"] == "http://testserver/export/organizations.csv"
    header = b"".join(client.get(resource["path"]).streaming_content).split(b"\r\n")[0]
    fields = resource["schema"]["fields"]
    assert [field["name"] for field in fields] == header.decode().split(",")
    assert resource["schema"]["primaryKey"] == ["slug"]
    by_name = {field["name"]: field for field in fields}
    for name in ("zip_code", "jurisdiction_fips", "service_area_fips"):
        assert by_name[name]["type"] == "string", name
    assert by_name["state"]["constraints"]["enum"] == ["DC", "MD", "VA"]
    assert package["licenses"][0]["path"] == "https://creativecommons.org/licenses/by-sa/4.0/"
