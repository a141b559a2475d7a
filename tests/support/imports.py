"""Spreadsheet imports through the admin: a file, its preview and its confirmation."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from directory.listings.imports import COLUMNS

CSV_FORMAT, XLSX_FORMAT = "0", "1"
IMPORT_URL = reverse("admin:directory_organization_import")
CONFIRM_URL = reverse("admin:directory_organization_import_confirm")

GOOD_ROW = {
    "name": "Hyattsville Printers Cooperative",
    "type": "worker-cooperative",
    "status": "published",
    "summary": "A print shop owned by its workers.",
    "website": "https://example.org/printers",
    "languages": "en;es",
    "sectors": "arts-media",
    "service_area": "24033",
    "accepting_members": "yes",
    "last_verified": "2026-10-01",
    "state": "MD",
    "zip_code": "20781",
    "precision": "exact",
}


def csv_upload(rows, name="partners.csv"):
    headers = COLUMNS
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=headers)
    writer.writeheader()
    for row in rows:
        writer.writerow({header: row.get(header, "") for header in headers})
    return SimpleUploadedFile(name, buffer.getvalue().encode(), content_type="text/csv")


def preview(client, upload, file_format=CSV_FORMAT, *, title_case=True):
    data = {"import_file": upload}
    if title_case:
        data["title_case"] = "on"
    return client.post(IMPORT_URL, data)


def confirm(client, preview_response):
    return client.post(CONFIRM_URL, {"token": preview_response.context["token"]})


def outcomes(preview_response) -> dict[int, str]:
    """Spreadsheet row number -> what the preview says happens to it."""
    return {row.number: row.outcome for row in preview_response.context["plan"].rows}


def job_rows(count, **extra) -> list[dict]:
    """`count` good rows of distinct names, for the import jobs' tests."""
    return [
        {**GOOD_ROW, "name": f"Printers Cooperative {number}", **extra} for number in range(count)
    ]


def job_url(job) -> str:
    return reverse("admin:directory_organization_import_job", kwargs={"job_id": job.pk})


def run_to_the_end(client, job, limit=50) -> list:
    """Visit the import's page, as its reloading does, until it is done: every page."""
    pages = []
    for _ in range(limit):
        page = client.get(job_url(job))
        assert page.status_code == 200
        pages.append(page)
        if page.context["job"].done:
            return pages
    raise AssertionError("the import never finished")
