"""Spreadsheet import and export for organizers (django-import-export).

One row per organization; the primary location rides along in the same row. Every
problem is reported against the row and the column it came from, and an import with
any invalid row writes nothing.
"""

import reversion
from django.core.exceptions import ValidationError
from import_export import fields, resources, widgets
from tablib import Dataset

from directory.listings import schema
from directory.listings.services import locate
from directory.listings.slugs import available_slug
from directory.models import (
    Location,
    Organization,
    PointSource,
    Precision,
)

# The primary location's columns: its public fields, its label and its point.
LOCATION_COLUMNS = [
    "location_label",
    *schema.names(schema.LOCATION_FIELDS, importable=True),
    "latitude",
    "longitude",
]
NUMERIC_LOOKING_TEXT_COLUMNS = ["zip_code", "phone", "internal_contact_phone"]
# Column name -> Location attribute, where they differ.
LOCATION_ATTRIBUTES = {"location_label": "label"}


class StrictForeignKeyWidget(widgets.ForeignKeyWidget):
    """Looks a related row up by a natural field and names the allowed values when the
    value is unknown."""

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row=row, **kwargs)
        except self.model.DoesNotExist:
            allowed = ", ".join(self.model.objects.values_list(self.field, flat=True))
            raise ValueError(f"Unknown value “{value}”. Use one of: {allowed}.") from None


class StrictManyToManyWidget(widgets.ManyToManyWidget):
    """Semicolon-separated natural keys; unknown values are errors, not silently dropped."""

    def __init__(self, model, field):
        super().__init__(model, separator=";", field=field)

    def clean(self, value, row=None, **kwargs):
        if not value:
            return self.model.objects.none()
        wanted = {part.strip() for part in str(value).split(self.separator) if part.strip()}
        found = self.model.objects.filter(**{f"{self.field}__in": wanted})
        unknown = wanted - {getattr(item, self.field) for item in found}
        if unknown:
            raise ValueError(
                "Unknown value(s): {}. Separate several with “;”.".format(
                    ", ".join(sorted(unknown))
                )
            )
        return found


def _related_fields() -> dict[str, fields.Field]:
    """The type and the relations of the public schema, read by their natural keys
    (type slug, language codes, sector slugs, FIPS codes)."""
    declared = {}
    for item in schema.ORGANIZATION_FIELDS:
        if not item.importable or item.kind not in (schema.TYPE, schema.RELATION):
            continue
        is_type = item.kind == schema.TYPE
        widget_class = StrictForeignKeyWidget if is_type else StrictManyToManyWidget
        declared[item.name] = fields.Field(
            attribute=item.name,
            column_name=item.name,
            widget=widget_class(item.model_field.related_model, field=item.natural_key),
        )
    return declared


