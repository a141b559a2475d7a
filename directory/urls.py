from django.urls import include, path

from directory import views

app_name = "directory"

urlpatterns = [
    path("", views.home, name="home"),
    path("organizations/", views.organization_list, name="organization-list"),
    path(
        "organizations/<slug:slug>/",
        views.OrganizationDetailView.as_view(),
        name="organization-detail",
    ),
    path("types/<slug:slug>/", views.type_detail, name="type-detail"),
]

# Partners: JSON API, GeoJSON, CSV export and their documentation (directory/api/).
urlpatterns += [path("", include("directory.api.urls"))]
