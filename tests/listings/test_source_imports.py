"""manage.py import_source: public federal lists (NCUA, CDFI Fund) read as published,
kept to the region, imported as drafts with provenance, and re-imported without
overwriting what organizers changed."""

import csv
import io
from pathlib import Path

import pytest
import reversion
from django.core.management import CommandError, call_command
from django.urls import reverse
from reversion.models import Version

from directory.contributions.merge import merge
from directory.models import (
    Organization,
    OrganizationStatus,
    PossibleDuplicate,
    Source,
    SourceRecord,
)
from tests.support.factories import LocationFactory, OrganizationFactory, organization_type

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[1] / "data" / "sources"
FOICU = (DATA / "FOICU.txt").read_text(encoding="utf-8")
CDFI = (DATA / "CDFI_Cert_List.csv").read_text(encoding="utf-8")


def run(source, path, *options) -> str:
    out = io.StringIO()
    call_command("import_source", source, str(path), *options, stdout=out)
    return out.getvalue()


def write(tmp_path, text, name="FOICU.txt", encoding="utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_ncua_rows_in_the_region_become_drafts_with_their_provenance(tmp_path):
    output = run("ncua", write(tmp_path, FOICU), "--retrieved-on", "2026-10-15")

    drafts = Organization.objects.order_by("name")
    assert [organization.name for organization in drafts] == [
        "Arlington Workers Credit Union",
        "Capitol Hill Neighbors Federal Credit Union",
        "Takoma Community Federal Credit Union",
    ]
    assert {organization.status for organization in drafts} == {OrganizationStatus.DRAFT}
    assert {organization.type.slug for organization in drafts} == {"credit-union"}
    capitol = Organization.objects.get(name__startswith="Capitol Hill")
    location = capitol.primary_location
    assert (location.street_address, location.city, location.state, location.zip_code) == (
        "600 Pennsylvania Ave SE",
        "Washington",
        "DC",
        "20003",
    )
    assert location.jurisdiction.fips == "11001" and location.latitude is not None
    assert capitol.year_founded == 1958
    assert list(capitol.sectors.values_list("slug", flat=True)) == ["money-finance"]
    record = SourceRecord.objects.get(organization=capitol)
    assert (record.source, record.record_id, str(record.retrieved_on)) == (
        Source.NCUA,
        "90001",
        "2026-10-15",
    )
    assert "Public domain" in record.license and record.license_url.startswith("https://")
    assert "row 6 #90005 Wrong Zip Federal Credit Union: rejected: zip_code:" in output
    assert "Created 3 drafts" in output and "skipped outside the region 1" in output
    assert "rejected 1" in output
    comment = Version.objects.get_for_object(capitol).get().revision.comment
    assert comment == "Imported from NCUA federally insured credit unions (retrieved 2026-10-15)"


def test_running_the_same_file_again_creates_and_changes_nothing(tmp_path):
    path = write(tmp_path, FOICU)
    run("ncua", path)
    updated = dict(Organization.objects.values_list("slug", "updated_at"))

    output = run("ncua", path)

    assert dict(Organization.objects.values_list("slug", "updated_at")) == updated
    assert "Created 0 drafts, updated 0" in output and "unchanged 3" in output
    assert SourceRecord.objects.count() == 3


def test_a_rerun_updates_only_what_organizers_left_as_imported(tmp_path):
    run("ncua", write(tmp_path, FOICU), "--retrieved-on", "2026-07-01")
    takoma = Organization.objects.get(name__startswith="Takoma")
    with reversion.create_revision():
        takoma.name = "Takoma Community Credit Union"  # an organizer's correction
        takoma.save()

    newer = FOICU.replace("TAKOMA COMMUNITY FEDERAL CREDIT UNION", "TAKOMA FEDERAL CREDIT UNION")
    newer = newer.replace("7000 CARROLL AVE", "7010 CARROLL AVE").replace(",1935,", ",1936,")
    output = run("ncua", write(tmp_path, newer), "--retrieved-on", "2026-10-15")

    takoma.refresh_from_db()
    assert takoma.name == "Takoma Community Credit Union"
    assert takoma.primary_location.street_address == "7010 Carroll Ave"
    assert Organization.objects.get(name__startswith="Arlington").year_founded == 1936
    assert (
        "kept (changed by organizers) name: Takoma Community Credit Union "
        "(source now: Takoma Federal Credit Union)" in output
    )
    assert "updated street_address: 7000 Carroll Ave → 7010 Carroll Ave" in output
    assert "updated year_founded: 1935 → 1936" in output
    assert "Created 0 drafts, updated 2, kept organizers' changes in 1, unchanged 1" in output
    record = SourceRecord.objects.get(organization=takoma)
    assert str(record.retrieved_on) == "2026-10-15"
    assert record.imported_values["name"] == "Takoma Federal Credit Union"
    # The source changing the name back later still leaves the organizers' name alone.
    run("ncua", write(tmp_path, FOICU))
    takoma.refresh_from_db()
    assert takoma.name == "Takoma Community Credit Union"


def test_dry_run_shows_the_same_and_writes_nothing(tmp_path):
    output = run("ncua", write(tmp_path, FOICU), "--dry-run")
    assert "dry run: nothing written" in output and "Would create 3 drafts" in output
    assert "new draft /organizations/capitol-hill-neighbors-federal-credit-union/" in output
    assert not Organization.objects.exists() and not SourceRecord.objects.exists()


def test_a_likely_duplicate_is_flagged_and_the_organizers_listing_left_alone(tmp_path):
    mine = OrganizationFactory(
        name="Takoma Community Federal Credit Union", type=organization_type("credit-union")
    )
    # Pinned at its real door, farther than 0.4 km from the ZIP code's centre.
    LocationFactory(
        organization=mine, city="Takoma Park", state="MD", zip_code="20912",
        latitude=38.9930, longitude=-76.9880,
    )  # fmt: skip
    output = run("ncua", write(tmp_path, FOICU))

    draft = Organization.objects.get(source_records__record_id="90002")
    assert draft.pk != mine.pk and draft.status == OrganizationStatus.DRAFT
    pair = PossibleDuplicate.objects.open().involving(mine).get()
    assert pair.other(mine) == draft
    assert f"possible duplicate of: {mine.slug}" in output
    mine.refresh_from_db()
    assert not mine.source_records.exists() and mine.status == OrganizationStatus.PUBLISHED


def test_after_a_merge_the_kept_listing_receives_the_source_and_keeps_its_values(
    tmp_path, organizer
):
    mine = OrganizationFactory(
        name="Takoma Community Credit Union", type=organization_type("credit-union")
    )
    LocationFactory(organization=mine, street_address="7000 Carroll Ave", city="Takoma Park",
                    state="MD", zip_code="20912", latitude=38.9800, longitude=-77.0010)  # fmt: skip
    run("ncua", write(tmp_path, FOICU))
    draft = Organization.objects.get(source_records__record_id="90002")
    merge(duplicate=draft, survivor=mine, user=organizer)

    output = run("ncua", write(tmp_path, FOICU.replace(",1962,", ",1963,")))

    assert SourceRecord.objects.get(record_id="90002").organization_id == mine.pk
    mine.refresh_from_db()
    assert mine.name == "Takoma Community Credit Union"
    # The merge filled the kept listing's empty year from the draft: it is the source's.
    assert "updated year_founded: 1962 → 1963" in output
    assert mine.year_founded == 1963 and "Created 0 drafts" in output


def test_a_deleted_listing_is_not_created_again(tmp_path):
    path = write(tmp_path, FOICU)
    run("ncua", path)
    Organization.objects.get(source_records__record_id="90003").delete()
    output = run("ncua", path)
    assert "#90003 Arlington Workers Credit Union: skipped: its listing was deleted" in output
    assert not Organization.objects.filter(name__startswith="Arlington").exists()


def test_cdfi_rows_are_typed_by_their_institution_type(tmp_path):
    output = run("cdfi", write(tmp_path, CDFI, "CDFI_Cert_List.csv"))
    types = dict(Organization.objects.values_list("name", "type__slug"))
    assert types == {
        "Anacostia Community Loan Fund": "community-lender",
        "Baltimore Neighborhood Bank": "community-lender",
        "Takoma Community Federal Credit Union": "credit-union",
        "Richmond Ventures": "community-lender",
    }
    fund = Organization.objects.get(name="Anacostia Community Loan Fund")
    assert fund.website == "https://www.anacostialoans.example.org"
    assert fund.phone == "(202) 555-0181"
    assert (
        SourceRecord.objects.get(organization=fund).record_id == "anacostia-community-loan-fund-dc"
    )
    assert "Norfolk Mystery Fund: rejected: an institution type the directory does not list" in (
        output
    )
    assert "skipped outside the region 1" in output


def test_the_same_credit_union_from_both_sources_is_flagged(tmp_path):
    run("ncua", write(tmp_path, FOICU))
    output = run("cdfi", write(tmp_path, CDFI, "CDFI_Cert_List.csv"))
    from_ncua = Organization.objects.get(source_records__source=Source.NCUA, name__startswith="Tak")
    assert f"possible duplicate of: {from_ncua.slug}" in output


def test_cp1252_tab_delimited_and_bom_files_are_read(tmp_path):
    text = FOICU.replace("ARLINGTON WORKERS", "DC TRABAJADORES MUTUALISTAS ÑU")
    run("ncua", write(tmp_path, text.replace(",", "\t").replace('"', ""), encoding="cp1252"))
    assert Organization.objects.filter(name="DC Trabajadores Mutualistas Ñu Credit Union")
    Organization.objects.all().delete()
    SourceRecord.objects.all().delete()
    run("ncua", write(tmp_path, "\ufeff" + FOICU.lower().replace("cu_number", "Cu Number")))
    assert Organization.objects.count() == 3


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (CDFI, "not the NCUA federally insured credit unions layout: no column for record_id"),
        ("", "The file is empty"),
        ("CU_NUMBER,CU_NAME\n1,X\n", "no column for city (city or physical address city)"),
    ],
)
def test_a_file_of_another_layout_is_refused_naming_what_it_lacks(tmp_path, content, message):
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        run("ncua", write(tmp_path, content))
    assert not Organization.objects.exists()


