"""Import jobs under stress: bad input, forged confirmations and writers at the same
time, on SQLite and PostgreSQL alike."""

import io
import threading

import pytest
import reversion
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from openpyxl import Workbook
from reversion.models import Revision

from directory.listings.imports import jobs, parse
from directory.models import ImportJob, Organization
from tests.support.factories import UserFactory
from tests.support.imports import (
    CONFIRM_URL,
    csv_upload,
    job_rows,
    outcomes,
    preview,
    run_to_the_end,
)
from tests.support.reference import seed_reference_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("small_import_chunks")]


@pytest.mark.parametrize("column", ["name", "slug", "summary", "zip_code", "languages"])
def test_a_nul_character_in_a_cell_is_a_row_error_not_a_500_or_a_stuck_import(
    organizer_client, column
):
    data = job_rows(5)
    data[3][column] = "Printers\x00Cooperative"
    response = preview(organizer_client, csv_upload(data))
    assert response.status_code == 200
    assert outcomes(response)[5] == "error"
    organizer_client.post(CONFIRM_URL, {"token": response.context["token"]})
    job = ImportJob.objects.get()
    page = run_to_the_end(organizer_client, job)[-1]
    assert Organization.objects.count() == 4
    assert [entry["row"] for entry in page.context["job"].report] == [5]
    assert "U+0000" in page.content.decode()


@pytest.fixture
def committed_reference_data(transactional_db):
    """This test commits for real; an earlier one that did may have emptied the tables
    the data migrations seed."""
    seed_reference_data()


@pytest.mark.django_db(transaction=True)
def test_a_colleague_saving_a_listing_while_its_chunk_is_written_keeps_their_change(
    committed_reference_data, published_organization, monkeypatch
):
    """A chunk reads the listings it updates, then writes them: a colleague's save in
    between (the admin locks the listing to save it) must wait for the chunk, never be
    written over by the values the chunk read before it."""
    job = jobs.start(
        key="colleague",
        filename="summaries.csv",
        content=b"slug,summary\ntakoma-bread,Baked by its workers since 1990.\n",
        title_case=True,
        user=None,
    )
    planned, go, saved = threading.Event(), threading.Event(), threading.Event()
    real_apply = jobs.apply

    def apply_after_a_pause(plan, **kwargs):
        planned.set()
        go.wait(5)
        return real_apply(plan, **kwargs)

    monkeypatch.setattr(jobs, "apply", apply_after_a_pause)

    def write_the_job():
        try:
            jobs.advance(job.pk, seconds=0)
        finally:
            connection.close()

    def colleague_saves():
        try:
            with transaction.atomic():
                listing = Organization.objects.select_for_update().get(slug="takoma-bread")
                listing.website = "https://example.org/bread"
                listing.save()
            saved.set()
        finally:
            connection.close()

    writer = threading.Thread(target=write_the_job)
    writer.start()
    assert planned.wait(5)
    colleague = threading.Thread(target=colleague_saves)
    colleague.start()
    saved.wait(1)  # the colleague's save waits for the chunk (or slips in: the defect)
    go.set()
    writer.join(10)
    colleague.join(10)
    listing = Organization.objects.get(slug="takoma-bread")
    assert listing.summary == "Baked by its workers since 1990."
    assert listing.website == "https://example.org/bread"


def test_the_history_names_the_organizer_who_confirmed_the_file_not_who_kept_it_going(
    organizer_client, organizer
):
    response = preview(organizer_client, csv_upload(job_rows(10)))
    organizer_client.post(CONFIRM_URL, {"token": response.context["token"]})
    colleague = UserFactory(organizer=True)
    other = Client()
    other.force_login(colleague)
    # A colleague opens the unfinished import from the import page and sees it through.
    run_to_the_end(other, ImportJob.objects.get())
    assert Organization.objects.count() == 10
    assert set(Revision.objects.values_list("user", flat=True)) == {organizer.pk}


def test_a_colleagues_confirmation_token_is_refused(organizer_client):
    response = preview(organizer_client, csv_upload(job_rows(10)))
    colleague = Client()
    colleague.force_login(UserFactory(organizer=True))
    refused = colleague.post(CONFIRM_URL, {"token": response.context["token"]}, follow=True)
    assert "This import could not be read" in refused.content.decode()
    assert not ImportJob.objects.exists() and not Organization.objects.exists()
    # The organizer's own confirmation still works afterwards.
    organizer_client.post(CONFIRM_URL, {"token": response.context["token"]})
    run_to_the_end(organizer_client, ImportJob.objects.get())
    assert Organization.objects.count() == 10


