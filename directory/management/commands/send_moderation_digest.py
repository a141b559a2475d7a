"""Send organizers the digest of suggestions that arrived within the last
NOTIFY_DIGEST_MINUTES and are not yet mailed. Run it every few minutes (cron); it
sends nothing when nothing waits or a mail went out within the window, so running it
often is safe.
"""

from django.core.management import BaseCommand

from directory.stewardship.notifications import notify_organizers


class Command(BaseCommand):
    help = "Email organizers the suggestions waiting to be announced (at most one mail per window)."

    def handle(self, *args, **options):
        count = notify_organizers()
        if count:
            self.stdout.write(self.style.SUCCESS(f"Mailed organizers about {count} suggestion(s)."))
        else:
            self.stdout.write("Nothing to send now.")
