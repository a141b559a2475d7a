"""Plan and apply one source file: new records become draft listings, known records
update only what organizers left as the source had it.

Every row goes through the organizers' import pipeline (normalize, diff, apply), so a
source's values are cleaned, checked and placed (ZIP code -> city, county, point) by
the same rules as a spreadsheet. What is particular to a source:

- a record is found by its source record id (`SourceRecord`), never by name: a
  listing organizers made themselves is not taken over, the new draft is flagged as a
  possible duplicate of it instead;
- on a re-run each field is compared three ways: the source's value now, its value at
  the last import (kept on the record) and the listing's value now. A field the source
  changed is updated only where the listing still has the last imported value; where
  organizers changed it, theirs is kept and reported;
- a row outside DC, Maryland and Virginia is counted and left out; a row the pipeline
  refuses is reported with its reasons, and the others are still imported.
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone

from directory.listings import slugs
from directory.listings.imports import diff
from directory.listings.imports.normalize import Reference, normalize, state_code
from directory.listings.imports.parse import SourceRow
from directory.listings.imports.pipeline import ImportPlan, apply, plan_rows
from directory.listings.sources.layouts import Layout
from directory.models import (
    DuplicateReason,
    Location,
    Organization,
    PossibleDuplicate,
    SourceRecord,
)

CREATED, UPDATED, KEPT, UNCHANGED, DELETED, REJECTED = (
    "created",
    "updated",
    "kept",
    "unchanged",
    "deleted",
    "rejected",
)


@dataclass
class Field:
    column: str
    before: object
    after: object


@dataclass
class Outcome:
    number: int
    record_id: str
    name: str
    action: str
    slug: str = ""
    updates: list[Field] = field(default_factory=list)
    kept: list[Field] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    values: dict = field(default_factory=dict)
    record: SourceRecord | None = None


@dataclass
class SourcePlan:
    layout: Layout
    retrieved_on: datetime.date
    outcomes: list[Outcome] = field(default_factory=list)
    outside_region: int = 0
    pipeline: ImportPlan | None = None

    def count(self, action: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.action == action)

    @property
    def kept_count(self) -> int:
        return sum(1 for outcome in self.outcomes if outcome.kept)


def _stored(value):
    """A normalized value as JSON keeps it."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _compare(outcome: Outcome, record: SourceRecord, organization: Organization, cells: dict):
    """The cells to write: fields the source changed that organizers have not."""
    current = diff.current_values(organization)
    stored = record.imported_values
    writes = {}
    for column, value in outcome.values.items():
        if column == "status" or diff.same(value, stored.get(column)):
            continue
        if diff.same(current.get(column), stored.get(column)):
            outcome.updates.append(Field(column, current.get(column), value))
            writes[column] = cells[column]
        else:
            outcome.kept.append(Field(column, current.get(column), value))
    return writes


def plan_source(layout: Layout, rows, *, retrieved_on: datetime.date) -> SourcePlan:
    """What importing these rows (from layouts.records) would do; writes nothing."""
    plan = SourcePlan(layout=layout, retrieved_on=retrieved_on)
    reference = Reference()
    seen: dict[str, int] = {}
    candidates = []
    for number, record_id, cells in rows:
        if state_code(cells.get("state", "")) is None:
            plan.outside_region += 1
            continue
        outcome = Outcome(number, record_id, cells.get("name", ""), REJECTED)
        plan.outcomes.append(outcome)
        if not record_id:
            outcome.reasons.append("no record id")
            continue
        if not cells.get("type"):
            outcome.reasons.append("an institution type the directory does not list")
            continue
        if record_id in seen:
            outcome.reasons.append(f"the same record as row {seen[record_id]}")
            continue
        seen[record_id] = number
        clean = normalize(SourceRow(number, dict(cells)), reference=reference)
        if clean.errors:
            outcome.reasons.extend(
                f"{column}: {' '.join(messages)}" for column, messages in clean.errors.items()
            )
            continue
        outcome.name = clean.values.get("name", outcome.name)
        outcome.values = {column: _stored(value) for column, value in clean.values.items()}
        candidates.append((outcome, cells))

    records = {
        record.record_id: record
        for record in SourceRecord.objects.filter(
            source=layout.source, record_id__in=[outcome.record_id for outcome, _ in candidates]
        )
    }
    organizations = (
        Organization.objects.filter(pk__in=[record.organization_id for record in records.values()])
        .select_related("type")
        .prefetch_related("languages", "sectors", "service_area", "locations")
    )
    organizations = {organization.pk: organization for organization in organizations}
    source_rows, by_number, taken = [], {}, set()
    for outcome, cells in candidates:
        outcome.record = records.get(outcome.record_id)
        if outcome.record is None:
            outcome.slug = slugs.available_slug(outcome.name, reserved=taken)
            taken.add(outcome.slug)
            source_rows.append(
                SourceRow(outcome.number, {**cells, "slug": outcome.slug, "status": "draft"})
            )
            outcome.action = CREATED
        elif outcome.record.organization_id not in organizations:
            outcome.action = DELETED
        else:
            organization = organizations[outcome.record.organization_id]
            outcome.slug = organization.slug
            writes = _compare(outcome, outcome.record, organization, cells)
            outcome.action = UPDATED if writes else KEPT if outcome.kept else UNCHANGED
            if writes:
                source_rows.append(SourceRow(outcome.number, {**writes, "slug": outcome.slug}))
        by_number[outcome.number] = outcome

    pipeline = plan_rows(source_rows)
    for row in pipeline.rows:
        outcome = by_number[row.number]
        if row.outcome == diff.ERROR:
            outcome.action = REJECTED
            outcome.updates = []
            outcome.reasons.extend(
                f"{column}: {' '.join(messages)}" for column, messages in row.errors.items()
            )
        elif row.outcome == diff.UNCHANGED and outcome.action == UPDATED:
            # What changed at the source is what the directory finds by itself (a city
            # from the ZIP code): nothing to write.
            outcome.updates = []
            outcome.action = KEPT if outcome.kept else UNCHANGED
    writes = [row for row in pipeline.rows if row.outcome in (diff.NEW, diff.UPDATE)]
    plan.pipeline = ImportPlan(rows=writes)
    return plan


