"""Import a CSV exported from /export/organizations.csv (this directory's or another
instance's) through the organizers' spreadsheet import (directory.listings.imports).

The export names its columns for partners (type_slug, service_area_fips,
location_precision) and puts an apostrophe before cells a spreadsheet would run as
formulas; this maps the columns to the import's and takes the apostrophe off, then
runs the same import the admin does: every row checked first, nothing written if any
row has a problem. A row whose slug exists updates that listing.

    manage.py import_public_csv organizations-2026-11-30.csv            # check only
    manage.py import_public_csv organizations-2026-11-30.csv --commit   # write
"""

import csv
import io
from pathlib import Path

from django.core.management import BaseCommand, CommandError
from tablib import Dataset

from directory.listings.imports import OrganizationResource

# Export column -> import column, where they differ. Columns the import does not take
# (type_name, service_area names, jurisdiction, counts, url, licence) are left out.
RENAMED = {
    "type_slug": "type",
    "service_area_fips": "service_area",
    "location_precision": "precision",
}
DERIVED = {
    "type_name",
    "service_area",
    "jurisdiction",
    "jurisdiction_fips",
    "location_count",
    "url",
    "license",
    "license_url",
}
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def restore(value: str) -> str:
    """Undo the export's formula neutralization: one apostrophe off."""
    if value.startswith("'") and value.lstrip("'")[:1] in FORMULA_TRIGGERS:
        return value[1:]
    return value


def import_dataset(text: str) -> Dataset:
    """The import's dataset for the text of an exported CSV."""
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    if not rows:
        raise CommandError("The file has no rows.")
    missing = {"slug", "name", "type_slug"} - set(rows[0])
    if missing:
        raise CommandError(f"Not an export of this directory: no {', '.join(sorted(missing))}.")
    kept = [column for column in rows[0] if column not in DERIVED]
    headers = [RENAMED.get(column, column) for column in kept]
    dataset = Dataset(headers=headers)
    for row in rows:
        dataset.append([restore(row[column] or "") for column in kept])
    return dataset


class Command(BaseCommand):
    help = "Import a CSV exported from /export/organizations.csv (checks only, unless --commit)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--commit", action="store_true", help="Write the listings.")

    def handle(self, *args, path: Path, commit=False, **options):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from None
        result = OrganizationResource().import_data(
            import_dataset(text), dry_run=not commit, raise_errors=False
        )
        problems = [
            f"row {number}: {column}: {'; '.join(messages)}"
            for invalid in result.invalid_rows
            for number in [invalid.number]
            for column, messages in invalid.error_dict.items()
        ] + [
            f"row {number}: {error.error}"
            for number, errors in result.row_errors()
            for error in errors
        ]
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"{len(problems)} problem(s); nothing written.")
        totals = result.totals
        verb = "Imported" if commit else "Checked (nothing written; --commit writes)"
        self.stdout.write(
            self.style.SUCCESS(f"{verb}: {totals['new']} new, {totals['update']} updated.")
        )
