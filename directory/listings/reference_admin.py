"""The reference tables in the admin (types, languages, sectors, jurisdictions) and
the old addresses that redirect after a merge."""

from django.conf import settings
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from directory.listings.history import OwnHistoryVersionAdmin
from directory.models import Jurisdiction, Language, OrganizationType, Sector, SlugRedirect


def _translations(*fields: str) -> tuple:
    """A folded fieldset with each field's column in every language but English (the
    field itself is the English original; the public sees it where one is empty)."""
    columns = [
        f"{field}_{code.replace('-', '_')}"
        for code, _name in settings.LANGUAGES
        if code != settings.LANGUAGE_CODE
        for field in fields
    ]
    return (_("Translations"), {"classes": ["collapse"], "fields": columns})


@admin.register(OrganizationType)
class OrganizationTypeAdmin(OwnHistoryVersionAdmin):
    list_display = ["name", "slug", "colour", "marker", "sensitive", "sort_order"]
    list_editable = ["sort_order"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "plural",
                    "slug",
                    "description",
                    "colour",
                    "sensitive",
                    "sort_order",
                ]
            },
        ),
        _translations("name", "plural", "description"),
    ]


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "sort_order"]
    search_fields = ["name", "code"]
    fieldsets = [(None, {"fields": ["name", "code", "sort_order"]}), _translations("name")]


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "sort_order"]
    search_fields = ["name", "slug"]
    fieldsets = [(None, {"fields": ["name", "slug", "sort_order"]}), _translations("name")]


@admin.register(Jurisdiction)
class JurisdictionAdmin(admin.ModelAdmin):
    list_display = ["name", "state", "kind", "fips"]
    list_filter = ["state", "kind"]
    search_fields = ["name", "fips"]

    def has_add_permission(self, request):
        return False  # the 158 jurisdictions come from Census data

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SlugRedirect)
class SlugRedirectAdmin(admin.ModelAdmin):
    list_display = ["old_slug", "old_name", "organization", "created_at", "created_by"]
    search_fields = ["old_slug", "old_name", "organization__name"]
    list_select_related = ["organization", "created_by"]
    readonly_fields = ["created_at", "created_by"]
    autocomplete_fields = ["organization"]

    def has_add_permission(self, request):
        return False  # created by merges
