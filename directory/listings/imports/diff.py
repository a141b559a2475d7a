"""Diff: what a row would change, and the listing and location it would write.

A row whose `version` is older than the listing's last change is merged three ways
against the listing as it was when the file was exported (from its history): a field
the file still has at its old value keeps the directory's newer value; a field only the
file changed is applied; a field changed on both sides is a conflict, and the row is
not imported. Without that history every differing field of a stale row is a conflict.
An import never moves an archived listing out of the archive.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from reversion.models import Version

from directory.listings import privacy, schema
from directory.listings.imports.columns import (
    DERIVED_LOCATION_COLUMNS,
    LOCATION_ATTRIBUTES,
    LOCATION_COLUMNS,
    ORGANIZATION_COLUMNS,
    VERSION_COLUMN,
)
from directory.listings.imports.match import Match
from directory.listings.imports.normalize import CleanRow, Note
from directory.listings.services import default_precision, locate
from directory.models import Location, Organization, OrganizationStatus, PointSource, Precision

NEW, UPDATE, UNCHANGED, CONFLICT, SKIPPED, ERROR = (
    "new",
    "update",
    "unchanged",
    "conflict",
    "skipped",
    "error",
)
RELATION_COLUMNS = set(schema.RELATIONS)
# Choices that always hold a value: an empty cell leaves them as they are.
DEFAULTED = {
    item.name
    for item in (*schema.ORGANIZATION_FIELDS, *schema.LOCATION_FIELDS)
    if item.kind == schema.CHOICE and not item.model_field.blank
}


def version_token(moment) -> str:
    """What the export writes in the `version` column: when the row was exported."""
    return moment.isoformat() if moment else ""


@dataclass
class Change:
    column: str
    before: object
    after: object
    directory: object = None  # a conflict's value in the directory now


@dataclass
class RowPlan:
    number: int
    name: str
    cells: dict
    outcome: str = NEW
    slug: str = ""
    changes: list[Change] = field(default_factory=list)
    conflicts: list[Change] = field(default_factory=list)
    kept: list[Change] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    errors: dict[str, list[str]] = field(default_factory=dict)
    message: str = ""
    organization: Organization | None = None
    location: Location | None = None
    relations: dict = field(default_factory=dict)


def _primary(locations) -> Location | None:
    ordered = sorted(locations, key=lambda location: (not location.is_primary, location.pk or 0))
    return ordered[0] if ordered else None


def values_of(organization: Organization, location: Location | None, relations: dict) -> dict:
    """A listing's values in the shapes normalize() gives a row's."""
    values = {}
    for column in ORGANIZATION_COLUMNS:
        if column in RELATION_COLUMNS:
            values[column] = sorted(relations.get(column, []))
        elif column == "type":
            values[column] = organization.type.slug if organization.type_id else ""
        else:
            values[column] = getattr(organization, column)
    for column in LOCATION_COLUMNS:
        attribute = LOCATION_ATTRIBUTES.get(column, column)
        values[column] = getattr(location, attribute) if location is not None else None
    return values


def current_values(organization: Organization) -> dict:
    relations = {
        name: [
            getattr(item, schema.field(name).natural_key)
            for item in getattr(organization, name).all()
        ]
        for name in RELATION_COLUMNS
    }
    return values_of(organization, _primary(organization.locations.all()), relations)


def exported_at(token: str) -> datetime.datetime | None:
    try:
        moment = datetime.datetime.fromisoformat(token)
    except ValueError:
        return None
    return moment if moment.tzinfo else None


def _base_values(organization: Organization, moment: datetime.datetime) -> dict | None:
    """The listing as it was when the file was exported, from its history; None when
    its history does not go back that far."""
    version = (
        Version.objects.get_for_object(organization)
        .filter(revision__date_created__lte=moment)
        .select_related("revision")
        .order_by("-revision__date_created", "-pk")
        .first()
    )
    if version is not None:
        then = version._object_version.object
        relations = {}
        for name in RELATION_COLUMNS:
            model = schema.field(name).model_field.related_model
            keys = version.field_dict.get(name) or []
            relations[name] = list(
                model.objects.filter(pk__in=keys).values_list(
                    schema.field(name).natural_key, flat=True
                )
            )
        locations = [
            other._object_version.object
            for other in version.revision.version_set.all()
            if other._model is Location
            and other.field_dict.get("organization_id") == organization.pk
        ]
        return values_of(then, _primary(locations), relations)
    return None


def same(first, second) -> bool:
    if first in (None, "", []) and second in (None, "", []):
        return True
    if isinstance(first, float) or isinstance(second, float):
        try:
            return abs(float(first) - float(second)) < 1e-6
        except (TypeError, ValueError):
            return False
    if isinstance(first, datetime.date) or isinstance(second, datetime.date):
        return str(first) == str(second)
    if isinstance(first, str) and isinstance(second, str):
        return first.replace("\r\n", "\n").strip() == second.replace("\r\n", "\n").strip()
    return first == second


def _withheld(column: str, value, current: dict, precision: str) -> bool:
    """What the public CSV shows of a location whose precision is approximate or hidden
    (directory.listings.privacy): no street or ZIP code, the point rounded or left out.
    Such a cell says nothing new about the location, so importing the file changes
    nothing; an organizer changes those on the listing's page."""
    if precision not in (Precision.APPROXIMATE, Precision.HIDDEN):
        return False
    if column in ("street_address", "zip_code"):
        return value in (None, "")
    if column in ("latitude", "longitude") and isinstance(current.get(column), float):
        return precision == Precision.APPROXIMATE and same(
            value, privacy.round_coordinate(current[column])
        )
    return False