def test_unreadable_files_and_dates_are_clear_errors(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        run("ncua", tmp_path / "missing.txt")
    with pytest.raises(CommandError, match="could not be read as an Excel workbook"):
        run("cdfi", write(tmp_path, "not a workbook", "list.xlsx"))
    with pytest.raises(CommandError, match="is not a date"):
        run("ncua", write(tmp_path, FOICU), "--retrieved-on", "last week")
    with pytest.raises(CommandError, match="in the future"):
        run("ncua", write(tmp_path, FOICU), "--retrieved-on", "2999-01-01")


def test_organizers_see_the_provenance_on_the_listing(tmp_path, organizer_client):
    run("ncua", write(tmp_path, FOICU), "--retrieved-on", "2026-10-15")
    organization = Organization.objects.get(source_records__record_id="90001")
    response = organizer_client.get(
        reverse("admin:directory_organization_change", args=[organization.pk])
    )
    page = response.content.decode()
    assert "NCUA: federally insured credit unions" in page
    assert "90001" in page and "Oct. 15, 2026" in page and "Public domain" in page


def test_a_title_above_the_header_is_passed_over_in_csv_and_excel(tmp_path):
    """Published lists often open with a title and a date above the column names."""
    titled = "List of Certified CDFIs\nAs of 2026-10-15,,\n\n" + CDFI
    output = run("cdfi", write(tmp_path, titled, "CDFI_Cert_List.csv"))
    assert Organization.objects.count() == 4
    # Rows keep the numbers the spreadsheet shows: the header is on line 4.
    assert "row 10 " in output and "Norfolk Mystery Fund: rejected" in output
    Organization.objects.all().delete()
    SourceRecord.objects.all().delete()

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["CDFI Fund: List of Certified CDFIs"])
    sheet.append(["As of October 15, 2026"])
    for line in csv.reader(io.StringIO(CDFI)):
        sheet.append(line)
    path = tmp_path / "CDFI_Cert_List.xlsx"
    workbook.save(path)
    run("cdfi", path)
    assert set(Organization.objects.values_list("name", flat=True)) == {
        "Anacostia Community Loan Fund",
        "Baltimore Neighborhood Bank",
        "Takoma Community Federal Credit Union",
        "Richmond Ventures",
    }
