"""CSV export at scale on PostgreSQL: time, throughput and peak memory, side by side.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/solidarity_bench \\
        .venv/bin/python bench/export_csv.py --count 100000

Creates the synthetic listings first if they are missing (generate_listings), then runs
each way of exporting every published organization in its own process, so that each
peak memory is its own:

  psql-copy   `COPY (<the export's SQL>) TO STDOUT WITH (FORMAT csv)` in psql: the floor
  export      GET /export/organizations.csv through Django (COPY, streamed)
  portable    the portable path (ORM chunks + csv), what SQLite uses, on PostgreSQL
  naive       a Django loop with csv.writer into an HttpResponse, prefetching relations
  geojson     GET /api/organizations.geojson (streamed, portable path), for reference

Memory is the growth of the process's peak resident set (VmHWM, reset just before the
export) over its size when the export started; for psql, its whole peak.
"""

import argparse
import hashlib
import io
import json
import os
import resource
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODES = ["psql-copy", "export", "portable", "naive", "geojson"]


def setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "solidarity.settings")
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("SITE_URL", "https://directory.example.org")
    # The test client speaks plain HTTP; production would redirect it to HTTPS.
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
    os.environ["EXPORT_RATE_LIMIT"] = ""
    os.environ["API_RATE_LIMIT"] = ""
    import django

    django.setup()


def status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/self/status")


def reset_peak_kib() -> int:
    """Reset the peak resident size (Linux) to the current one, and return it, so that
    the peak measured afterwards is the export's, not the imports'."""
    Path("/proc/self/clear_refs").write_text("5")
    return status_kib("VmRSS")


class CountingDigest:
    """sha256 of everything written, and how many bytes that was."""

    def __init__(self):
        self._hash = hashlib.sha256()
        self.size = 0

    def update(self, data):
        self._hash.update(data)
        self.size += len(data)

    def hexdigest(self):
        return self._hash.hexdigest()


def naive_response():
    """What many projects ship: every row through the ORM into one HttpResponse."""
    import csv

    from django.conf import settings
    from django.http import HttpResponse

    from directory.models import Organization
    from directory.partners.columns import COLUMNS

    response = HttpResponse(content_type="text/csv")
    writer = csv.writer(response)
    organizations = (
        Organization.objects.published()
        .select_related("type")
        .prefetch_related("languages", "sectors", "service_area", "locations__jurisdiction")
        .order_by("name", "pk")
    )
    writer.writerow([column.name for column in COLUMNS])
    for organization in organizations:
        location = organization.primary_location
        exact = location is not None and location.precision == "exact"
        writer.writerow(
            [
                organization.pk,
                organization.slug,
                organization.name,
                organization.type.slug,
                organization.type.name,
                organization.status,
                organization.summary,
                organization.website,
                organization.email,
                organization.phone,
                organization.year_founded,
                organization.membership_model,
                organization.accepting_members,
                ";".join(language.code for language in organization.languages.all()),
                ";".join(sector.slug for sector in organization.sectors.all()),
                "; ".join(str(area) for area in organization.service_area.all()),
                ";".join(area.fips for area in organization.service_area.all()),
                location.street_address if exact else "",
                location.city if location else "",
                location.state if location else "",
                location.zip_code if exact else "",
                location.jurisdiction.name if location and location.jurisdiction else "",
                location.jurisdiction.fips if location and location.jurisdiction else "",
                location.latitude if exact else "",
                location.longitude if exact else "",
                location.precision if location else "",
                len(organization.locations.all()),
                organization.last_verified,
                settings.SITE_URL + organization.get_absolute_url(),
                settings.DATA_LICENSE,
                settings.DATA_LICENSE_URL,
            ]
        )
    return response.content


