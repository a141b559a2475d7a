"""Shared set-up for the benchmarks: Django on the database DATABASE_URL names, with
at least `count` synthetic listings (generate_listings adds only what is missing)."""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def setup_django(count: int, *, sqlite: bool = False) -> int:
    """Configure Django, make sure `count` synthetic listings exist, and return how many
    published organizations the database holds. PostgreSQL only, unless `sqlite` (a
    benchmark that compares both: DATABASE_URL=sqlite:////tmp/bench.sqlite3)."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "solidarity.test_settings")
    url = os.environ.get("DATABASE_URL", "")
    if not (url.startswith("postgres") or (sqlite and url.startswith("sqlite"))):
        sys.exit(
            "Set DATABASE_URL to a PostgreSQL database, e.g. postgres://postgres@127.0.0.1/bench"
        )
    import django

    django.setup()
    from django.core.management import call_command

    from directory.models import Organization

    call_command("migrate", verbosity=0)
    call_command("generate_listings", count=count, seed=1, verbosity=0)
    published = Organization.objects.published().count()
    if published > count * 1.01 + 200:
        print(
            f"Note: the database holds {published} published listings, more than --count "
            f"{count}; use a fresh database for each size."
        )
    return published


def vacuum_analyze() -> None:
    """Fresh statistics and visibility map after generate_listings, as autovacuum would
    leave them in production (it may be off, or not yet run, on a development server):
    without them the planner misjudges the new rows and index-only scans read the heap."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    elif connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def median_ms(function, *, repeat: int, warmup: int = 1) -> float:
    return compare_ms({"only": function}, repeat=repeat, warmup=warmup)["only"]


def compare_ms(functions: dict, *, repeat: int, warmup: int = 1) -> dict:
    """Median milliseconds of each function. The functions take turns, so load from
    other processes on a shared machine falls on all of them alike."""
    for function in functions.values():
        for _ in range(warmup):
            function()
    timings = {name: [] for name in functions}
    for _ in range(repeat):
        for name, function in functions.items():
            start = time.perf_counter()
            function()
            timings[name].append((time.perf_counter() - start) * 1000)
    return {name: statistics.median(values) for name, values in timings.items()}
