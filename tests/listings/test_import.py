"""Organizers import a partner's spreadsheet: preview first, all or nothing."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook
from reversion.models import Version

from directory.listings.imports import COLUMNS
from directory.models import Organization
from tests.support.factories import OrganizationFactory
from tests.support.imports import (
    CSV_FORMAT,
    GOOD_ROW,
    XLSX_FORMAT,
    confirm,
    csv_upload,
    preview,
)

pytestmark = pytest.mark.django_db

TEMPLATE_URL = reverse("admin:directory_organization_import_template")


def test_the_template_lists_every_column_with_an_example(organizer_client):
    response = organizer_client.get(TEMPLATE_URL)
    assert response["Content-Disposition"].startswith("attachment")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows[0]["type"] == "worker-cooperative"
    assert {"name", "slug", "zip_code", "latitude", "precision", "service_area"} <= set(rows[0])


def test_a_preview_writes_nothing_and_confirming_imports(organizer_client):
    response = preview(organizer_client, csv_upload([GOOD_ROW]))
    assert response.status_code == 200
    assert "Hyattsville Printers Cooperative" in response.content.decode()
    assert not Organization.objects.exists(), "a preview must not write"

    response = confirm(organizer_client, response)
    assert response.status_code == 302
    organization = Organization.objects.get()
    assert organization.slug == "hyattsville-printers-cooperative"
    assert sorted(organization.languages.values_list("code", flat=True)) == ["en", "es"]
    assert list(organization.service_area.values_list("fips", flat=True)) == ["24033"]
    location = organization.locations.get()
    assert location.is_primary
    assert (location.city, location.jurisdiction.fips) == ("Hyattsville", "24033")
    assert location.point_source == "zip"
    assert Version.objects.get_for_object(organization).count() == 1


def test_the_template_file_round_trips(organizer_client):
    template = organizer_client.get(TEMPLATE_URL).content
    upload = SimpleUploadedFile("template.csv", template, content_type="text/csv")
    response = confirm(organizer_client, preview(organizer_client, upload))
    assert response.status_code == 302
    assert Organization.objects.get().name == "Example Bakery Workers Cooperative"


@pytest.mark.parametrize(
    ("bad", "column", "message"),
    [
        ({"type": "bakery"}, "type", "Unknown type “bakery”"),
        ({"languages": "en;klingon"}, "languages", "Unknown value(s): klingon"),
        ({"service_area": "36061"}, "service_area", "Unknown value(s): 36061"),
        ({"state": "NY"}, "state", "is not DC, MD or VA"),
        ({"zip_code": "10001"}, "zip_code", "is in NY"),
        ({"zip_code": "2078"}, "zip_code", "is not a ZIP code"),
        ({"latitude": "-76.9", "longitude": "38.95", "zip_code": ""}, "latitude", "look swapped"),
        ({"latitude": "north", "longitude": "-76.9"}, "latitude", "is not a number"),
        ({"website": "example org"}, "website", "http://"),
        ({"status": "live"}, "status", "Unknown value “live”"),
        # Invisible and direction characters, line breaks in one-line cells.
        ({"name": "Printers\u200b Co-op"}, "name", "U+200B ZERO WIDTH SPACE"),
        ({"city": "Hyatts\u202eville"}, "city", "U+202E RIGHT-TO-LEFT OVERRIDE"),
        ({"hours": "Mon\u2066day"}, "hours", "U+2066 LEFT-TO-RIGHT ISOLATE"),
    ],
)
def test_one_bad_row_writes_nothing_and_names_row_and_column(
    organizer_client, bad, column, message
):
    rows = [
        GOOD_ROW,
        {**GOOD_ROW, "name": "Second Row Co-op", **bad},
        {**GOOD_ROW, "name": "Third"},
    ]
    response = preview(organizer_client, csv_upload(rows))
    assert response.status_code == 200
    plan = response.context["plan"]
    assert plan.has_errors
    invalid = [row for row in plan.rows if row.outcome == "error"]
    assert [row.number for row in invalid] == [3], "numbered as the spreadsheet numbers it"
    errors = invalid[0].errors
    assert column in errors, errors
    assert message in " ".join(errors[column])
    page = response.content.decode()
    assert "Confirm the import" not in page
    assert message.replace("“", "&ldquo;")[:5] in page or message[:5] in page, "errors inline"
    assert not Organization.objects.exists()


def test_an_xlsx_file_imports_too(organizer_client):
    headers = COLUMNS
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    row = {**GOOD_ROW, "zip_code": 20781, "year_founded": 2001}  # typed as numbers in Excel
    sheet.append([row.get(header) for header in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("partners.xlsx", buffer.getvalue())
    response = confirm(organizer_client, preview(organizer_client, upload, XLSX_FORMAT))
    assert response.status_code == 302
    organization = Organization.objects.get()
    assert (organization.name, organization.year_founded) == (GOOD_ROW["name"], 2001)
    assert organization.locations.get().zip_code == "20781"


def test_a_row_with_an_existing_slug_updates_that_organization(organizer_client):
    existing = OrganizationFactory(slug="hyattsville-printers", summary="Old summary.")
    row = {**GOOD_ROW, "slug": "hyattsville-printers", "summary": "New summary."}
    confirm(organizer_client, preview(organizer_client, csv_upload([row])))
    existing.refresh_from_db()
    assert existing.summary == "New summary."
    assert Organization.objects.count() == 1


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ({}, ("worker-cooperative", ["arts-media"], ["en", "es"], ["24033"])),
        (
            {
                "type": "Cooperativa de trabajo",
                "sectors": "Alimentos y bancos de alimentos; technology",
                "languages": "Español;English",
                "service_area": "Montgomery County, MD; Arlington County; 11001,24033",
            },
            (
                "worker-cooperative",
                ["food", "technology"],
                ["en", "es"],
                ["11001", "24031", "24033", "51013"],
            ),
        ),
    ],
)
def test_reference_values_are_taken_by_code_or_by_name_in_any_language(
    organizer_client, cells, expected
):
    response = confirm(
        organizer_client, preview(organizer_client, csv_upload([{**GOOD_ROW, **cells}]))
    )
    assert response.status_code == 302
    organization = Organization.objects.get()
    assert (
        organization.type.slug,
        sorted(organization.sectors.values_list("slug", flat=True)),
        sorted(organization.languages.values_list("code", flat=True)),
        sorted(organization.service_area.values_list("fips", flat=True)),
    ) == expected


def test_a_county_name_two_states_share_needs_its_state(organizer_client):
    response = preview(
        organizer_client, csv_upload([{**GOOD_ROW, "service_area": "Montgomery County"}])
    )
    assert response.context["plan"].rows[0].errors["service_area"]


def test_public_csv_column_names_are_taken(organizer_client):
    upload = SimpleUploadedFile(
        "organizations.csv",
        b"name,type_slug,type_name,service_area,service_area_fips,location_precision,zip_code\r\n"
        b"Hyattsville Printers Cooperative,worker-cooperative,Worker cooperative,"
        b'"Prince George\'s County, MD",24033,approximate,20781\r\n',
        content_type="text/csv",
    )
    response = confirm(organizer_client, preview(organizer_client, upload))
    assert response.status_code == 302
    organization = Organization.objects.get()
    assert organization.type.slug == "worker-cooperative"
    assert list(organization.service_area.values_list("fips", flat=True)) == ["24033"]
    assert organization.locations.get().precision == "approximate"


def test_export_includes_the_primary_location(organizer_client, published_organization):
    response = organizer_client.post(
        reverse("admin:directory_organization_export"),
        {
            "resource": "0",
            "format": CSV_FORMAT,
            **{f"organizationresource_{f}": "on" for f in ("name", "slug")},
        },
    )
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows[0]["name"] == "Takoma Bread Cooperative"
    assert rows[0]["zip_code"] == "20912"


def test_a_zip_code_without_a_state_is_enough_for_a_location(organizer_client):
    row = {**GOOD_ROW, "state": "", "city": ""}
    response = confirm(organizer_client, preview(organizer_client, csv_upload([row])))
    assert response.status_code == 302
    location = Organization.objects.get().locations.get()
    assert (location.state, location.city, location.zip_code) == ("MD", "Hyattsville", "20781")
