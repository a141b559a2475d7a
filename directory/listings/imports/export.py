"""The organizers' CSV and Excel export (django-import-export's export view).

The same columns as the import, plus `version` (when the row was exported), so a file
exported, edited and imported again is merged with whatever changed in between (see
diff). Every text cell goes through the one formula rule of directory.core.formulas:
these files hold publicly suggested text next to internal contacts.
"""

from django.utils import timezone
from import_export import fields, resources, widgets

from directory.core.formulas import neutralize
from directory.listings import schema
from directory.listings.imports.columns import LOCATION_ATTRIBUTES, LOCATION_COLUMNS
from directory.listings.imports.diff import version_token
from directory.models import Organization


def _related_fields() -> dict[str, fields.Field]:
    """The type and the relations, written as natural keys (type slug, language codes,
    sector slugs, FIPS codes)."""
    declared = {}
    for item in schema.ORGANIZATION_FIELDS:
        if not item.importable or item.kind not in (schema.TYPE, schema.RELATION):
            continue
        model = item.model_field.related_model
        widget = (
            widgets.ForeignKeyWidget(model, field=item.natural_key)
            if item.kind == schema.TYPE
            else widgets.ManyToManyWidget(model, separator=";", field=item.natural_key)
        )
        declared[item.name] = fields.Field(
            attribute=item.name, column_name=item.name, widget=widget
        )
    return declared


class _OrganizationExport(resources.ModelResource):
    class Meta:
        model = Organization
        import_id_fields = ["slug"]
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
        return [*super().get_export_headers(selected_fields), *LOCATION_COLUMNS, "version"]

    def export_resource(self, instance, selected_fields=None, **kwargs):
        values = super().export_resource(instance, selected_fields, **kwargs)
        location = instance.primary_location
        for column in LOCATION_COLUMNS:
            value = (
                getattr(location, LOCATION_ATTRIBUTES.get(column, column), "") if location else ""
            )
            values.append("" if value is None else value)
        values.append(version_token(timezone.now()))
        return [neutralize(value) if isinstance(value, str) else value for value in values]

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("type").prefetch_related(
            "languages", "sectors", "service_area", "locations"
        )


OrganizationResource = type(
    "OrganizationResource",
    (_OrganizationExport,),
    {"__module__": __name__, "Meta": _OrganizationExport.Meta, **_related_fields()},
)
