"""The pipeline end to end: plan a file (parse, normalize, match, diff), then apply it."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

import reversion
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _

from directory.listings import schema, signals
from directory.listings.imports.diff import (
    CONFLICT,
    ERROR,
    NEW,
    RELATION_COLUMNS,
    UPDATE,
    RowPlan,
    plan_row,
)
from directory.listings.imports.match import match
from directory.listings.imports.normalize import Reference, normalize
from directory.listings.imports.parse import SourceRow, parse
from directory.models import Jurisdiction, Organization, OrganizationType

# Rows per INSERT of relations and per read of the listings written.
_CHUNK = 500


@dataclass
class ImportPlan:
    rows: list[RowPlan]
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def counts(self) -> Counter:
        return Counter(row.outcome for row in self.rows)

    @property
    def has_errors(self) -> bool:
        return any(row.outcome == ERROR for row in self.rows)

    @property
    def writes(self) -> list[RowPlan]:
        return [row for row in self.rows if row.outcome in (NEW, UPDATE)]


def _in_file_duplicates(rows: list[RowPlan]) -> None:
    """Two rows for one listing, or two new rows with one name, in the same file."""
    seen_slugs: dict[str, int] = {}
    seen_names: dict[str, int] = {}
    for row in rows:
        if row.slug and row.outcome not in (ERROR,):
            if row.slug in seen_slugs:
                row.outcome = ERROR
                row.errors.setdefault("slug", []).append(
                    _("Row %(row)d is about the same listing.") % {"row": seen_slugs[row.slug]}
                )
            seen_slugs.setdefault(row.slug, row.number)
        name = (row.name or "").casefold()
        if name and name in seen_names:
            row.warnings.append(
                _("Row %(row)d has the same name: the same organization twice?")
                % {"row": seen_names[name]}
            )
        seen_names.setdefault(name, row.number)


def _written_before(rows: list[RowPlan], written: dict[str, int]) -> None:
    """Rows about a listing an earlier chunk of the same file had: as the preview
    said of the whole file, the same listing twice."""
    for row in rows:
        if row.outcome == ERROR or row.slug not in written:
            continue
        row.outcome = ERROR
        row.errors.setdefault("slug", []).append(
            _("Row %(row)d is about the same listing.") % {"row": written[row.slug]}
        )


def plan_rows(
    sources: list[SourceRow],
    *,
    title_case: bool = True,
    written: dict[str, int] | None = None,
    created: frozenset[int] = frozenset(),
    lock: bool = False,
    since: datetime | None = None,
) -> ImportPlan:
    """The plan of these rows. A chunk of a larger file passes what its earlier chunks
    did: `written`, each listing's slug -> the row about it; `created`, the ids of the
    listings they created (a row of the same name is another new listing, as the
    preview of the whole file said); `lock`: the rows are written in this transaction,
    so the listings they are about stay locked until it ends; `since`: when the file
    was confirmed, so a listing changed after is merged three ways, never overwritten."""
    reference = Reference()
    clean = [normalize(source, reference=reference, title_case=title_case) for source in sources]
    matches = match(clean, not_by_name=created, lock=lock)
    tables = (
        {kind.slug: kind for kind in OrganizationType.objects.all()},
        {county.fips: county for county in Jurisdiction.objects.all()},
    )
    rows = [plan_row(row, matches[row.number], reference=tables, since=since) for row in clean]
    _in_file_duplicates(rows)
    if written:
        _written_before(rows, written)
    return ImportPlan(rows=rows)


def plan_file(content: bytes, filename: str, *, title_case: bool = True) -> ImportPlan:
    """Everything the preview shows; writes nothing. Raises parse.UnreadableFile."""
    parsed = parse(content, filename)
    plan = plan_rows(parsed.rows, title_case=title_case)
    plan.ignored_columns = parsed.ignored_columns
    return plan


def _new_relations(rows: list[RowPlan], related: dict) -> None:
    """The relations of new listings, one INSERT per relation for the whole file. A new
    listing has none yet, so there is nothing to compare or remove; what the relation
    signals would do (its states, the data version) the batch does once."""
    for name in RELATION_COLUMNS:
        through = getattr(Organization, name).through
        source = getattr(Organization, name).field.m2m_field_name()
        target = getattr(Organization, name).field.m2m_reverse_field_name()
        links = [
            through(**{f"{source}_id": row.organization.pk, f"{target}_id": related[name][key].pk})
            for row in rows
            for key in dict.fromkeys(row.relations.get(name, []))
        ]
        through.objects.bulk_create(links, batch_size=_CHUNK)


def _as_written(organization_ids: list[int]):
    """The listings as written, in this order, with what their revision records
    (relations, locations, links) read in a few queries per chunk, not per listing."""
    for start in range(0, len(organization_ids), _CHUNK):
        chunk = organization_ids[start : start + _CHUNK]
        read = Organization.objects.filter(pk__in=chunk).prefetch_related(
            *RELATION_COLUMNS, "locations", "social_links"
        )
        by_pk = {organization.pk: organization for organization in read}
        yield from (by_pk[pk] for pk in chunk)


def apply(plan: ImportPlan, *, user: AbstractBaseUser | None, comment: str = "") -> Counter:
    """Write the new and changed rows in one transaction and one revision. Unchanged,
    conflicting and skipped rows are left alone; a plan with errors writes nothing.
    The queries grow with the rows written (one INSERT or UPDATE for each listing and
    location), never with the listings already in the directory."""
    if plan.has_errors:
        raise ValueError("An import plan with errors cannot be applied.")
    related = {
        name: {
            getattr(item, schema.field(name).natural_key): item
            for item in schema.field(name).model_field.related_model.objects.all()
        }
        for name in RELATION_COLUMNS
    }
    with (
        transaction.atomic(),
        signals.batched_writes(),
        # Each listing goes into the revision once, after its relations are set (with
        # its locations, which its registration follows), not again on every save.
        reversion.create_revision(manage_manually=True, atomic=False),
    ):
        if user is not None:
            reversion.set_user(user)
        reversion.set_comment(comment or _("Imported from a spreadsheet"))
        new_rows = []
        for row in plan.writes:
            organization = row.organization
            if row.outcome == NEW:
                new_rows.append(row)
            organization.save()
            if row.outcome != NEW:
                for name, keys in row.relations.items():
                    getattr(organization, name).set([related[name][key] for key in keys])
            if row.location is not None:
                row.location.organization = organization
                row.location.save()
        _new_relations(new_rows, related)
        for organization in _as_written([row.organization.pk for row in plan.writes]):
            reversion.add_to_revision(organization)
    counts = plan.counts
    counts[CONFLICT] = counts.get(CONFLICT, 0)
    return counts