def _flag_same_name_in_city(organization: Organization) -> list[str]:
    """Listings with this very name and a location in the same city: likely the same
    organization even when their points are farther apart than the duplicate rules'
    0.4 km (a ZIP code's centre against an organizer's pin)."""
    cities = {
        city.casefold() for city in organization.locations.values_list("city", flat=True) if city
    }
    others = (
        Organization.objects.annotate(folded=Lower("name"))
        .filter(folded=organization.name.lower())
        .exclude(pk=organization.pk)
    )
    found = []
    for other in others:
        other_cities = Location.objects.filter(organization=other).values_list("city", flat=True)
        if cities & {city.casefold() for city in other_cities if city}:
            first, second = sorted((organization.pk, other.pk))
            PossibleDuplicate.objects.bulk_create(
                [
                    PossibleDuplicate(
                        organization_id=first,
                        similar_to_id=second,
                        reasons=[DuplicateReason.SAME_NAME_CITY],
                    )
                ],
                ignore_conflicts=True,
            )
    for pair in PossibleDuplicate.objects.open().involving(organization):
        found.append(pair.other(organization).slug)
    return sorted(found)


def apply_source(plan: SourcePlan) -> None:
    """Write the plan: listings and their provenance in one transaction, the listings
    in one revision whose comment names the source."""
    now = timezone.now()
    layout = plan.layout
    with transaction.atomic():
        if plan.pipeline.rows:
            apply(
                plan.pipeline,
                user=None,
                comment=f"Imported from {layout.title} (retrieved {plan.retrieved_on:%Y-%m-%d})",
            )
        written = {row.number: row.organization for row in plan.pipeline.rows}
        created = [outcome for outcome in plan.outcomes if outcome.action == CREATED]
        SourceRecord.objects.bulk_create(
            SourceRecord(
                organization=written[outcome.number],
                source=layout.source,
                record_id=outcome.record_id,
                retrieved_on=plan.retrieved_on,
                license=layout.license,
                license_url=layout.license_url,
                imported_values=outcome.values,
                first_imported_at=now,
                last_imported_at=now,
            )
            for outcome in created
        )
        for outcome in created:
            outcome.duplicates = _flag_same_name_in_city(written[outcome.number])
        seen = {"retrieved_on": plan.retrieved_on, "last_imported_at": now}
        seen |= {"license": layout.license, "license_url": layout.license_url}

        # Records whose source values did not change are touched in one UPDATE, not one
        # each; the others keep the source's new values as those last imported.
        def same(outcome) -> bool:
            return outcome.action == UNCHANGED and outcome.values == outcome.record.imported_values

        SourceRecord.objects.filter(
            pk__in=[outcome.record.pk for outcome in plan.outcomes if same(outcome)]
        ).update(**seen)
        for outcome in plan.outcomes:
            if outcome.action in (UPDATED, KEPT, UNCHANGED) and not same(outcome):
                SourceRecord.objects.filter(pk=outcome.record.pk).update(
                    imported_values=outcome.values, **seen
                )
