"""Benchmark: the cost of duplicate detection and of a suggestion, at scale.

Creates (or reuses) synthetic listings with `generate_listings`, then prints:
  - one listing's candidate search (the path an admin save or a suggestion takes),
  - the in-memory index path used for large imports (per listing and in total),
  - a whole POST /suggest/ through Django's test client (validation, ZIP geocoding,
    the public "is it one of these?" check, the pending listing, its revision and the
    duplicate flags), with notifications off.

Usage (SQLite file by default; pass DATABASE_URL for PostgreSQL):
  .venv/bin/python bench/duplicates.py --count 10000
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_contrib \
      .venv/bin/python bench/duplicates.py --count 100000
The database is the one DATABASE_URL names: use a throwaway one.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "solidarity.settings")
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/bench_contrib.sqlite3")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return (time.perf_counter() - start) * 1000, result


def summary(label, samples_ms):
    samples = sorted(samples_ms)
    p95 = samples[min(len(samples) - 1, int(len(samples) * 0.95))]
    median = statistics.median(samples)
    print(f"{label:<48} median {median:8.1f} ms   p95 {p95:8.1f} ms   n={len(samples)}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--samples", type=int, default=50)
    parser.add_argument("--bulk", type=int, default=1_000)
    options = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    from directory.contributions import abuse, duplicates
    from directory.models import ChangeRequest, Organization

    call_command("migrate", verbosity=0)
    call_command("generate_listings", count=options.count, seed=1, verbosity=0)
    total = Organization.objects.count()
    print(f"database: {connection.vendor}, listings: {total}")

    rng = random.Random(1)
    ids = list(Organization.objects.values_list("pk", flat=True))
    sample = rng.sample(ids, min(options.samples, len(ids)))
    identities = duplicates.identities(Organization.objects.filter(pk__in=sample))
    summary(
        "candidate search for one listing",
        [timed(duplicates.find_matches, identity)[0] for identity in identities],
    )

    bulk_ids = rng.sample(ids, min(options.bulk, len(ids)))
    elapsed, _ = timed(duplicates.flag_duplicates, bulk_ids, force=True)
    print(
        f"{'in-memory index, ' + str(len(bulk_ids)) + ' listings (import path)':<48} "
        f"total {elapsed:8.1f} ms   per listing {elapsed / len(bulk_ids):6.2f} ms"
    )

    client = Client()
    samples = []
    with override_settings(ORGANIZER_EMAILS=[], CONTRIBUTION_RATE_LIMIT=10**9):
        for number in range(min(options.samples, 30)):
            data = {
                "name": f"Benchmark Suggestion {number} {time.time_ns()}",
                "type": "worker-cooperative",
                "summary": "A benchmark suggestion.",
                "zip_code": rng.choice(["20001", "20912", "22204", "21201"]),
                "precision": "exact",
                "submitter_email": "bench@example.org",
                "not_a_duplicate": "on",
                "started": abuse.started_token(time.time() - 60),
            }
            elapsed, response = timed(client.post, "/suggest/", data)
            assert response.status_code == 302, response.status_code
            samples.append(elapsed)
    summary("POST /suggest/ (whole request)", samples)
    created = Organization.objects.filter(name__startswith="Benchmark Suggestion")
    ChangeRequest.objects.filter(organization__in=created).delete()
    created.delete()
    print(f"(DEBUG={settings.DEBUG}; figures from a shared machine vary between runs)")


if __name__ == "__main__":
    main()
