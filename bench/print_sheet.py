"""The printable resource sheet (/print/) at its largest: time, queries and bytes for a
sheet of up to 500 organizations, and for a filter matching more (the "narrow the
filters" answer).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/solidarity_bench \\
        .venv/bin/python bench/print_sheet.py --count 10000

Creates the synthetic listings first if they are missing (generate_listings). Requests
go through the whole Django stack with the test client (gzip included).
"""

import argparse
import gzip
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _setup import median_ms, setup_django, vacuum_analyze


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=9)
    arguments = parser.parse_args()
    published = setup_django(arguments.count)
    vacuum_analyze()

    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from directory.browse.print_sheet import MAX_SHEET_ROWS
    from directory.models import Organization

    client = Client(headers={"accept-encoding": "gzip"})
    url = reverse("directory:print-sheet")
    largest = (
        Organization.objects.published()
        .values_list("type__slug", flat=True)
        .order_by("type__slug")
        .distinct()
    )
    by_type = {
        slug: Organization.objects.published().filter(type__slug=slug).count() for slug in largest
    }
    fitting = max((slug for slug, n in by_type.items() if n <= MAX_SHEET_ROWS), key=by_type.get)
    cases = {
        f"type={fitting} ({by_type[fitting]} rows)": {"type": fitting},
        f"every listing ({published}: too many)": {},
    }
    print(f"{published} published organizations; sheet limit {MAX_SHEET_ROWS}")
    print("| case | median ms | queries | HTML bytes | gzip bytes |")
    print("|---|---|---|---|---|")
    for name, query in cases.items():
        queries = []

        def count(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            response = client.get(url, query)
        assert response.status_code == 200, response.status_code
        html = gzip.decompress(response.content)
        milliseconds = median_ms(
            lambda query=query: client.get(url, query), repeat=arguments.repeat
        )
        print(
            f"| {name} | {milliseconds:.0f} | {len(queries)} | {len(html):,} | "
            f"{len(response.content):,} |"
        )


if __name__ == "__main__":
    main()
