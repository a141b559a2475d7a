"""Issue 11, size: a file too large for one request is written a chunk at a time on its
job's page, with its progress, then its result; a retried confirmation, a reload, two
tabs or a request that died never write a row twice or lose one."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reversion.models import Revision

from directory.listings.imports import jobs
from directory.models import ImportJob, Organization, OrganizationType, PossibleDuplicate
from tests.support.imports import (
    CONFIRM_URL,
    GOOD_ROW,
    csv_upload,
    job_rows,
    job_url,
    outcomes,
    preview,
    run_to_the_end,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("small_import_chunks")]


def confirmed(client, upload):
    response = preview(client, upload)
    assert not response.context["plan"].has_errors
    token = response.context["token"]
    return client.post(CONFIRM_URL, {"token": token}), token


def test_a_large_file_is_written_a_chunk_a_request_with_its_progress(organizer_client):
    response, _ = confirmed(organizer_client, csv_upload(job_rows(10)))
    job = ImportJob.objects.get()
    # The confirmation wrote the first chunk and sent the organizer to the job's page.
    assert response.status_code == 302 and response.url == job_url(job)
    assert Organization.objects.count() == 3

    page = organizer_client.get(job_url(job))
    assert Organization.objects.count() == 6
    body = page.content.decode()
    assert '<meta http-equiv="refresh" content="1">' in body
    assert '<progress max="10" value="6">' in body
    assert "6 of 10 rows done" in body

    pages = run_to_the_end(organizer_client, job)
    assert len(pages) == 3  # rows 7-9, row 10, then the duplicate check of all ten
    assert Organization.objects.count() == 10
    final = pages[-1].content.decode()
    assert "10 new, 0 updated, 0 unchanged" in final
    assert "http-equiv" not in final  # done: no more reloading
    job.refresh_from_db()
    assert job.done and job.content == b"" and job.finished_at is not None
    # One revision a chunk, each saying where the rows came from.
    comments = set(Revision.objects.values_list("comment", flat=True))
    assert comments == {"Imported from the spreadsheet “partners.csv”"}
    assert Revision.objects.count() == 4


def test_a_file_written_in_one_request_ends_on_the_list_as_before(organizer_client, settings):
    settings.IMPORT_CHUNK_ROWS, settings.IMPORT_STEP_SECONDS = 200, 30
    response, _ = confirmed(organizer_client, csv_upload(job_rows(10)))
    assert response.status_code == 302
    assert response.url == reverse("admin:directory_organization_changelist")
    assert Organization.objects.count() == 10
    assert ImportJob.objects.get().done


def test_a_retried_confirmation_goes_to_the_same_job_and_writes_nothing_twice(
    organizer_client,
):
    _, token = confirmed(organizer_client, csv_upload(job_rows(10)))
    retried = organizer_client.post(CONFIRM_URL, {"token": token}, follow=True)
    job = ImportJob.objects.get()
    assert retried.redirect_chain[0][0] == job_url(job)
    assert "confirmed already" in retried.content.decode()
    run_to_the_end(organizer_client, job)
    assert Organization.objects.count() == 10
    # And after the end too.
    organizer_client.post(CONFIRM_URL, {"token": token})
    assert Organization.objects.count() == 10


def test_a_page_opened_twice_while_one_writes_waits_for_it(organizer_client):
    confirmed(organizer_client, csv_upload(job_rows(10)))
    job = ImportJob.objects.get()
    # Another request holds the job (it is writing a chunk now): this one shows progress.
    ImportJob.objects.filter(pk=job.pk).update(lease_until=timezone.now() + timedelta(minutes=1))
    page = organizer_client.get(job_url(job))
    assert page.context["job"].position == 3
    assert Organization.objects.count() == 3
    # A request that died lets go when its time is up: the next visit goes on.
    ImportJob.objects.filter(pk=job.pk).update(lease_until=timezone.now() - timedelta(seconds=1))
    organizer_client.get(job_url(job))
    assert Organization.objects.count() == 6


def test_a_chunk_that_fails_is_written_not_at_all_and_the_next_visit_goes_on(
    organizer_client, monkeypatch
):
    confirmed(organizer_client, csv_upload(job_rows(10)))
    job = ImportJob.objects.get()
    real_apply = jobs.apply

    def half_then_fail(plan, **kwargs):
        plan.rows = plan.rows[:1]
        real_apply(plan, **kwargs)
        raise ConnectionError("the database went away")

    monkeypatch.setattr(jobs, "apply", half_then_fail)
    page = organizer_client.get(job_url(job))
    body = page.content.decode()
    assert page.status_code == 200
    assert "The rows from 4 on could not be written (ConnectionError)" in body
    assert "http-equiv" not in body  # no reloading into the same failure
    assert Organization.objects.count() == 3  # the failed chunk's first row is not there

    monkeypatch.setattr(jobs, "apply", real_apply)
    run_to_the_end(organizer_client, job)
    assert Organization.objects.count() == 10
    assert "could not be written" not in organizer_client.get(job_url(job)).content.decode()


def test_rows_of_one_name_in_different_chunks_are_two_listings_as_the_preview_said(
    organizer_client,
):
    same = job_rows(5)
    same[4]["name"] = same[0]["name"]  # row 6 repeats row 2, in another chunk
    response = preview(organizer_client, csv_upload(same))
    assert outcomes(response)[6] == "new"
    organizer_client.post(CONFIRM_URL, {"token": response.context["token"]})
    run_to_the_end(organizer_client, ImportJob.objects.get())
    twins = Organization.objects.filter(name=same[0]["name"])
    assert twins.count() == 2
    assert Organization.objects.count() == 5
    # Checked for duplicates once the last chunk was in, across chunks: flagged.
    first, second = twins
    assert PossibleDuplicate.objects.filter(organization=first, similar_to=second).exists()


def test_a_row_about_a_listing_an_earlier_chunk_wrote_is_reported_not_written(
    organizer_client,
):
    twice = job_rows(5)
    twice[0]["slug"] = twice[4]["slug"] = "printers"
    twice[4]["summary"] = "Written by row 6."
    # The preview refuses such a file; a confirmation forged for it must not write row 6.
    job = jobs.start(
        key="forged",
        filename="twice.csv",
        content=csv_upload(twice).read(),
        title_case=True,
        user=None,
    )
    run_to_the_end(organizer_client, job)
    assert Organization.objects.get(slug="printers").summary == GOOD_ROW["summary"]
    page = organizer_client.get(job_url(job)).content.decode()
    assert 'id="row-6"' in page and "Row 2 is about the same listing." in page


def test_rows_the_directory_no_longer_takes_are_reported_with_their_numbers(organizer_client):
    response = preview(
        organizer_client, csv_upload(job_rows(4) + job_rows(3, type="housing-cooperative"))
    )
    # Between the preview and the confirmation an organizer removes a type.
    OrganizationType.objects.filter(slug="housing-cooperative").delete()
    organizer_client.post(CONFIRM_URL, {"token": response.context["token"]})
    job = ImportJob.objects.get()
    page = run_to_the_end(organizer_client, job)[-1].content.decode()
    assert Organization.objects.count() == 4
    assert "4 new, 0 updated, 0 unchanged, 0 conflict(s) not imported, 3 skipped" in page
    for number in (6, 7, 8):
        assert f'id="row-{number}"' in page
    job.refresh_from_db()
    assert [entry["row"] for entry in job.report] == [6, 7, 8]
    assert all("Type" in entry["why"] or "type" in entry["why"] for entry in job.report)


def test_unfinished_imports_are_listed_on_the_import_page(organizer_client):
    confirmed(organizer_client, csv_upload(job_rows(10), name="credit-unions.csv"))
    job = ImportJob.objects.get()
    page = organizer_client.get(reverse("admin:directory_organization_import")).content.decode()
    assert "Unfinished imports" in page and job_url(job) in page
    assert "credit-unions.csv" in page and "3 of 10 rows done" in page
    run_to_the_end(organizer_client, job)
    page = organizer_client.get(reverse("admin:directory_organization_import")).content.decode()
    assert "Unfinished imports" not in page


def test_only_organizers_who_may_import_see_a_job(organizer_client, django_user_model):
    confirmed(organizer_client, csv_upload(job_rows(10)))
    job = ImportJob.objects.get()
    staff = django_user_model.objects.create_user("viewer", password="x", is_staff=True)
    client = Client()
    client.force_login(staff)
    assert client.get(job_url(job)).status_code == 403
    assert Organization.objects.count() == 3
    missing = reverse(
        "admin:directory_organization_import_job",
        kwargs={"job_id": "00000000-0000-0000-0000-000000000000"},
    )
    assert organizer_client.get(missing).status_code == 404


def test_an_organizer_stops_an_import_after_the_rows_written_so_far(organizer_client):
    confirmed(organizer_client, csv_upload(job_rows(10)))
    job = ImportJob.objects.get()
    page = organizer_client.get(job_url(job))
    assert 'name="stop"' in page.content.decode()
    stopped = organizer_client.post(job_url(job), {"stop": "Stop the import here"})
    body = stopped.content.decode()
    assert "Stopped after 6 of 10 rows" in body and "http-equiv" not in body
    assert Organization.objects.count() == 6
    # Nothing more is written by a later visit (another tab still reloading).
    organizer_client.get(job_url(job))
    assert Organization.objects.count() == 6
    job.refresh_from_db()
    assert job.done and job.content == b""
    page = organizer_client.get(reverse("admin:directory_organization_import")).content.decode()
    assert "Unfinished imports" not in page
    # Uploading the file again imports the rest; the six written are unchanged.
    response = preview(organizer_client, csv_upload(job_rows(10)))
    assert sorted(outcomes(response).values()).count("unchanged") == 6
