"""Benchmark: the organizers' list of organizations in the admin, at scale.

Makes sure COUNT synthetic listings exist (generate_listings), then, through Django's
test client signed in as an organizer, prints the median time, this process's CPU time
(the rest is the database and, on a shared machine, waiting for a core) and the number
of queries of: the first page, a search, a filter and a deep page (page 500).

Usage (a throwaway PostgreSQL database, or an SQLite file):
  createdb -h 127.0.0.1 -U postgres solidarity_org
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/solidarity_org \\
      .venv/bin/python bench/admin_changelist.py --count 100000
  DATABASE_URL=sqlite:////tmp/bench_admin.sqlite3 .venv/bin/python bench/admin_changelist.py
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _setup import median_ms, setup_django, vacuum_analyze


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    published = setup_django(options.count, sqlite=True)
    vacuum_analyze()

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from directory.models import Organization
    from tests.support.factories import UserFactory

    # One organizer for every run (a second UserFactory() would reuse its username).
    organizer = get_user_model().objects.filter(username="bench-organizer").first()
    client = Client()
    client.force_login(organizer or UserFactory(username="bench-organizer", organizer=True))
    url = reverse("admin:directory_organization_changelist")
    total = Organization.objects.count()
    pages = {
        "first page": url,
        "search 'bakery'": f"{url}?q=bakery",
        "filter state=MD": f"{url}?state=MD",
        "page 500": f"{url}?p=500",
    }
    print(
        f"{total} listings ({published} published), {connection.vendor}, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    for label, address in pages.items():
        # Counted as they run (the query log read after the request came out empty
        # once the set-up had run).
        queries = []

        def count(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            status = client.get(address).status_code
        milliseconds = median_ms(lambda address=address: client.get(address), repeat=options.repeat)
        cpu = []
        for _ in range(options.repeat):
            start = time.process_time()
            client.get(address)
            cpu.append((time.process_time() - start) * 1000)
        print(
            f"{label:<20} {milliseconds:8.1f} ms  (CPU {statistics.median(cpu):5.1f} ms)  "
            f"{len(queries):3d} queries  ({status})"
        )


if __name__ == "__main__":
    main()
