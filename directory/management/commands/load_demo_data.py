"""Load the fictional demo organizations (fixtures/demo.json).

With --if-empty (what `make run` uses) nothing happens when any organization exists,
so running it again never duplicates or overwrites real data.
"""

from django.conf import settings
from django.core.management import BaseCommand, call_command
from django.db import transaction

from directory.models import Organization

DEMO_FIXTURE = settings.BASE_DIR / "fixtures" / "demo.json"


class Command(BaseCommand):
    help = "Load the fictional demo organizations."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Only load when the directory has no organizations yet.",
        )

    def handle(self, *args, if_empty=False, **options):
        if if_empty and Organization.objects.exists():
            self.stdout.write("The directory already has organizations; demo data not loaded.")
            return
        with transaction.atomic():
            call_command("loaddata", str(DEMO_FIXTURE), verbosity=0)
            call_command(
                "createinitialrevisions",
                "directory.Organization",
                comment="Demo data loaded",
                verbosity=0,
            )
        count = Organization.objects.count()
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded: {count} organizations."))
