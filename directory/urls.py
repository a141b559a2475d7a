from django.urls import path

from directory import contribution_views, views

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
        contribution_views.verify,
        name="verify",
    ),
]
