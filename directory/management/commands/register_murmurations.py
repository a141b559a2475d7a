"""Register every published listing's Murmurations profile with the configured index
(MURMURATIONS_INDEX_URL) and withdraw the profiles of listings no longer published.

Off unless an index is configured. Safe to run again at any time: registering a
profile twice only makes the index fetch it again. Run it daily (docs/deploy.md).
"""

from django.conf import settings
from django.core.management import BaseCommand, CommandError

from directory.partners.murmurations_index import configured_index, synchronize


class Command(BaseCommand):
    help = "Register the directory's Murmurations profiles with the configured index."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be sent; send nothing."
        )
        parser.add_argument(
            "--index", default=None, help="Index address to use instead of the setting."
        )

    def handle(self, *args, dry_run=False, index=None, **options):
        index_url = index or configured_index()
        if not index_url:
            self.stdout.write(
                "No Murmurations index configured (MURMURATIONS_INDEX_URL): nothing sent."
            )
            return
        if not settings.SITE_URL:
            raise CommandError("SITE_URL must be set: the index fetches profiles from it.")
        summary = synchronize(index_url=index_url, dry_run=dry_run)
        prefix = "Dry run: would register" if dry_run else "Registered"
        self.stdout.write(
            self.style.SUCCESS(
                f"{prefix} {len(summary.registered)} profile(s) with {index_url}; "
                f"withdrew {len(summary.withdrawn)}."
            )
        )
        if summary.failed:
            for url, reason in summary.failed:
                self.stderr.write(self.style.WARNING(f"Not done: {url} ({reason})"))
            raise CommandError(f"{len(summary.failed)} profile(s) not done; run again later.")
