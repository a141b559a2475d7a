from django.urls import include, path

from directory.browse import sitemaps, views
from directory.contributions import views as contribution_views
from directory.stewardship import views as stewardship_views

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
    path("partials/results/", views.results_partial, name="results-partial"),
    path("embed/", views.embed, name="embed"),
    path("design/", views.design, name="design"),
    path("sitemap.xml", sitemaps.sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemaps.sitemap_section, name="sitemap-section"),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path("print/", views.print_sheet, name="print-sheet"),
    path("manifest.webmanifest", views.web_manifest, name="web-manifest"),
    path("favicon.ico", views.favicon, name="favicon"),
]

# Public contributions (suggest a listing or an edit, answer a verification email).
urlpatterns += [
    path("suggest/", contribution_views.suggest, name="suggest"),
    path("suggest/thanks/", contribution_views.suggest_thanks, name="suggest-thanks"),
    path(
        "organizations/<slug:slug>/suggest-edit/",
        contribution_views.suggest_edit,
        name="suggest-edit",
    ),
    path(
        "organizations/<slug:slug>/suggest-edit/thanks/",
        contribution_views.suggest_edit_thanks,
        name="suggest-edit-thanks",
    ),
    path(
        "organizations/<slug:slug>/verify/<str:token>/",
        stewardship_views.verify,
        name="verify",
    ),
]

# Partners: JSON API, GeoJSON, CSV export and their documentation (directory/api/).
urlpatterns += [path("", include("directory.partners.urls"))]
