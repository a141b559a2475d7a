"""Import a public source's file as published: NCUA's federally insured credit unions
(FOICU.txt from the quarterly call report ZIP, or the list) or the CDFI Fund's list of
certified CDFIs.

Rows in DC, Maryland and Virginia become draft listings for organizers to review, each
with its provenance (source, record id, retrieval date, licence); likely duplicates are
flagged. Running it again with a newer file updates only the fields organizers have not
changed since the last import and says what it kept. Safe to run twice.

    manage.py import_source ncua FOICU.txt --dry-run     # show what would happen
    manage.py import_source ncua FOICU.txt --retrieved-on 2026-11-30
    manage.py import_source cdfi CDFI-Certification-List.xlsx
"""

import datetime
from pathlib import Path

from django.core.management import BaseCommand, CommandError
from django.utils import timezone

from directory.listings.sources import LAYOUTS, LayoutError, apply_source, plan_source, records
from directory.listings.sources.importer import (
    CREATED,
    DELETED,
    REJECTED,
    UNCHANGED,
    UPDATED,
)


def _shown(value) -> str:
    if value in (None, "", []):
        return "(empty)"
    if isinstance(value, list):
        return ";".join(str(item) for item in value)
    return str(value)


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--retrieved-on “{text}” is not a date: write 2026-11-30.") from None


class Command(BaseCommand):
    help = "Import a public source's file (ncua or cdfi) as draft listings with provenance."

    def add_arguments(self, parser):
        parser.add_argument("source", choices=sorted(LAYOUTS))
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--retrieved-on",
            help="When the file was downloaded (YYYY-MM-DD); default: the file's date.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would happen; write nothing."
        )

    def handle(self, *args, source, path: Path, retrieved_on=None, dry_run=False, **options):
        layout = LAYOUTS[source]
        try:
            content = path.read_bytes()
            modified = datetime.datetime.fromtimestamp(path.stat().st_mtime, tz=datetime.UTC)
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror or error}") from None
        retrieved = _date(retrieved_on) if retrieved_on else timezone.localdate(modified)
        if retrieved > timezone.localdate():
            raise CommandError(f"--retrieved-on {retrieved} is in the future.")
        try:
            rows = records(layout, content, path.name)
        except LayoutError as error:
            raise CommandError(f"{path.name}: {error}") from None
        plan = plan_source(layout, rows, retrieved_on=retrieved)
        if not dry_run:
            apply_source(plan)
        self._report(plan, dry_run=dry_run)

    def _report(self, plan, *, dry_run: bool):
        write = self.stdout.write
        header = f"{plan.layout.title}, retrieved {plan.retrieved_on:%Y-%m-%d}"
        write(header + (" (dry run: nothing written)" if dry_run else ""))
        for outcome in plan.outcomes:
            line = f"row {outcome.number} #{outcome.record_id} {outcome.name}"
            if outcome.action == CREATED:
                write(f"{line}: new draft /organizations/{outcome.slug}/")
                if outcome.duplicates:
                    write(f"  possible duplicate of: {', '.join(outcome.duplicates)}")
            elif outcome.action == REJECTED:
                write(self.style.WARNING(f"{line}: rejected: {'; '.join(outcome.reasons)}"))
            elif outcome.action == DELETED:
                write(
                    f"{line}: skipped: its listing was deleted (recover it from the history "
                    "to receive updates again)"
                )
            for change in outcome.updates:
                write(
                    f"{line}: updated {change.column}: {_shown(change.before)} → "
                    f"{_shown(change.after)}"
                )
            for change in outcome.kept:
                write(
                    f"{line}: kept (changed by organizers) {change.column}: "
                    f"{_shown(change.before)} (source now: {_shown(change.after)})"
                )
        verb = "Would create" if dry_run else "Created"
        summary = (
            f"{verb} {plan.count(CREATED)} drafts, updated {plan.count(UPDATED)}, "
            f"kept organizers' changes in {plan.kept_count}, unchanged "
            f"{plan.count(UNCHANGED)}, skipped outside the region "
            f"{plan.outside_region}, skipped deleted {plan.count(DELETED)}, rejected "
            f"{plan.count(REJECTED)}."
        )
        write(self.style.SUCCESS(summary))
