"""Partner endpoints, included into the `directory` namespace by directory/urls.py."""

from django.urls import path, register_converter

from directory.partners import map_data, open_data, views


class PathSegment:
    """Any one path segment. The API's per-organization addresses take it rather than
    the slug pattern, so that a segment no slug could match is the API's JSON 404,
    as the OpenAPI description says, not the site's HTML page."""

    regex = "[^/]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(PathSegment, "segment")

urlpatterns = [
    path("api/", views.ApiDocsView.as_view(), name="api-docs"),
    path("api/schema/", views.SchemaView.as_view(), name="api-schema"),
    path("api/locations.geojson", map_data.location_map_data, name="location-map-data"),
    path("api/organizations/", views.OrganizationListView.as_view(), name="api-organization-list"),
    path(
        "api/organizations.geojson",
        views.OrganizationGeoJSONView.as_view(),
        name="api-organization-geojson",
    ),
    path(
        "api/organizations/<segment:slug>/",
        views.OrganizationDetailView.as_view(),
        name="api-organization-detail",
    ),
    path(
        "export/organizations.csv",
        views.OrganizationCSVView.as_view(),
        name="export-organizations-csv",
    ),
    path(
        "export/datapackage.json",
        open_data.DataPackageView.as_view(),
        name="export-datapackage",
    ),
    path("api/murmurations/", open_data.MurmurationsListView.as_view(), name="murmurations-list"),
    path(
        "api/murmurations/<segment:slug>.json",
        open_data.MurmurationsProfileView.as_view(),
        name="murmurations-profile",
    ),
]
