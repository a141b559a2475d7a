"""Print a sha256 digest of every public data document built from the demo data.

Run it before and after a change that must not alter what partners receive (a
refactoring): the same digests mean byte-identical CSV, GeoJSON and API answers.

    .venv/bin/python bench/surface_digest.py            # SQLite in a temporary folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/digest .venv/bin/python bench/surface_digest.py

With DATABASE_URL the named database must be empty (dropdb/createdb first): it is
migrated and the demo data loaded.
"""

import hashlib
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SURFACES = [
    "/export/organizations.csv",
    "/export/organizations.csv?bom=1&columns=name,slug,latitude,longitude,street_address",
    "/export/organizations.csv?state=MD&sort=verified",
    "/api/organizations.geojson",
    "/api/organizations.geojson?type=mutual-aid",
    "/api/locations.geojson",
    "/api/locations.geojson?bbox=-77.2,38.8,-76.9,39.1",
    "/api/locations.geojson?near=20001&radius=10",
    "/api/organizations/",
    "/api/organizations/?page_size=500",
    "/api/organizations/?language=es&accepting=yes",
    "/api/organizations/?near=20912&sort=distance",
]


def main() -> None:
    temporary = tempfile.TemporaryDirectory()
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{temporary.name}/digest.sqlite3"
    os.environ.update(
        DEBUG="false",
        SECRET_KEY="digest-" + "k3Jp9Qw2Lx7Zr5Tn8Vb1Mc4Hd6Fg0Ys" * 2,
        ALLOWED_HOSTS="testserver",
        SITE_URL="http://testserver",
        SECURE_SSL_REDIRECT="false",
        CACHE_URL="locmemcache://",
        API_RATE_LIMIT="",
        EXPORT_RATE_LIMIT="",
        LOG_LEVEL="WARNING",
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "solidarity.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from directory.models import Organization

    call_command("migrate", "--noinput", verbosity=0)
    call_command("loaddata", str(ROOT / "fixtures" / "demo.json"), verbosity=0)
    client = Client()
    urls = list(SURFACES)
    urls += [
        f"/api/organizations/{slug}/"
        for slug in Organization.objects.published().order_by("pk").values_list("slug", flat=True)
    ]
    combined = hashlib.sha256()
    for url in urls:
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        digest = hashlib.sha256(body).hexdigest()
        combined.update(url.encode() + b"\0" + body)
        if not url.startswith("/api/organizations/") or url in SURFACES:
            print(f"{response.status_code} {digest[:16]} {len(body):>8} {url}")
    print(f"{len(urls)} documents, combined digest {combined.hexdigest()[:32]}")
    temporary.cleanup()


if __name__ == "__main__":
    main()
