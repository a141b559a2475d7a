"""Curation in the Django admin, built for volunteer organizers: the organization
admin with its bulk actions, import and export."""

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.http import HttpResponse
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin

from directory.core.region import REGION_CENTER
from directory.listings import history_diff, reference_admin, schema, services  # noqa: F401 (registrations)
from directory.listings.admin_parts import (
    LocationInline,
    OrganizerListPaginator,
    SocialLinkInline,
    StaleFilter,
    StateFilter,
    UsedJurisdictionFilter,
)
from directory.listings.admin_search import index_search
from directory.listings.conflicts import ConcurrentEditAdminMixin
from directory.listings.history import OwnHistoryVersionAdmin
from directory.listings.imports import import_template_dataset
from directory.listings.imports.export import OrganizationResource
from directory.listings.imports.views import SpreadsheetImportMixin
from directory.models import (
    DuplicateScan,
    Organization,
    OrganizationStatus,
    PossibleDuplicate,
    VerificationRequest,
)

admin.site.site_header = _("Solidarity Economy Directory")
admin.site.site_title = _("Directory curation")
admin.site.index_title = _("Curate the directory")


def organization_admin_url(organization: Organization) -> str:
    return reverse("admin:directory_organization_change", args=[organization.pk])


@admin.register(Organization)
class OrganizationAdmin(
    ConcurrentEditAdminMixin, SpreadsheetImportMixin, ExportMixin, OwnHistoryVersionAdmin
):
    resource_classes = [OrganizationResource]
    change_list_template = "admin/directory/organization/change_list.html"
    change_form_template = "admin/directory/organization/change_form.html"
    object_history_template = "admin/directory/organization/object_history.html"
    history_latest_first = True
    inlines = [LocationInline, SocialLinkInline]
    list_display = ["name", "type", "status", "states", "last_verified", "updated_at"]
    list_filter = [
        "type",
        "status",
        StateFilter,
        ("locations__jurisdiction", UsedJurisdictionFilter),
        StaleFilter,
        "accepting_members",
    ]
    search_fields = [
        "name",
        "summary",
        "description",
        "locations__city",
        "locations__zip_code",
    ]
    search_help_text = _(
        "Words (or their beginnings) of a listing's name, type, sectors, languages, places or "
        "texts, whatever its status; its slug; or a ZIP code."
    )
    autocomplete_fields = ["service_area", "languages", "sectors"]
    prepopulated_fields = {"slug": ["name"]}
    date_hierarchy = None
    list_per_page = 50
    # Name, then id: a total order the index org_name_id_idx walks, so a page deep in
    # the list does not sort the whole table.
    ordering = ["name", "id"]
    paginator = OrganizerListPaginator
    # "50 results (100,000 total)" would count the whole table a second time.
    show_full_result_count = False
    readonly_fields = ["created_at", "updated_at", "published_at", "provenance"]
    actions = ["publish", "move_to_pending", "archive", "mark_verified", "geocode_from_zip"]
    fieldsets = [
        # The public fields come from the one schema (directory.listings.schema); the
        # slug and everything internal are the admin's own.
        (None, {"fields": ["name", "slug", *schema.admin_fieldset_fields("identity")[1:]]}),
        (_("What people see"), {"fields": schema.admin_fieldset_fields("about")}),
        (_("Membership"), {"fields": schema.admin_fieldset_fields("membership")}),
        (
            _("Translations (the English text above is shown where one is empty)"),
            {"classes": ["collapse"], "fields": schema.admin_fieldset_fields("translations")},
        ),
        (
            _("For organizers only (never published)"),
            {
                "fields": [
                    ("source", "last_verified"),
                    ("internal_contact_name", "internal_contact_email", "internal_contact_phone"),
                    "internal_notes",
                    ("created_at", "updated_at", "published_at"),
                    "provenance",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("type")

    @admin.display(description=_("imported from"))
    def provenance(self, organization: Organization):
        """The public source records the listing was imported from (import_source)."""
        records = organization.source_records.all() if organization.pk else []
        return (
            format_html_join(
                mark_safe("<br>"),
                "{} #{}, {} {} ({})",
                (
                    (
                        record.get_source_display(),
                        record.record_id,
                        _("retrieved"),
                        date_format(record.retrieved_on),
                        record.license,
                    )
                    for record in records
                ),
            )
            or "—"
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "status" in form.changed_data:  # in the form's revision (VersionAdmin)
            services.close_suggested_listings([obj], user=request.user)

    def history_view(self, request, object_id, extra_context=None):
        """Each version with what it changed (directory.listings.history_diff)."""
        response = super().history_view(request, object_id, extra_context)
        actions = (getattr(response, "context_data", None) or {}).get("action_list")
        if actions:
            changes = history_diff.changes_by_revision(
                self.model, unquote(object_id), inlines=self._inline_relations()
            )
            for action in actions:
                action["changes"] = changes.get(action["revision"].pk)
        return response

    @admin.display(description=mark_safe('<input type="checkbox" id="action-toggle">'))
    def action_checkbox(self, obj):
        """Django's checkbox, written directly: rendering a form widget's template for
        each of the 50 rows took a good part of the list's time."""
        label = format_html(gettext("Select this object for an action - {}"), str(obj))
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            label,
        )

    def get_search_results(self, request, queryset, search_term):
        """Through the full-text index (directory.listings.admin_search), listings of
        every status; Django's slower search on every field when the index finds
        nothing (part of a word, the city of a hidden location)."""
        found = index_search(queryset, search_term)
        if found is not None and found.exists():
            return found, False
        return super().get_search_results(request, queryset, search_term)

    def get_deleted_objects(self, objs, request):
        """Deleting a listing takes its bookkeeping with it (duplicate pairs, even
        dismissed ones, duplicate scans, verification emails sent): organizers who may
        delete listings need no separate right for those."""
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        bookkeeping = {
            str(model._meta.verbose_name)
            for model in (PossibleDuplicate, DuplicateScan, VerificationRequest)
        }
        needed = {name for name in perms_needed if str(name) not in bookkeeping}
        return deleted, model_count, needed, protected

    def get_urls(self):
        return [
            path(
                "import-template/",
                self.admin_site.admin_view(self.import_template_view),
                name="directory_organization_import_template",
            ),
            *super().get_urls(),
        ]

    def import_template_view(self, request):
        if not self.has_import_permission(request):
            return HttpResponse(status=403)
        response = HttpResponse(
            import_template_dataset().export("csv"), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="organizations-import-template.csv"'
        return response

    def render_change_form(self, request, context, *args, **kwargs):
        context["location_map_config"] = {
            "tileUrl": settings.MAP_TILE_URL,
            "attribution": settings.MAP_TILE_ATTRIBUTION,
            "center": REGION_CENTER,
            "zoom": 8,
        }
        return super().render_change_form(request, context, *args, **kwargs)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        for inline_form in formset.forms:
            note = getattr(inline_form, "approximate_note", "")
            if note:
                self.message_user(request, note, messages.WARNING)

    def _status_action(self, request, queryset, status, done_message):
        count = services.set_status(queryset, status=status, user=request.user)
        self.message_user(request, done_message % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Publish selected organizations"), permissions=["change"])
    def publish(self, request, queryset):
        self._status_action(
            request,
            queryset,
            OrganizationStatus.PUBLISHED,
            _("%(count)d organization(s) published."),
        )

    @admin.action(
        description=_("Move selected organizations to pending review"), permissions=["change"]
    )
    def move_to_pending(self, request, queryset):
        self._status_action(
            request,
            queryset,
            OrganizationStatus.PENDING,
            _("%(count)d organization(s) moved to pending review."),
        )

    @admin.action(description=_("Archive selected organizations"), permissions=["change"])
    def archive(self, request, queryset):
        self._status_action(
            request, queryset, OrganizationStatus.ARCHIVED, _("%(count)d organization(s) archived.")
        )

    @admin.action(
        description=_("Mark selected organizations verified today"), permissions=["change"]
    )
    def mark_verified(self, request, queryset):
        count = services.mark_verified(queryset, user=request.user)
        self.message_user(
            request,
            _("%(count)d organization(s) marked verified today.") % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(
        description=_("Fill city, county and map point from ZIP codes"), permissions=["change"]
    )
    def geocode_from_zip(self, request, queryset):
        summary = services.geocode_from_zip(
            queryset.prefetch_related("locations"), user=request.user
        )
        self.message_user(
            request,
            _("%(located)d location(s) placed from their ZIP code; %(kept)d pinned point(s) kept.")
            % {"located": summary.located, "kept": summary.kept_pins},
            messages.SUCCESS,
        )
        for problem in summary.failed:
            self.message_user(request, problem, messages.ERROR)
