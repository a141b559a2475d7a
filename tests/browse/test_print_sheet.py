"""The printable resource sheet at /print/: every match of the filters (not one page),
public fields only, a bounded number of queries, and a cap with a clear message."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from directory.browse import print_sheet
from directory.models import OrganizationStatus, Precision
from tests.support.factories import LocationFactory, OrganizationFactory, organization_type

pytestmark = pytest.mark.django_db
URL = reverse("directory:print-sheet")


def sheet(client, **params):
    response = client.get(URL, params)
    return response, response.content.decode()


def test_the_sheet_lists_every_match_not_only_the_first_page(client):
    for number in range(30):  # more than the list's 25 per page
        OrganizationFactory(
            name=f"Bakers {number:02d}", type=organization_type("worker-cooperative")
        )
    OrganizationFactory(name="A Credit Union", type=organization_type("credit-union"))
    response, text = sheet(client, type="worker-cooperative")
    assert response.status_code == 200
    assert text.count('class="sheet-entry"') == 30
    assert "Bakers 29" in text
    assert "A Credit Union" not in text
    assert "Resource sheet: 30 organizations" in text


def test_the_sheet_shows_public_contact_details_hours_and_languages(client):
    organization = OrganizationFactory(
        name="Shaw Bakers",
        phone="(202) 555-0143",
        website="https://example.org/shaw",
        languages=["en", "es"],
    )
    LocationFactory(
        organization=organization,
        street_address="1500 7th St NW",
        zip_code="20001",
        hours="Mon-Fri 9-5",
    )
    _, text = sheet(client)
    for shown in (
        "Shaw Bakers",
        "Worker cooperative",
        "1500 7th St NW, Washington, DC 20001",
        "Mon-Fri 9-5",
        'href="tel:2025550143"',
        "(202) 555-0143",
        "example.org/shaw",
        "English, Spanish",
    ):
        assert shown in text, shown


@pytest.mark.parametrize("precision", [Precision.APPROXIMATE, Precision.HIDDEN])
def test_approximate_and_hidden_addresses_never_reach_the_sheet(client, precision):
    organization = OrganizationFactory(name="Safe Haven")
    LocationFactory(
        organization=organization,
        precision=precision,
        street_address="77 Secret Lane",
        zip_code="20009",
        latitude=38.91234,
        longitude=-77.04321,
    )
    _, text = sheet(client)
    assert "Safe Haven" in text
    assert "Washington, DC" in text
    assert "address not public" in text
    for secret in ("77 Secret Lane", "20009", "38.91234", "-77.04321", "38.912", "-77.043"):
        assert secret not in text


def test_organizations_without_a_location_show_the_area_they_serve(client):
    OrganizationFactory(name="Roaming Fridge", service_area=["11001"])
    _, text = sheet(client)
    assert re.search(r"Serves:</span>\s*District of Columbia", text)


def test_unpublished_organizations_are_not_on_the_sheet(client):
    OrganizationFactory(name="Draft Co-op", status=OrganizationStatus.DRAFT)
    _, text = sheet(client)
    assert "Draft Co-op" not in text
    assert "No organization matches these filters" in text


def test_the_sheet_names_its_filters_its_date_and_its_own_address_as_a_qr_code(client, settings):
    settings.SITE_URL = "https://directory.example.org"
    OrganizationFactory(languages=["es"])
    _, text = sheet(client, state="DC", language="es", accepting="yes", sort="name")
    assert re.search(r"State:</span> District of Columbia", text)
    assert re.search(r"Language:</span> Spanish", text)
    assert re.search(r"Accepting new members:</span> Yes", text)
    assert "Sort by" not in text
    assert re.search(r"Printed \w+ \d+, \d{4}", text)
    address = "https://directory.example.org/print/?state=DC&amp;language=es&amp;accepting=yes"
    assert address in text
    assert '<svg viewBox="0 0 ' in text and 'class="segno"' in text


def test_the_sheet_has_no_site_chrome_and_a_print_stylesheet(client):
    _, text = sheet(client)
    assert "site-header" not in text
    assert "filter-panel" not in text
    assert "directory/print.css" in text
    assert 'name="robots" content="noindex"' in text


def test_bad_filters_are_a_400_with_the_message(client):
    response, text = sheet(client, radius="abc")
    assert response.status_code == 400
    assert "These filters could not be used" in text
    assert "Within (miles)" in text


def test_the_number_of_queries_does_not_grow_with_the_rows(client):
    def queries_for(count):
        for _number in range(count):
            organization = OrganizationFactory(languages=["en", "es"], service_area=["11001"])
            LocationFactory(organization=organization)
            LocationFactory(organization=organization, is_primary=False)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL).status_code == 200
        return len(captured)

    few = queries_for(2)
    many = queries_for(20)
    assert few == many
    assert many <= 8


def test_too_many_matches_ask_to_narrow_the_filters(client, monkeypatch):
    monkeypatch.setattr(print_sheet, "MAX_SHEET_ROWS", 3)
    for _number in range(5):
        OrganizationFactory()
    response, text = sheet(client, type="worker-cooperative")
    assert response.status_code == 200
    assert "Too many organizations for one sheet" in text
    assert "5 organizations match these filters, more than the 3" in text
    assert 'class="sheet-entry"' not in text
    assert 'href="/organizations/?type=worker-cooperative"' in text


@pytest.mark.parametrize("page", ["directory:home", "directory:organization-list"])
def test_the_results_link_to_a_sheet_of_the_same_filters(client, page):
    OrganizationFactory(name="Shaw Bakers", type=organization_type("worker-cooperative"))
    text = client.get(reverse(page), {"type": "worker-cooperative", "page": 1}).content.decode()
    (link,) = re.findall(r'href="([^"]*)" data-print-link', text)
    assert link.startswith(URL + "?")
    assert "type=worker-cooperative" in link
    assert "page=" not in link
    response = client.get(link.replace("&amp;", "&"))
    assert response.status_code == 200
    assert "Shaw Bakers" in response.content.decode()
