"""Benchmark: manage.py import_source ncua on a file the size of NCUA's national FOICU.txt.

Writes a FOICU.txt in the published layout with --rows credit unions (NCUA lists about
4,500; about one in eight is in DC, Maryland or Virginia here, with real ZIP codes of
the region), then prints the time of:
  - a dry run (read, region filter, normalize, plan: nothing written),
  - the first import (drafts, provenance, duplicate checks),
  - the same file again (every row "unchanged"),
  - a newer file where one row in ten changed its street (updates).

Usage (SQLite file by default; pass DATABASE_URL for PostgreSQL):
  .venv/bin/python bench/import_source.py --rows 4500
The database is the one DATABASE_URL names: use a throwaway one.
"""

import argparse
import csv
import io
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "solidarity.settings")
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/bench_import_source.sqlite3")

HEADER = [
    "CU_NUMBER",
    "CYCLE_DATE",
    "JOIN_NUMBER",
    "RSSD",
    "CU_TYPE",
    "CU_NAME",
    "CITY",
    "STATE",
    "CHARTER_STATE",
    "STATE_CODE",
    "ZIP_CODE",
    "COUNTY_CODE",
    "CONG_DIST",
    "SMSA",
    "ATTENTION_OF",
    "STREET",
    "REGION",
    "SE",
    "DISTRICT",
    "YEAR_OPENED",
    "TOM_CODE",
    "LIMITED_INC",
    "ISSUE_DATE",
    "PEER_GROUP",
    "QUARTER_FLAG",
]
WORDS = [
    "CAPITAL",
    "TEACHERS",
    "POSTAL",
    "FIREFIGHTERS",
    "NEIGHBORS",
    "COMMUNITY",
    "TRANSIT",
    "NURSES",
]


def foicu(rows: int, *, changed_every: int = 0) -> bytes:
    import zipcodes

    region = [
        place
        for state in ("DC", "MD", "VA")
        for place in zipcodes.filter_by(state=state, zip_code_type="STANDARD")
    ]
    others = list(zipcodes.filter_by(state="PA", zip_code_type="STANDARD"))
    rng = random.Random(1)
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
    writer.writerow(HEADER)
    for number in range(1, rows + 1):
        place = rng.choice(region if number % 8 == 0 else others)
        street = f"{100 + number} MAIN ST"
        if changed_every and number % changed_every == 0:
            street = f"{200 + number} MAIN ST"
        name = f"{rng.choice(WORDS)} {rng.choice(WORDS)} {number} FEDERAL CREDIT UNION"
        values = dict.fromkeys(HEADER, "")
        values.update(
            CU_NUMBER=60000 + number,
            CYCLE_DATE="9/30/2026 0:00:00",
            CU_TYPE=1,
            CU_NAME=name,
            CITY=place["city"],
            STATE=place["state"],
            ZIP_CODE=place["zip_code"],
            STREET=street,
            YEAR_OPENED=1930 + number % 90,
        )
        writer.writerow([values[column] for column in HEADER])
    return out.getvalue().encode()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=4500)
    options = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    folder = Path(tempfile.mkdtemp())
    first, newer = folder / "FOICU.txt", folder / "FOICU-newer.txt"
    first.write_bytes(foicu(options.rows))
    newer.write_bytes(foicu(options.rows, changed_every=10))

    def timed(label, path, *flags):
        out = io.StringIO()
        started = time.perf_counter()
        call_command("import_source", "ncua", str(path), *flags, stdout=out)
        seconds = time.perf_counter() - started
        print(f"{label}: {seconds:.1f} s; {out.getvalue().strip().splitlines()[-1]}")

    timed("dry run", first, "--dry-run")
    timed("first import", first)
    timed("same file again", first)
    timed("newer file", newer)


if __name__ == "__main__":
    main()
