"""The reference tables in the admin (types, languages, sectors, jurisdictions) and
the old addresses that redirect after a merge."""

from django.contrib import admin

from directory.listings.history import OwnHistoryVersionAdmin
from directory.models import Jurisdiction, Language, OrganizationType, Sector, SlugRedirect


@admin.register(OrganizationType)
class OrganizationTypeAdmin(OwnHistoryVersionAdmin):
    list_display = ["name", "slug", "colour", "marker", "sort_order"]
    list_editable = ["sort_order"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "sort_order"]
    search_fields = ["name", "code"]


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "sort_order"]
    search_fields = ["name", "slug"]


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
