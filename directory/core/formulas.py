"""The one rule that keeps spreadsheet formulas out of exported text.

A cell whose text starts with =, +, -, @, a tab or a carriage return (after any
apostrophes) is read by spreadsheets as a formula: it could fetch a web address with
the neighbouring cells in it. Such text gets one apostrophe in front, so it shows as
typed. The public CSV (directory.partners.csv_export, and in SQL through
FORMULA_PATTERN) and the organizers' CSV/Excel export (directory.listings.imports) both
use it; the import takes the apostrophe off again (`restore`).
"""

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# The same rule for PostgreSQL's regexp_replace: optional apostrophes, then a trigger.
# The tab and carriage return are the characters themselves.
FORMULA_PATTERN = "^('*[-=+@\t\r])"
FORMULA_REPLACEMENT = "'\\1"


def neutralize(value: str) -> str:
    """Prefix an apostrophe when a spreadsheet would read the cell as a formula."""
    if value and value.lstrip("'")[:1] in FORMULA_TRIGGERS:
        return "'" + value
    return value


def restore(value: str) -> str:
    """The text as it was before neutralize(): one apostrophe before a trigger removed."""
    if value and value.startswith("'") and value.lstrip("'")[:1] in FORMULA_TRIGGERS:
        return value[1:]
    return value