def _changes(row: CleanRow, current: dict) -> dict:
    changed = {}
    precision = current.get("precision")
    if row.values.get("precision") not in (None, "", precision):
        precision = None  # the file changes the precision: every location cell counts
    for column, value in row.values.items():
        if column in ("slug", VERSION_COLUMN):
            continue
        if value in (None, "") and (column in DERIVED_LOCATION_COLUMNS or column in DEFAULTED):
            continue  # found from the ZIP code, or a choice that is never empty
        if _withheld(column, value, current, precision):
            continue
        if not same(value, current.get(column)):
            changed[column] = value
    return changed


def _three_way(plan, organization, changed, current, moment) -> None:
    base = _base_values(organization, moment)
    for column in list(changed):
        if base is not None and same(changed[column], base.get(column)):
            plan.kept.append(Change(column, changed.pop(column), current[column]))
        elif base is None or not same(current[column], base.get(column)):
            plan.conflicts.append(
                Change(column, base.get(column) if base else None, changed[column], current[column])
            )


def _column_errors(plan: RowPlan, error: ValidationError, *, on_location=False) -> None:
    reverse = {attribute: column for column, attribute in LOCATION_ATTRIBUTES.items()}
    for name, messages in error.message_dict.items():
        column = reverse.get(name, name) if on_location else name
        if column == "__all__":
            column = "row"
        plan.errors.setdefault(column, []).extend(messages)


def _prepare(plan: RowPlan, organization: Organization, values: dict, *, reference, new) -> None:
    types, counties = reference
    for column, value in values.items():
        if column in RELATION_COLUMNS:
            plan.relations[column] = value
        elif column == "type":
            organization.type = types.get(value)
        elif column in ORGANIZATION_COLUMNS and column != "slug":
            model_field = organization._meta.get_field(column)
            if value in (None, "") and not model_field.null:
                value = model_field.get_default() if model_field.has_default() else ""
            setattr(organization, column, value)
    try:
        # The model's clean() and field validation cover its check constraints; checking
        # those again costs one query each, per row (the database still enforces them).
        # The type comes from the reference table read once, the slug from match().
        organization.full_clean(validate_unique=False, validate_constraints=False, exclude=["type"])
    except ValidationError as error:
        _column_errors(plan, error)
    if new and not organization.type_id and "type" not in plan.errors:
        plan.errors["type"] = [_("Every new listing needs a type.")]

    location_values = {column: values[column] for column in LOCATION_COLUMNS if column in values}
    if not any(value not in (None, "") for value in location_values.values()):
        return
    existing = None if new else _primary(organization.locations.all())
    # An empty precision cell keeps a location's precision; a new location gets its
    # type's (approximate for mutual aid groups and shelters).
    kept_precision = (
        existing.precision
        if existing
        else default_precision(organization.type if organization.type_id else None)
    )
    location = existing or Location(is_primary=True, precision=kept_precision)
    for column, value in location_values.items():
        setattr(location, LOCATION_ATTRIBUTES.get(column, column), "" if value is None else value)
    if location.latitude in ("", None) or location.longitude in ("", None):
        if "latitude" in location_values or "longitude" in location_values:
            location.latitude = location.longitude = None
    else:
        location.point_source = PointSource.IMPORT
    location.precision = location.precision or kept_precision
    try:
        if location.zip_code:
            locate(
                location,
                changed=set(location_values) if existing else set(LOCATION_COLUMNS),
                counties=counties,
            )
        location.full_clean(exclude=["organization", "jurisdiction"], validate_constraints=False)
    except ValidationError as error:
        _column_errors(plan, error, on_location=True)
    plan.location = location


