"""Spreadsheet imports through the admin: a file, its preview and its confirmation."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from directory.listings.imports import OrganizationResource

CSV_FORMAT, XLSX_FORMAT = "0", "1"
IMPORT_URL = reverse("admin:directory_organization_import")
PROCESS_URL = reverse("admin:directory_organization_process_import")

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
    headers = OrganizationResource().get_export_headers()
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=headers)
    writer.writeheader()
    for row in rows:
        writer.writerow({header: row.get(header, "") for header in headers})
    return SimpleUploadedFile(name, buffer.getvalue().encode(), content_type="text/csv")


def preview(client, upload, file_format=CSV_FORMAT):
    return client.post(IMPORT_URL, {"resource": "0", "format": file_format, "import_file": upload})


def confirm(client, preview_response):
    form = preview_response.context["confirm_form"]
    return client.post(PROCESS_URL, {**form.initial, "resource": "0"})
