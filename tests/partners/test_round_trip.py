"""The public CSV imports back (manage.py import_public_csv, over the organizers'
spreadsheet import) and exports again the same."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from directory.listings.imports.diff import UNCHANGED
from directory.models import Organization
from tests.support.factories import OrganizationFactory
from tests.support.imports import preview

pytestmark = pytest.mark.django_db

# Columns that describe more than the primary location and the listing's own fields:
# an import brings one location per row.
NOT_ROUND_TRIPPED = {"location_count"}


def export(client) -> str:
    response = client.get(reverse("directory:export-organizations-csv"))
    return b"".join(response.streaming_content).decode()


def rows(text: str) -> dict[str, dict]:
    return {
        row["slug"]: {key: value for key, value in row.items() if key not in NOT_ROUND_TRIPPED}
        for row in csv.DictReader(io.StringIO(text))
    }


def test_the_public_csv_imports_back_and_exports_the_same(client, demo_data, tmp_path):
    OrganizationFactory(slug="formula-phone", phone="+1 202 555 0100", summary="=not a formula")
    before = export(client)
    path = tmp_path / "organizations.csv"
    path.write_text(before, encoding="utf-8")
    Organization.objects.all().delete()
    call_command("import_public_csv", str(path), "--commit")
    after = export(client)
    old, new = rows(before), rows(after)
    changed = {
        (slug, key, old[slug][key], new[slug].get(key))
        for slug in old
        for key in old[slug]
        if old[slug][key] != new.get(slug, {}).get(key)
    }
    # The import finds a location's county from its ZIP code, which the export shows
    # only for exact locations; it has no county column of its own (yet).
    county_lost = {
        change
        for change in changed
        if change[1] in ("jurisdiction", "jurisdiction_fips")
        and old[change[0]]["location_precision"] != "exact"
    }
    assert changed - county_lost == set()
    organization = Organization.objects.get(slug="formula-phone")
    assert (organization.phone, organization.summary) == ("+1 202 555 0100", "=not a formula")


def test_checking_writes_nothing_and_problems_name_their_row(tmp_path, demo_data, client):
    text = export(client)
    path = tmp_path / "organizations.csv"
    path.write_text(text.replace(",worker-cooperative,", ",bakery-cooperative,", 1))
    count = Organization.objects.count()
    with pytest.raises(CommandError, match="nothing written"):
        call_command("import_public_csv", str(path), "--commit")
    assert Organization.objects.count() == count
    path.write_text("name,city\r\nx,y\r\n")
    with pytest.raises(CommandError, match="Not an export"):
        call_command("import_public_csv", str(path))


def test_the_public_csv_previews_unchanged_in_the_organizers_import(client, organizer, demo_data):
    """The public CSV, uploaded as it is to the admin's import: its column names
    (type_slug, service_area as "name, state", location_precision), its formula
    apostrophes and what it withholds (the street, ZIP code and exact point of approximate
    and hidden locations) change nothing."""
    OrganizationFactory(slug="formula-phone", phone="+1 202 555 0100", summary="=not a formula")
    content = export(client).encode()
    client.force_login(organizer)

    response = preview(client, SimpleUploadedFile("organizations.csv", content), title_case=False)

    plan = response.context["plan"]
    assert len(plan.rows) == Organization.objects.published().count()
    changed = {
        row.number: [(change.column, change.before, change.after) for change in row.changes]
        or row.errors
        for row in plan.rows
        if row.outcome != UNCHANGED
    }
    assert changed == {}
