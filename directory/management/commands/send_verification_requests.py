"""Email each stale listing's contact a signed link to confirm it or suggest an edit,
and flag for organizers the listings whose contacts have not answered for
ARCHIVE_AFTER_MONTHS. Nothing is ever archived by this command.

Run it daily (cron or any scheduler). It is safe to run again at any time: a listing
is emailed at most once per VERIFICATION_LINK_DAYS, and flagged at most once.
"""

from django.core.management import BaseCommand

from directory.stewardship.verification import send_verification_requests


class Command(BaseCommand):
    help = "Ask the contacts of stale listings whether they are still accurate."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be sent; send nothing."
        )
        parser.add_argument(
            "--limit",
            type=int,
            default=None,
            help="Send at most this many emails in this run (the rest go next time).",
        )

    def handle(self, *args, dry_run=False, limit=None, **options):
        summary = send_verification_requests(dry_run=dry_run, limit=limit)
        prefix = "Dry run: would send" if dry_run else "Sent"
        self.stdout.write(
            self.style.SUCCESS(
                f"{prefix} {summary.sent} verification request(s); "
                f"{summary.flagged} listing(s) flagged for organizers."
            )
        )
        if summary.failed:
            self.stderr.write(
                self.style.WARNING(
                    f"{summary.failed} email(s) could not be sent; they will be retried next run."
                )
            )
