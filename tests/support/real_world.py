"""Rows shaped like the public lists organizers paste into the import template (credit
unions, loan funds, housing co-ops, land trusts, mutual aid groups): bare domains,
state names, ZIP+4 in odd forms, ALL-CAPS names, PO boxes, stray spaces, and about one
row in a hundred that is truly unusable. Used by the tests and bench/import_rows.py."""

import csv
import io

from directory.listings.imports import COLUMNS

TYPES = [
    "credit-union",
    "community-lender",
    "housing-cooperative",
    "community-land-trust",
    "mutual-aid",
    "worker-cooperative",
]
PLACES = [  # ZIP+4, state as people write it
    ("20010", "1620", "District of Columbia"),
    ("20006", "1234", "D.C."),
    ("20001", "4010", "DC"),
    ("20737", "1102", "Maryland"),
    ("20910", "3301", "md"),
    ("21201", "2201", "MARYLAND"),
    ("22201", "4415", "Virginia"),
    ("23220", "1010", "va"),
    ("22314", "5521", "Va."),
]
WORDS = ["Capital", "Riverside", "Anacostia", "Piedmont", "Chesapeake", "Shenandoah", "Potomac"]
KINDS = ["Credit Union", "Loan Fund", "Housing Co-op", "Land Trust", "Mutual Aid", "Workers"]


def _zip(number: int, five: str, four: str) -> str:
    forms = [f"{five}--{four}", f"{five}{four}", f"{five} {four}", f"{five}-{four}", five]
    return forms[number % len(forms)]


def row(number: int) -> dict:
    five, four, state = PLACES[number % len(PLACES)]
    name = f"{WORDS[number % len(WORDS)]} {KINDS[number % len(KINDS)]} {number}"
    if number % 10 == 3:
        name = name.upper()
    values = {
        "name": f"  {name} " if number % 7 == 0 else name,
        "type": TYPES[number % len(TYPES)],
        "summary": f"Serving neighbours since {1950 + number % 70}.",
        "website": [
            f"www.example{number}.org",
            f"example{number}.org/home",
            f"https://example{number}.org",
        ][number % 3],
        "phone": f"(202) 555-{number % 10000:04d}",
        "state": state,
        "zip_code": _zip(number, five, four),
        "street_address": f"PO Box {100 + number}" if number % 20 == 5 else f"{number} Main St",
        "accepting_members": "Yes" if number % 2 else "unknown",
    }
    if number % 100 == 99:  # truly unusable: no name at all, or no such ZIP code
        if number % 200 == 99:
            values["name"] = ""
        else:
            values["zip_code"] = "ABCDE"
    return values


def rows(count: int) -> list[dict]:
    return [row(number) for number in range(count)]


def csv_bytes(count: int) -> bytes:
    return csv_bytes_of(rows(count))


def csv_bytes_of(selected: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    for values in selected:
        writer.writerow({column: values.get(column, "") for column in COLUMNS})
    return buffer.getvalue().encode()
