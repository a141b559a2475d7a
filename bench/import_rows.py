"""Benchmark: a spreadsheet import of N rows through the admin, preview then confirm.

Builds a CSV in the shapes of the public lists organizers paste in (bare domains, state
names, ZIP+4 in odd forms, ALL-CAPS names, PO boxes; tests/support/real_world.py), then,
through Django's test client as an organizer, prints the time of:
  - the preview (parse, normalize, match, diff: nothing written),
  - the confirmation: the request that confirms, then each visit of the import's page
    until it is done (each writes chunks of rows, each chunk planned again against the
    directory and written in one transaction), with the longest single request, which
    must stay well under a proxy's timeout (the deploy guide's 35 s),
  - a retried confirmation (must import nothing twice),
  - the same file uploaded again (every row must be "unchanged").
Each time comes with the CPU time of this process (on SQLite, all of the work; on
PostgreSQL, all but the server's), which a machine busy with other work inflates less
than the elapsed time; the load average is printed at the start and the end.

Usage (SQLite file by default; pass DATABASE_URL for PostgreSQL):
  .venv/bin/python bench/import_rows.py --rows 5000
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/solidarity_org \
      .venv/bin/python bench/import_rows.py --rows 5000
The database is the one DATABASE_URL names: use a throwaway one.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "solidarity.settings")
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/bench_import.sqlite3")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    options = parser.parse_args()

    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from directory.models import Organization
    from tests.support import real_world
    from tests.support.factories import UserFactory

    setup_test_environment()  # response.context, as in the tests
    call_command("migrate", verbosity=0)
    Organization.objects.all().delete()
    client = Client()
    client.force_login(UserFactory(organizer=True))
    content = real_world.csv_bytes(options.rows)

    def preview():
        upload = SimpleUploadedFile("lists.csv", content, content_type="text/csv")
        return client.post(
            reverse("admin:directory_organization_import"),
            {"import_file": upload, "title_case": "on"},
        )

    def confirm(response):
        """The confirmation and every visit of the job's page until it is done; prints
        the number of requests and the longest."""
        durations = []
        start = time.perf_counter()
        answer = client.post(
            reverse("admin:directory_organization_import_confirm"),
            {"token": response.context["token"]},
        )
        durations.append(time.perf_counter() - start)
        job_page = answer.url if answer.status_code == 302 and "/import/" in answer.url else ""
        while job_page:
            start = time.perf_counter()
            answer = client.get(job_page)
            durations.append(time.perf_counter() - start)
            if answer.context["job"].done:
                break
        print(
            f"  {len(durations)} request(s), the longest {max(durations):.2f} s "
            f"({', '.join(f'{d:.1f}' for d in durations)})"
        )
        return answer

    def timed(label, function, *args):
        start, cpu = time.perf_counter(), time.process_time()
        result = function(*args)
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
        print(f"{label:<42} {wall:7.2f} s   (this process's CPU: {cpu:.2f} s)", flush=True)
        return result

    def load() -> str:
        return " ".join(f"{value:.1f}" for value in os.getloadavg())

    print(f"{options.rows} rows, database {django.db.connection.vendor}, load average {load()}")
    from directory.listings.imports import plan_file

    timed("plan only (no page)", plan_file, content, "lists.csv")
    first = timed("preview", preview)
    counts = first.context["plan"].counts
    accepted = counts.get("new", 0) / options.rows
    print(f"  rows accepted: {accepted:.1%} ({dict(counts)})")
    first_removed = first.context["plan"].has_errors
    if first_removed:
        print("  (rows with errors present: the preview refuses to confirm; dropping them)")
        good = [row for row in real_world.rows(options.rows) if row.get("name")]
        good = [row for row in good if row.get("zip_code") != "ABCDE"]
        content = real_world.csv_bytes_of(good)
        first = timed("preview without the refused rows", preview)
    timed("confirm", confirm, first)
    print(f"  organizations now: {Organization.objects.count()}")
    timed("retried confirm (imports nothing)", confirm, first)
    print(f"  organizations now: {Organization.objects.count()}")
    again = timed("same file again: preview", preview)
    print(f"  outcomes: {dict(again.context['plan'].counts)}")
    print(f"load average {load()}")


if __name__ == "__main__":
    main()