def _file_updating_takoma_bread_after_a_chunk(organizer_client, listing):
    """A file of a first chunk of new rows, then a row (no version column) giving the
    listing a new summary and its website as it was: confirmed, first chunk written."""
    with reversion.create_revision():
        listing.save()  # its history goes back to before the import
    kind = listing.type.slug
    lines = ["slug,name,type,website,summary"]
    lines += [f",New Cooperative {number},{kind},,New." for number in range(3)]
    lines += [f"takoma-bread,{listing.name},{kind},,Baked by its workers."]
    upload = SimpleUploadedFile("bread.csv", "\n".join(lines).encode(), content_type="text/csv")
    response = preview(organizer_client, upload)
    assert outcomes(response)[5] == "update"
    organizer_client.post(CONFIRM_URL, {"token": response.context["token"]})
    job = ImportJob.objects.get()
    assert job.position == 3
    return job


def _colleague_saves(**values):
    with reversion.create_revision():
        listing = Organization.objects.get(slug="takoma-bread")
        for name, value in values.items():
            setattr(listing, name, value)
        listing.save()


def test_a_colleagues_edit_while_the_job_runs_is_a_conflict_not_overwritten(
    organizer_client, published_organization
):
    job = _file_updating_takoma_bread_after_a_chunk(organizer_client, published_organization)
    _colleague_saves(summary="Our colleague's summary.")
    page = run_to_the_end(organizer_client, job)[-1]
    assert Organization.objects.get(slug="takoma-bread").summary == "Our colleague's summary."
    assert [entry["row"] for entry in page.context["job"].report] == [5]
    assert page.context["job"].counts == {"new": 3, "conflict": 1}


def test_a_colleagues_edit_of_another_column_is_kept_beside_the_files_change(
    organizer_client, published_organization
):
    job = _file_updating_takoma_bread_after_a_chunk(organizer_client, published_organization)
    _colleague_saves(website="https://example.org/bread")
    run_to_the_end(organizer_client, job)
    listing = Organization.objects.get(slug="takoma-bread")
    assert listing.summary == "Baked by its workers."
    assert listing.website == "https://example.org/bread"


def test_a_csv_of_too_many_rows_is_refused_before_it_is_loaded_as_a_table(
    organizer_client, monkeypatch
):
    """20 MB of short lines is ten million rows: built as a table first, they took 40 s
    and 2 GB just to be refused (the worker is killed at 30 s: no message at all)."""
    monkeypatch.setattr(parse, "MAX_ROWS", 100)
    loaded = []
    monkeypatch.setattr(parse.tablib.Dataset, "load", lambda *args, **kwargs: loaded.append(1))
    upload = SimpleUploadedFile("long.csv", b"name\n" + b"x\n" * 5000, content_type="text/csv")
    response = preview(organizer_client, upload)
    assert response.status_code == 200
    assert "The file has 5000 rows; import at most 100 at a time." in response.content.decode()
    assert not loaded and not response.context["token"]


def test_a_colleagues_edit_between_the_preview_and_the_confirmation_is_not_overwritten(
    organizer_client, published_organization
):
    """The organizer previews, a colleague edits the listing, then the organizer
    confirms: the file's row (no version column) must not write over that edit."""
    with reversion.create_revision():
        published_organization.save()
    kind = published_organization.type.slug
    lines = ["slug,name,type,summary", f"takoma-bread,{published_organization.name},{kind},New."]
    upload = SimpleUploadedFile("bread.csv", "\n".join(lines).encode(), content_type="text/csv")
    response = preview(organizer_client, upload)
    assert outcomes(response)[2] == "update"
    _colleague_saves(summary="Our colleague's summary.")
    organizer_client.post(CONFIRM_URL, {"token": response.context["token"]})
    job = run_to_the_end(organizer_client, ImportJob.objects.get())[-1].context["job"]
    assert Organization.objects.get(slug="takoma-bread").summary == "Our colleague's summary."
    assert [entry["row"] for entry in job.report] == [2]


def test_a_workbook_of_too_many_rows_is_refused_before_it_is_loaded_as_a_table(
    organizer_client, monkeypatch
):
    """A 1 MB workbook held 200,000 rows: loaded whole first, it took 10 s and 179 MB
    just to be refused. Counted first, and only until the count passes the limit."""
    monkeypatch.setattr(parse, "MAX_ROWS", 100)
    loaded = []
    monkeypatch.setattr(parse.tablib.Dataset, "load", lambda *args, **kwargs: loaded.append(1))
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["name", "type"])
    for number in range(150):
        sheet.append([f"Cooperative {number}", "worker-cooperative"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("long.xlsx", buffer.getvalue())
    response = preview(organizer_client, upload)
    assert response.status_code == 200
    assert "The file has 150 rows; import at most 100 at a time." in response.content.decode()
    assert not loaded and not response.context["token"]