def export_sql():
    """The export's COPY statement with its parameters bound by psycopg (for psql)."""
    from django.conf import settings
    from django.db import connection
    from django.http import QueryDict
    from psycopg import ClientCursor

    from directory.browse.selectors import filter_organizations
    from directory.partners.columns import COLUMNS, export_queryset

    queryset = export_queryset(
        filter_organizations(QueryDict()),
        columns=COLUMNS,
        base_url=settings.SITE_URL,
        in_sql=True,
    )
    sql, params = queryset.query.sql_with_params()
    connection.ensure_connection()
    with ClientCursor(connection.connection) as cursor:
        return cursor.mogrify(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", params)


def run_mode(mode: str) -> dict:
    """Runs inside the child process for one mode; returns its figures."""
    setup_django()
    from django.db import connection
    from django.http import QueryDict
    from django.test import Client

    from directory.browse.selectors import filter_organizations
    from directory.partners.csv_export import ExportOptions, stream_csv

    connection.ensure_connection()
    warm_up = Client().get("/export/organizations.csv", {"columns": "id", "state": "DC"})
    b"".join(warm_up.streaming_content)  # imports, translations, compiled expressions
    digest = CountingDigest()
    before = reset_peak_kib()
    started = time.perf_counter()
    if mode == "export":
        response = Client().get("/export/organizations.csv")
        assert response.status_code == 200, response.status_code
        for chunk in response.streaming_content:
            digest.update(chunk)
    elif mode == "portable":
        organizations = filter_organizations(QueryDict())
        options = ExportOptions()
        for chunk in stream_csv(
            organizations,
            options=options,
            base_url="https://directory.example.org",
            use_copy=False,
        ):
            digest.update(chunk)
    elif mode == "naive":
        digest.update(naive_response())
    elif mode == "geojson":
        response = Client().get("/api/organizations.geojson")
        assert response.status_code == 200, response.status_code
        for chunk in response.streaming_content:
            digest.update(chunk)
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "growth_mib": (status_kib("VmHWM") - before) / 1024,
        "bytes": digest.size,
        "sha256": digest.hexdigest(),
    }


def run_psql() -> dict:
    setup_django()
    from django.conf import settings

    statement = export_sql()
    database = settings.DATABASES["default"]
    environment = {**os.environ, "PGPASSWORD": database.get("PASSWORD") or ""}
    command = [
        shutil.which("psql") or "psql",
        "-X",
        "-q",
        "-h",
        database.get("HOST") or "127.0.0.1",
        "-p",
        str(database.get("PORT") or 5432),
        "-U",
        database.get("USER") or "postgres",
        "-d",
        database["NAME"],
        "-c",
        statement,
    ]
    with tempfile.TemporaryFile() as output:
        started = time.perf_counter()
        subprocess.run(command, stdout=output, env=environment, check=True)
        seconds = time.perf_counter() - started
        size = output.tell()
    child_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"seconds": seconds, "growth_mib": child_peak / 1024, "bytes": size, "sha256": ""}


def child(mode: str):
    figures = run_psql() if mode == "psql-copy" else run_mode(mode)
    print(json.dumps(figures))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000, help="listings to export")
    parser.add_argument("--modes", default=",".join(MODES), help="comma-separated modes")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        child(arguments.child)
        return

    setup_django()
    from django.core.management import call_command
    from django.db import connection

    from directory.models import Organization

    if connection.vendor != "postgresql":
        sys.exit("Run this against PostgreSQL: set DATABASE_URL=postgres://...")
    call_command("migrate", verbosity=0)
    call_command("generate_listings", count=arguments.count, stdout=io.StringIO())
    rows = Organization.objects.published().count()
    connection.close()
    print(f"{rows} published organizations, PostgreSQL {connection.pg_version // 10000}")
    print(f"{'mode':<10} {'seconds':>8} {'rows/s':>9} {'MB/s':>7} {'peak MiB':>9} {'vs floor':>9}")
    floor = None
    hashes = {}
    for mode in arguments.modes.split(","):
        result = subprocess.run(
            [sys.executable, __file__, "--child", mode],
            capture_output=True,
            text=True,
            check=True,
        )
        figures = json.loads(result.stdout.strip().splitlines()[-1])
        floor = floor or (figures["seconds"] if mode == "psql-copy" else None)
        ratio = f"{figures['seconds'] / floor:.2f}x" if floor else "-"
        print(
            f"{mode:<10} {figures['seconds']:8.2f} {rows / figures['seconds']:9.0f} "
            f"{figures['bytes'] / figures['seconds'] / 1e6:7.1f} {figures['growth_mib']:9.1f} "
            f"{ratio:>9}"
        )
        hashes[mode] = figures["sha256"]
    if hashes.get("export") and hashes.get("portable"):
        same = "identical" if hashes["export"] == hashes["portable"] else "DIFFERENT"
        print(f"COPY and portable files are {same} (sha256 {hashes['export'][:16]}...)")


if __name__ == "__main__":
    main()
