"""A new location of a mutual aid group (any type marked sensitive) is approximate unless
someone chose its precision: in the admin, in an import (approved suggestions are in
tests/contributions/test_contributions.py)."""

import pytest
from django.urls import reverse

from directory.models import Jurisdiction, Organization, OrganizationType
from tests.support.admin_forms import ADD_URL, new_organization_data
from tests.support.factories import LocationFactory, OrganizationFactory, organization_type
from tests.support.html_forms import form_data
from tests.support.imports import GOOD_ROW, confirm, csv_upload, preview

pytestmark = pytest.mark.django_db


def change_url(organization):
    return reverse("admin:directory_organization_change", args=[organization.pk])


def test_the_seeded_mutual_aid_type_is_sensitive_and_others_are_not():
    sensitive = set(OrganizationType.objects.filter(sensitive=True).values_list("slug", flat=True))
    assert sensitive == {"mutual-aid"}


def add_location_as_the_page_offers_it(page) -> dict:
    """The change form's data with one location added from the inline's empty form, as
    "Add another location" does in the browser."""
    data = form_data(page, "organization_form")
    index = int(data["locations-TOTAL_FORMS"])
    for name, value in list(data.items()):
        if name.startswith("locations-__prefix__-"):
            data[name.replace("__prefix__", str(index))] = value
    data["locations-TOTAL_FORMS"] = str(index + 1)
    data[f"locations-{index}-zip_code"] = "20020"
    data[f"locations-{index}-label"] = "Pantry"
    return data


@pytest.mark.parametrize(
    ("type_slug", "expected"), [("mutual-aid", "approximate"), ("worker-cooperative", "exact")]
)
def test_a_location_added_in_the_admin_starts_at_its_types_precision(
    organizer_client, type_slug, expected
):
    organization = OrganizationFactory(type=organization_type(type_slug))
    LocationFactory(organization=organization, precision="exact")
    page = organizer_client.get(change_url(organization))
    data = add_location_as_the_page_offers_it(page)
    assert data["locations-__prefix__-precision"] == expected, "what the new form shows"
    response = organizer_client.post(change_url(organization), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    added = organization.locations.get(label="Pantry")
    assert added.precision == expected
    assert organization.locations.exclude(label="Pantry").get().precision == "exact", "kept"


@pytest.mark.parametrize(
    ("type_slug", "chosen", "expected"),
    [
        ("mutual-aid", "", "approximate"),  # the add page's default: "as usual for its type"
        ("worker-cooperative", "", "exact"),
        ("mutual-aid", "exact", "exact"),  # an organizer's choice is kept
    ],
)
def test_a_new_listings_location_left_to_its_type(organizer_client, type_slug, chosen, expected):
    page = organizer_client.get(ADD_URL).content.decode()
    assert "As usual for its type" in page
    data = new_organization_data(
        type=str(organization_type(type_slug).pk), **{"locations-0-precision": chosen}
    )
    response = organizer_client.post(ADD_URL, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    location = Organization.objects.get(slug="riverdale-bakers").locations.get()
    assert location.precision == expected


@pytest.mark.parametrize(
    ("type_slug", "cell", "expected"),
    [
        ("mutual-aid", "", "approximate"),
        ("worker-cooperative", "", "exact"),
        ("mutual-aid", "exact", "exact"),
    ],
)
def test_an_imported_location_without_a_precision_follows_its_type(
    organizer_client, type_slug, cell, expected
):
    row = {**GOOD_ROW, "type": type_slug, "precision": cell}
    response = confirm(organizer_client, preview(organizer_client, csv_upload([row])))
    assert response.status_code == 302
    assert Organization.objects.get().locations.get().precision == expected


def test_an_empty_precision_cell_keeps_an_existing_locations_precision(organizer_client):
    organization = OrganizationFactory(name=GOOD_ROW["name"])
    LocationFactory(
        organization=organization,
        precision="hidden",
        street_address="",
        city="Hyattsville",
        state="MD",
        zip_code="20781",
        jurisdiction=Jurisdiction.objects.get(fips="24033"),
        latitude=38.955,
        longitude=-76.945,
    )
    row = {**GOOD_ROW, "precision": "", "summary": "Changed summary."}
    response = confirm(organizer_client, preview(organizer_client, csv_upload([row])))
    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.summary == "Changed summary."
    assert organization.locations.get().precision == "hidden"
