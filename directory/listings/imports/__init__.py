"""Spreadsheet import and export for organizers, as one pipeline with clear seams.

    parse -> normalize -> match -> diff -> apply

- `parse`: a CSV or Excel file into rows numbered as the spreadsheet numbers them.
- `normalize`: each cell into the value the directory stores, fixing what is
  unambiguous (a web address without https://, a state's name, ZIP+4 in any common form,
  stray spaces, optionally ALL-CAPS names) and saying so; refusing only what is truly
  unusable, by column.
- `match`: each row to its listing: by slug, by the address of a listing merged away
  (which updates nothing and is reported), or by its name when it has no slug, so a
  retried upload finds what the first one created.
- `diff`: what the row would change, field by field. A row exported before the listing
  last changed (its `version` column) is merged three ways against the listing as it was
  at export time: the directory's newer values are kept, the file's own edits applied,
  and a field changed on both sides is a conflict, shown and not imported. An import
  never publishes an archived listing again. Rows that change nothing are "unchanged".
- `apply`: the new and changed rows, in one transaction and one revision.

Other sources (the public CSV, external lists) come in through the same functions:
give `parse` their file, or build `SourceRow`s yourself and start at `normalize`.
"""

from directory.listings.imports.columns import COLUMNS, import_template_dataset
from directory.listings.imports.pipeline import ImportPlan, apply, plan_file

__all__ = ["COLUMNS", "ImportPlan", "apply", "import_template_dataset", "plan_file"]