def plan_row(row: CleanRow, found: Match, *, reference: tuple[dict, dict], since=None) -> RowPlan:
    """`reference`: types by slug and counties by FIPS code, read once per file.
    `since`: for a row without a version, when the file was confirmed; a listing
    changed after that is merged three ways like an exported row's."""
    plan = RowPlan(
        number=row.number,
        name=row.values.get("name", ""),
        cells=row.values,
        notes=row.notes,
        warnings=row.warnings,
        errors=dict(row.errors),
    )
    if plan.errors:
        plan.outcome = ERROR
        return plan
    if found.ambiguous:
        plan.outcome = ERROR
        plan.errors["name"] = [
            _("%(count)d listings have this name: add the slug column to say which.")
            % {"count": found.ambiguous}
        ]
        return plan
    if found.merged_into is not None:
        plan.outcome = SKIPPED
        plan.message = _(
            "This listing was merged into “%(name)s” (/organizations/%(slug)s/): the row "
            "updates nothing. Edit that listing instead."
        ) % {"name": found.merged_into.organization, "slug": found.merged_into.organization.slug}
        return plan
    if found.unknown_slug and row.values.get(VERSION_COLUMN):
        plan.outcome = SKIPPED
        plan.message = _(
            "No listing has this slug any more (deleted since the file was exported): the "
            "row creates nothing. Recover it from the history if it should come back."
        )
        return plan
    organization = found.organization
    if organization is None:
        plan.slug = found.new_slug
        organization = Organization(slug=found.new_slug)
        values = {column: value for column, value in row.values.items() if column != "slug"}
        plan.changes = [
            Change(column, None, value)
            for column, value in values.items()
            if value not in (None, "", []) and column != VERSION_COLUMN
        ]
        _prepare(plan, organization, values, reference=reference, new=True)
        plan.organization = organization
        plan.outcome = ERROR if plan.errors else NEW
        return plan

    plan.slug = organization.slug
    current = current_values(organization)
    changed = _changes(row, current)
    token = row.values.get(VERSION_COLUMN) or ""
    moment = exported_at(token) if token else since
    if token and moment is None:
        plan.outcome = ERROR
        plan.errors[VERSION_COLUMN] = [
            _(
                "“%(value)s” is not a version this directory wrote. Empty the cell to import "
                "the row as it is."
            )
            % {"value": token}
        ]
        return plan
    if changed and moment is not None and organization.updated_at > moment:
        _three_way(plan, organization, changed, current, moment)
    if organization.status == OrganizationStatus.ARCHIVED and "status" in changed:
        plan.conflicts.append(Change("status", None, changed["status"], current["status"]))
        plan.message = _(
            "The listing is archived: an import never publishes it again. Change its status "
            "on its page if it should come back."
        )
    plan.changes = [Change(column, current[column], value) for column, value in changed.items()]
    if plan.conflicts:
        plan.outcome = CONFLICT
        return plan
    if not changed:
        plan.outcome = UNCHANGED
        return plan
    _prepare(plan, organization, changed, reference=reference, new=False)
    plan.organization = organization
    plan.outcome = ERROR if plan.errors else UPDATE
    return plan
