"""Benchmark: the organizers' list of organizations in the admin, at scale.

Makes sure COUNT synthetic listings exist (generate_listings), then, through Django's
test client signed in as an organizer, prints the median time and the number of
queries of: the first page, a search, a filter and a deep page (page 500).

Usage (PostgreSQL only, a throwaway database):
  createdb -h 127.0.0.1 -U postgres solidarity_org
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/solidarity_org \\
      .venv/bin/python bench/admin_changelist.py --count 100000
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _setup import median_ms, setup_django, vacuum_analyze


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    published = setup_django(options.count)
    vacuum_analyze()

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from directory.models import Organization
    from tests.support.factories import UserFactory

    client = Client()
    client.force_login(UserFactory(organizer=True))
    url = reverse("admin:directory_organization_changelist")
    total = Organization.objects.count()
    pages = {
        "first page": url,
        "search 'bakery'": f"{url}?q=bakery",
        "filter state=MD": f"{url}?state=MD",
        "page 500": f"{url}?p=500",
    }
    print(f"{total} listings ({published} published), {connection.vendor}")
    for label, address in pages.items():
        with CaptureQueriesContext(connection) as queries:
            status = client.get(address).status_code
        milliseconds = median_ms(lambda address=address: client.get(address), repeat=options.repeat)
        print(f"{label:<20} {milliseconds:8.1f} ms  {len(queries):3d} queries  ({status})")


if __name__ == "__main__":
    main()
