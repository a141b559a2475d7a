"""Import jobs under stress: bad input, forged confirmations and writers at the same
time, on SQLite and PostgreSQL alike."""

import pytest
from django.urls import reverse

from directory.models import ImportJob, Organization
from tests.support.imports import CONFIRM_URL, GOOD_ROW, csv_upload, outcomes, preview

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small_chunks(settings):
    settings.IMPORT_CHUNK_ROWS = 3
    settings.IMPORT_STEP_SECONDS = 0


def rows(count, **extra):
    return [
        {**GOOD_ROW, "name": f"Printers Cooperative {number}", **extra} for number in range(count)
    ]


def job_url(job):
    return reverse("admin:directory_organization_import_job", kwargs={"job_id": job.pk})


def run_to_the_end(client, job, limit=20):
    for _ in range(limit):
        page = client.get(job_url(job))
        assert page.status_code == 200
        if page.context["job"].done:
            return page
    raise AssertionError("the import never finished")


@pytest.mark.parametrize("column", ["name", "slug", "summary", "zip_code", "languages"])
def test_a_nul_character_in_a_cell_is_a_row_error_not_a_500_or_a_stuck_import(
    organizer_client, column
):
    data = rows(5)
    data[3][column] = "Printers\x00Cooperative"
    response = preview(organizer_client, csv_upload(data))
    assert response.status_code == 200
    assert outcomes(response)[5] == "error"
    organizer_client.post(CONFIRM_URL, {"token": response.context["token"]})
    job = ImportJob.objects.get()
    page = run_to_the_end(organizer_client, job)
    assert Organization.objects.count() == 4
    assert [entry["row"] for entry in page.context["job"].report] == [5]
    assert "U+0000" in page.content.decode()