class _OrganizationResource(resources.ModelResource):
    class Meta:
        model = Organization
        import_id_fields = ["slug"]
        clean_model_instances = True
        skip_unchanged = False
        # The public fields (directory.listings.schema), then what only organizers see.
        fields = [
            "slug",
            *schema.names(schema.ORGANIZATION_FIELDS, importable=True),
            "source",
            "last_verified",
            "internal_contact_name",
            "internal_contact_email",
            "internal_contact_phone",
        ]

    def get_export_headers(self, selected_fields=None):
        return [*super().get_export_headers(selected_fields), *LOCATION_COLUMNS]

    def export_resource(self, instance, selected_fields=None, **kwargs):
        values = super().export_resource(instance, selected_fields, **kwargs)
        location = instance.primary_location
        for column in LOCATION_COLUMNS:
            value = (
                getattr(location, LOCATION_ATTRIBUTES.get(column, column), "") if location else ""
            )
            values.append("" if value is None else value)
        return values

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("type").prefetch_related(
            "languages", "sectors", "service_area", "locations"
        )

    def before_import_row(self, row, **kwargs):
        # Spreadsheet cells arrive as None when empty, and often with stray spaces.
        for key, value in list(row.items()):
            row[key] = "" if value is None else value.strip() if isinstance(value, str) else value
        # Spreadsheets turn ZIP codes and phone numbers into numbers.
        for column in NUMERIC_LOOKING_TEXT_COLUMNS:
            if isinstance(row.get(column), int | float) and not isinstance(row[column], bool):
                row[column] = str(int(row[column]))
        if not row.get("slug") and row.get("name"):
            row["slug"] = available_slug(row["name"])

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        # Many-to-many values are saved after the row; check them now so that an unknown
        # code is a validation error for the row, not a failure half way through.
        for field in self.get_import_fields():
            if isinstance(field.widget, widgets.ManyToManyWidget) and field.column_name in row:
                try:
                    field.clean(row)
                except ValueError as error:
                    errors[field.column_name] = [str(error)]
        try:
            instance._import_location = self._primary_location(instance, row)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def _primary_location(self, instance, row) -> Location | None:
        if not any(row.get(column) not in (None, "") for column in LOCATION_COLUMNS):
            return None
        location = None
        if instance.pk:
            location = instance.locations.filter(is_primary=True).first()
        location = location or Location(is_primary=True)
        for column in LOCATION_COLUMNS:
            if column in row:
                value = row[column]
                setattr(
                    location,
                    LOCATION_ATTRIBUTES.get(column, column),
                    "" if value is None else value,
                )
        errors = {}
        for coordinate in ("latitude", "longitude"):
            raw = getattr(location, coordinate)
            if raw in ("", None):
                setattr(location, coordinate, None)
                continue
            try:
                setattr(location, coordinate, float(raw))
            except (TypeError, ValueError):
                errors[coordinate] = [f"“{raw}” is not a number."]
        location.precision = location.precision or Precision.EXACT
        try:
            location.clean_fields(exclude=["organization", "latitude", "longitude"])
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)
        if location.latitude is not None:
            location.point_source = location.point_source or PointSource.IMPORT
        if location.zip_code:
            locate(location)
        location.full_clean(exclude=["organization"])
        return location

    def after_save_instance(self, instance, row, **kwargs):
        location = getattr(instance, "_import_location", None)
        if location is not None:
            location.organization = instance
            location.save()

    def import_data(self, dataset, dry_run=False, *args, **kwargs):
        with reversion.create_revision(manage_manually=dry_run):
            user = kwargs.get("user")
            if user is not None and user.is_authenticated:
                reversion.set_user(user)
            reversion.set_comment("Imported from a spreadsheet")
            return super().import_data(dataset, dry_run, *args, **kwargs)


OrganizationResource = type(
    "OrganizationResource",
    (_OrganizationResource,),
    {"__module__": __name__, "Meta": _OrganizationResource.Meta, **_related_fields()},
)


def import_template_dataset():
    """Headers and one example row: the file organizers download to start an import."""
    resource = OrganizationResource()
    headers = resource.get_export_headers()
    example = {
        "slug": "",
        "name": "Example Bakery Workers Cooperative",
        "type": "worker-cooperative",
        "status": "draft",
        "summary": "A worker-owned bakery. Delete this example row before importing.",
        "website": "https://example.org",
        "email": "hello@example.org",
        "phone": "(202) 555-0143",
        "year_founded": "2019",
        "membership_model": "workers",
        "accepting_members": "unknown",
        "limited_equity": "0",
        "languages": "en;es",
        "sectors": "food",
        "service_area": "11001",
        "source": "Phone call with the co-op",
        "last_verified": "2026-01-15",
        "location_label": "Bakery",
        "street_address": "100 Example St NW",
        "city": "Washington",
        "state": "DC",
        "zip_code": "20001",
        "precision": "exact",
    }
    dataset = Dataset(headers=headers)
    dataset.append([example.get(header, "") for header in headers])
    return dataset
