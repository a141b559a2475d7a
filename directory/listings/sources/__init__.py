"""Public source imports: listings from federal lists, with their provenance.

`layouts` reads the files as published (NCUA's federally insured credit unions, the
CDFI Fund's certified CDFIs) and maps their columns to the organizers' import columns;
`importer` runs them through the spreadsheet import pipeline (directory.listings.imports)
as drafts for review, records each listing's source record (`SourceRecord`), and on a
re-run updates only the fields organizers have not changed since the last import.
`manage.py import_source SOURCE FILE` is the command.
"""

from directory.listings.sources.importer import SourcePlan, apply_source, plan_source
from directory.listings.sources.layouts import LAYOUTS, LayoutError, records

__all__ = ["LAYOUTS", "LayoutError", "SourcePlan", "apply_source", "plan_source", "records"]
