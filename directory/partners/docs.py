"""What the /api/ page shows: built from the same definitions the endpoints use (the
FilterSet, the export's columns, the reference tables, the rate-limit settings), so
the page cannot drift from what the endpoints do."""

from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse

from directory.browse.filters import OrganizationFilterSet
from directory.core.links import site_url
from directory.core.region import State
from directory.models import Language, Organization, OrganizationType, Sector
from directory.partners.columns import COLUMNS
from directory.partners.geojson import PROPERTY_COLUMNS
from directory.partners.http import describe_rate, rate_limit
from directory.partners.schema import FILTER_HELP, OPTION_HELP


def docs_context(request) -> dict:
    base_url = site_url(request)

    def url(name: str, query: dict | None = None, **kwargs) -> str:
        address = base_url + reverse(f"directory:{name}", kwargs=kwargs or None)
        return f"{address}?{urlencode(query, doseq=True)}" if query else address

    example_query = {"type": "worker-cooperative", "state": "MD"}
    # A real published slug, so the example works when pasted.
    example_slug = (
        Organization.objects.published().values_list("slug", flat=True).first()
        or "example-cooperative"
    )
    limits = {scope: rate_limit(scope) for scope in ("api", "export", "geojson")}
    return {
        "urls": {
            "docs": url("api-docs"),
            "list": url("api-organization-list"),
            "list_example": url("api-organization-list", {**example_query, "page_size": 50}),
            "detail": url("api-organization-detail", slug=example_slug),
            "geojson": url("api-organization-geojson"),
            "geojson_example": url("api-organization-geojson", {"near": "20001", "radius": 5}),
            "csv": url("export-organizations-csv"),
            "csv_example": url("export-organizations-csv", {**example_query, "bom": 1}),
            "csv_columns_example": url(
                "export-organizations-csv",
                {"sector": "food", "columns": "name,type_slug,city,state,url"},
            ),
            "datapackage": url("export-datapackage"),
            "murmurations_list": url("murmurations-list"),
            "murmurations_profile": url("murmurations-profile", slug=example_slug),
            "schema": url("api-schema"),
            "schema_json": url("api-schema", {"format": "json"}),
        },
        "filters": [
            (name, FILTER_HELP[name].description, FILTER_HELP[name].example)
            for name in OrganizationFilterSet.base_filters
        ],
        "options": [
            (name, help_.description, help_.example) for name, help_ in OPTION_HELP.items()
        ],
        "columns": COLUMNS,
        "geojson_properties": [column.name for column in PROPERTY_COLUMNS],
        "types": OrganizationType.objects.all(),
        "sectors": Sector.objects.all(),
        "languages": Language.objects.all(),
        "states": State.choices,
        "api_limit": describe_rate(limits["api"]) if limits["api"] else None,
        "export_limit": describe_rate(limits["export"]) if limits["export"] else None,
        "geojson_limit": describe_rate(limits["geojson"]) if limits["geojson"] else None,
        "license_name": settings.DATA_LICENSE,
        "license_url": settings.DATA_LICENSE_URL,
    }
