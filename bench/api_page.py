"""The JSON API at scale: time and queries for a page of 100 organizations.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/solidarity_bench \\
        .venv/bin/python bench/api_page.py --count 100000 --requests 200

Creates the synthetic listings first if they are missing (generate_listings). Requests
go through the whole Django stack (middleware, rate limit, ETag, DRF) with the test
client, against random pages, so no page is served warm by PostgreSQL more than any
other, and no page is asked for twice (each pair of page and page size once), so each
is built rather than read back from the answer cache (directory.partners.http.cached_payload);
one scenario repeats a page to time that cache. The cache is the configured one (the
database cache unless REDIS_URL is set), with rate limits off except in one scenario.
Prints median, 95th percentile and the queries per request (with the database cache,
its reads and writes are queries too).
"""

import argparse
import io
import math
import os
import random
import secrets
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent


def setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "solidarity.settings")
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("SITE_URL", "https://directory.example.org")
    # The test client speaks plain HTTP; production would redirect it to HTTPS.
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
    os.environ["API_RATE_LIMIT"] = ""
    import django

    django.setup()


def measure(client, requests, make_query, *, headers=None):
    """Milliseconds per request and the query counts seen."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    timings, query_counts = [], set()
    for _ in range(requests):
        path, query = make_query()
        reset_queries()  # the log keeps 9,000 queries; past that, counts would be wrong
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(path, query, headers=headers or {})
            elapsed = time.perf_counter() - started
        assert response.status_code in (200, 304), (response.status_code, response.content)
        timings.append(elapsed * 1000)
        query_counts.add(len(queries))
    return timings, query_counts


def report(label, timings, query_counts):
    timings = sorted(timings)
    p95 = timings[max(0, round(len(timings) * 0.95) - 1)]
    counts = ", ".join(str(count) for count in sorted(query_counts))
    print(
        f"{label:<34} median {statistics.median(timings):6.1f} ms   p95 {p95:6.1f} ms   "
        f"queries {counts}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000, help="listings")
    parser.add_argument("--requests", type=int, default=200, help="requests per scenario")
    arguments = parser.parse_args()

    setup_django()
    from _setup import vacuum_analyze
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.http import QueryDict
    from django.test import Client

    from directory.browse.selectors import filter_organizations
    from directory.models import Organization

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("generate_listings", count=arguments.count, stdout=io.StringIO())
    vacuum_analyze()
    total = Organization.objects.published().count()
    pages = max(1, total // 100)
    slugs = list(Organization.objects.published().values_list("slug", flat=True)[:5000])
    print(f"{total} published organizations on {connection.vendor}, {arguments.requests} each")

    client = Client()
    api = "/api/organizations/"
    client.get(api)  # warm-up: imports, translations, the cache table
    rng = random.Random(1)
    narrowed = {"state": "MD", "type": "worker-cooperative"}
    narrowed_count = filter_organizations(QueryDict(urlencode(narrowed))).count()
    narrowed_pages = max(1, math.ceil(narrowed_count / 100))

    def distinct_pages(page_count, **filters):
        """Each call a page not asked for before: page numbers first, then page sizes
        just under 100 (the page size is part of the address, so of the cache key)."""
        combinations = [
            (page, size)
            for size in range(100, 90, -1)
            for page in range(1, max(1, page_count * size // 100) + 1)
        ]
        unseen = rng.sample(combinations, min(len(combinations), arguments.requests + 1))
        return lambda: (api, {**filters, "page": (pick := unseen.pop())[0], "page_size": pick[1]})

    unseen_slugs = rng.sample(slugs, min(len(slugs), arguments.requests + 1))
    scenarios = [
        ("page of 100", distinct_pages(pages)),
        ("page of 100, state=MD & type", distinct_pages(narrowed_pages, **narrowed)),
        ("one organization", lambda: (f"{api}{unseen_slugs.pop()}/", {})),
        ("page of 100, repeated (cached)", lambda: (api, {"page": 3, "page_size": 100})),
    ]
    for label, make_query in scenarios:
        report(label, *measure(client, arguments.requests, make_query))

    # With a rate limit on, every request also reads and writes its counter.
    settings.API_RATE_LIMIT = f"{10 * arguments.requests}/min"
    report(
        "page of 100, rate limit counted",
        *measure(client, arguments.requests, distinct_pages(pages)),
    )
    settings.API_RATE_LIMIT = ""

    page = {"page": 7, "page_size": 100}
    etag = client.get(api, page)["ETag"]
    report(
        "page of 100, If-None-Match (304)",
        *measure(client, arguments.requests, lambda: (api, page), headers={"if-none-match": etag}),
    )


if __name__ == "__main__":
    main()
