"""The sitemap at scale: the first request after a change builds a file, later ones
read it back until the data changes again.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/solidarity_bench \\
        .venv/bin/python bench/sitemap.py --count 10000

Creates the synthetic listings first if they are missing (generate_listings). Production
settings, the configured cache (the database cache unless CACHE_URL or REDIS_URL is
set), requests through the whole Django stack with the test client. For the index and
the organizations file: its size and addresses, the build (the first request after the
data version is replaced, as any change to a listing does; median of --builds) and the
median and 95th percentile of --requests later requests.
"""

import argparse
import io
import os
import re
import secrets
import statistics
import sys
import time
from pathlib import Path

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
    import django

    django.setup()


def timed_get(client, path: str) -> tuple[float, bytes]:
    started = time.perf_counter()
    response = client.get(path)
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (path, response.status_code)
    return elapsed, response.content


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000, help="listings")
    parser.add_argument("--builds", type=int, default=5, help="data versions to build for")
    parser.add_argument("--requests", type=int, default=50, help="requests after each build")
    arguments = parser.parse_args()

    setup_django()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from directory.core.cache import bump
    from directory.models import Organization

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("generate_listings", count=arguments.count, stdout=io.StringIO())
    published = Organization.objects.published().count()
    cache = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    print(f"{published} published organizations on {connection.vendor}, cache {cache}")

    client = Client()
    client.get("/sitemap-pages.xml")  # warm-up: imports, the cache table
    header = ("file", "bytes", "addresses", "build ms", "later median", "p95")
    print("{:<28}{:>11}{:>11}{:>10}{:>14}{:>8}".format(*header))
    for path in ("/sitemap.xml", "/sitemap-organizations.xml"):
        builds, later = [], []
        for _ in range(arguments.builds):
            bump()
            elapsed, body = timed_get(client, path)
            builds.append(elapsed)
            later += [timed_get(client, path)[0] for _ in range(arguments.requests)]
        later.sort()
        p95 = later[max(0, round(len(later) * 0.95) - 1)]
        addresses = len(re.findall(rb"<loc>", body))
        print(
            f"{path:<28}{len(body):>11,}{addresses:>11,}{statistics.median(builds):>10.1f}"
            f"{statistics.median(later):>14.1f}{p95:>8.1f}"
        )


if __name__ == "__main__":
    main()
