"""Import a CSV exported from /export/organizations.csv (this directory's or another
instance's) through the organizers' spreadsheet import (directory.listings.imports).

The export names its columns for partners (type_slug, service_area_fips,
location_precision) and puts an apostrophe before cells a spreadsheet would run as
formulas; this maps the columns to the import's (which takes the apostrophe off), then
runs the same import the admin does: every row checked first, nothing written if any
row has a problem. A row whose slug exists updates that listing.

    manage.py import_public_csv organizations-2026-11-30.csv            # check only
    manage.py import_public_csv organizations-2026-11-30.csv --commit   # write
"""

import csv
import io
from pathlib import Path

from django.core.management import BaseCommand, CommandError

from directory.listings.imports import apply, plan_file
from directory.listings.imports.diff import CONFLICT, NEW, UPDATE
from directory.listings.imports.parse import UnreadableFile

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


def import_csv(text: str) -> bytes:
    """The import's CSV for the text of an exported CSV: columns renamed, derived ones
    left out. (The import itself takes the export's formula apostrophes off.)"""
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    if not rows:
        raise CommandError("The file has no rows.")
    missing = {"slug", "name", "type_slug"} - set(rows[0])
    if missing:
        raise CommandError(f"Not an export of this directory: no {', '.join(sorted(missing))}.")
    kept = [column for column in rows[0] if column not in DERIVED]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([RENAMED.get(column, column) for column in kept])
    for row in rows:
        writer.writerow([row[column] or "" for column in kept])
    return out.getvalue().encode("utf-8")


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
        try:
            # Names as the export has them: no ALL-CAPS names turned to title case.
            plan = plan_file(import_csv(text), "organizations.csv", title_case=False)
        except UnreadableFile as error:
            raise CommandError(str(error)) from None
        problems = [
            f"row {row.number}: {column}: {'; '.join(messages)}"
            for row in plan.rows
            for column, messages in row.errors.items()
        ] + [
            f"row {row.number}: {change.column}: changed here and in the file"
            for row in plan.rows
            if row.outcome == CONFLICT
            for change in row.conflicts
        ]
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"{len(problems)} problem(s); nothing written.")
        counts = plan.counts
        if commit:
            apply(plan, user=None, comment="Imported from the public CSV")
        verb = "Imported" if commit else "Checked (nothing written; --commit writes)"
        self.stdout.write(
            self.style.SUCCESS(f"{verb}: {counts[NEW]} new, {counts[UPDATE]} updated.")
        )
