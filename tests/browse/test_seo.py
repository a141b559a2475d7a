"""Detail pages for people, search engines and link previews (directory/seo.py)."""

import json
import re

import pytest
from django.template import engines

from directory.models import Jurisdiction, Sector, SocialLink
from tests.support.factories import LocationFactory, OrganizationFactory, organization_type

pytestmark = pytest.mark.django_db


def json_ld(text):
    (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', text, re.S)
    return json.loads(block)


@pytest.fixture
def credit_union(db):
    organization = OrganizationFactory(
        name="Shaw Neighborhood Credit Union",
        slug="shaw-cu",
        type=organization_type("credit-union"),
        summary="Savings and loans for Shaw.",
        website="https://example.org/shaw",
        email="hello@example.org",
        phone="(202) 555-0143",
        year_founded=1972,
        languages=["en", "es"],
        service_area=["11001"],
        internal_contact_email="treasurer@private.example",
        internal_notes="Board is divided.",
        source="Phone call with the manager",
    )
    SocialLink.objects.create(
        organization=organization, label="Mastodon", url="https://m.example/@s"
    )
    LocationFactory(
        organization=organization,
        label="Main branch",
        street_address="1500 7th St NW",
        zip_code="20001",
        latitude=38.9101,
        longitude=-77.0219,
        hours="Mon-Fri 9-5",
        accessibility="Step-free entrance",
    )
    return organization


def test_the_detail_page_shows_every_public_field_with_working_links(client, credit_union):
    text = client.get(credit_union.get_absolute_url()).content.decode()
    for shown in (
        "Savings and loans for Shaw.",
        'href="https://example.org/shaw"',
        'href="mailto:hello@example.org"',
        'href="tel:2025550143"',
        'href="https://m.example/@s"',
        "1500 7th St NW",
        "Mon-Fri 9-5",
        "Step-free entrance",
        "District of Columbia",
        "English, Spanish",
        "1972",
        "Checked by organizers in",
    ):
        assert shown in text, shown
    for private in ("treasurer@private.example", "Board is divided", "Phone call with"):
        assert private not in text


def test_the_detail_page_has_a_mini_map_of_public_points(client, credit_union):
    response = client.get(credit_union.get_absolute_url())
    config = response.context["map_config"]
    assert config["points"] == [
        {"latitude": 38.9101, "longitude": -77.0219, "label": "Main branch", "approximate": False}
    ]
    assert "leaflet/leaflet.js" in response.content.decode()


def test_canonical_url_and_open_graph_tags(client, credit_union):
    text = client.get(credit_union.get_absolute_url()).content.decode()
    assert '<link rel="canonical" href="http://testserver/organizations/shaw-cu/">' in text
    assert '<meta property="og:title" content="Shaw Neighborhood Credit Union">' in text
    assert '<meta property="og:url" content="http://testserver/organizations/shaw-cu/">' in text
    assert '<meta property="og:description" content="Savings and loans for Shaw.">' in text


def test_json_ld_uses_the_closest_schema_org_type_with_address_and_geo(client, credit_union):
    data = json_ld(client.get(credit_union.get_absolute_url()).content.decode())
    assert data["@context"] == [
        "https://schema.org",
        {"essglobal": "http://purl.org/essglobal/vocab/"},
    ]
    assert data["@type"] == "BankOrCreditUnion"
    assert data["name"] == "Shaw Neighborhood Credit Union"
    assert data["telephone"] == "(202) 555-0143"
    assert data["address"]["streetAddress"] == "1500 7th St NW"
    assert data["address"]["postalCode"] == "20001"
    assert data["geo"] == {"@type": "GeoCoordinates", "latitude": 38.9101, "longitude": -77.0219}
    assert data["sameAs"] == ["https://example.org/shaw", "https://m.example/@s"]
    assert data["areaServed"] == [{"@type": "AdministrativeArea", "name": "District of Columbia"}]
    assert data["knowsLanguage"] == ["English", "Spanish"]
    assert "treasurer@private.example" not in json.dumps(data)


@pytest.mark.parametrize(
    ("type_slug", "schema_type"),
    [
        ("mutual-aid", "NGO"),
        ("community-land-trust", "NGO"),
        ("worker-cooperative", "LocalBusiness"),
        ("community-lender", "FinancialService"),
        ("housing-cooperative", "Organization"),
        ("other", "Organization"),
    ],
)
def test_each_kind_maps_to_a_schema_org_type(client, type_slug, schema_type):
    organization = OrganizationFactory(type=organization_type(type_slug))
    assert json_ld(client.get(organization.get_absolute_url()).content.decode())["@type"] == (
        schema_type
    )


def test_approximate_and_hidden_points_never_leak_into_the_page_or_json_ld(client):
    organization = OrganizationFactory(type=organization_type("mutual-aid"))
    LocationFactory(
        organization=organization,
        street_address="12 Hidden Lane",
        precision="approximate",
        latitude=38.912345,
        longitude=-77.019876,
    )
    LocationFactory(
        organization=organization,
        is_primary=False,
        street_address="99 Secret Court",
        precision="hidden",
        latitude=38.95432,
        longitude=-77.05432,
        jurisdiction=Jurisdiction.objects.get(fips="11001"),
    )
    text = client.get(organization.get_absolute_url()).content.decode()
    for secret in ("12 Hidden Lane", "99 Secret Court", "38.912345", "-77.019876", "38.954"):
        assert secret not in text
    data = json_ld(text)
    places = data["location"]
    assert places[0]["geo"] == {"@type": "GeoCoordinates", "latitude": 38.91, "longitude": -77.02}
    assert "geo" not in places[1]
    assert "streetAddress" not in places[0]["address"]
    assert places[0]["description"].startswith("Approximate location")
    assert places[1]["description"] == "The address and point of this location are not published."
    # An NGO is no place: the address is the organization's own, the geo only the place's.
    assert data["@type"] == "NGO"
    assert data["address"] == places[0]["address"] and "geo" not in data


def test_json_ld_carries_the_essglobal_terms_of_the_type_and_sectors(client):
    organization = OrganizationFactory(type=organization_type("worker-cooperative"))
    organization.sectors.set(Sector.objects.filter(slug__in=["food", "technology"]))
    data = json_ld(client.get(organization.get_absolute_url()).content.decode())
    standard = "http://purl.org/essglobal/standard/"
    assert data["essglobal:organisationalStructure"] == {
        "@id": f"{standard}organisational-structure/OS60"
    }
    assert data["essglobal:legalForm"] == {"@id": f"{standard}legal-form/L2"}
    assert data["essglobal:economicSector"] == {"@id": f"{standard}activities-modified/AM60"}


def test_only_hidden_locations_say_the_location_is_not_shown(client):
    organization = OrganizationFactory()
    LocationFactory(organization=organization, precision="hidden")
    response = client.get(organization.get_absolute_url())
    assert response.context["map_config"] is None
    assert "Location not shown publicly." in response.content.decode()


def test_json_ld_cannot_break_out_of_its_script_element(client):
    organization = OrganizationFactory(name="</script><script>alert(1)</script>")
    text = client.get(organization.get_absolute_url()).content.decode()
    assert "</script><script>alert(1)" not in text
    assert json_ld(text)["name"] == "</script><script>alert(1)</script>"


def test_another_template_can_fill_the_suggest_an_edit_slot(client, rf, credit_union):
    response = client.get(credit_union.get_absolute_url())
    child = engines["django"].from_string(
        '{% extends "directory/organization_detail.html" %}'
        '{% block suggest_edit %}<a href="/suggest-here/">Suggest an edit</a>{% endblock %}'
    )
    names = ("organization", "locations", "canonical_url", "json_ld", "map_config")
    context = {name: response.context[name] for name in names}
    text = child.render(context, request=rf.get("/"))
    assert '<a href="/suggest-here/">Suggest an edit</a>' in text
    assert "Shaw Neighborhood Credit Union" in text
