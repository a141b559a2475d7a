"""Curation in the Django admin, built for volunteer organizers."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Prefetch
from django.http import HttpResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ImportExportModelAdmin
from reversion.admin import VersionAdmin

from directory import services
from directory.concurrency import ConcurrentEditAdminMixin
from directory.models import (
    Jurisdiction,
    Language,
    Location,
    Organization,
    OrganizationStatus,
    OrganizationType,
    PointSource,
    Sector,
    SocialLink,
    stale_cutoff,
)
from directory.region import REGION_CENTER, State
from directory.resources import OrganizationResource, import_template_dataset

admin.site.site_header = _("Solidarity Economy Directory")
admin.site.site_title = _("Directory curation")
admin.site.index_title = _("Curate the directory")


@admin.register(OrganizationType)
class OrganizationTypeAdmin(VersionAdmin):
    list_display = ["name", "slug", "colour", "sort_order"]
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


class LocationAdminForm(forms.ModelForm):
    """Fills city, county and point from the ZIP code; a point the organizer typed or
    pinned on the map is always kept."""

    class Meta:
        model = Location
        fields = [
            "label",
            "is_primary",
            "street_address",
            "city",
            "state",
            "zip_code",
            "jurisdiction",
            "latitude",
            "longitude",
            "point_source",
            "precision",
            "hours",
            "accessibility",
        ]
        widgets = {
            "latitude": forms.NumberInput(attrs={"step": "0.000001", "class": "location-latitude"}),
            "longitude": forms.NumberInput(
                attrs={"step": "0.000001", "class": "location-longitude"}
            ),
            "hours": forms.Textarea(attrs={"rows": 2}),
            "accessibility": forms.Textarea(attrs={"rows": 2}),
        }

    approximate_note = ""

    def _get_validation_exclusions(self):
        # "One primary location" is checked by LocationFormSet across all forms at once;
        # checked per form, swapping the primary between two locations would be refused.
        exclusions = super()._get_validation_exclusions()
        exclusions.add("organization")
        return exclusions

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        location = self.instance
        for field in ("street_address", "city", "state", "zip_code", "latitude", "longitude"):
            setattr(location, field, cleaned.get(field))
        location.jurisdiction = cleaned.get("jurisdiction")
        location.point_source = cleaned.get("point_source") or ""
        point_typed = {"latitude", "longitude"} & set(self.changed_data)
        if point_typed and location.latitude is not None:
            location.point_source = PointSource.PIN
        elif point_typed:
            location.point_source = ""
        address_changed = {"zip_code", "street_address"} & set(self.changed_data)
        if location.zip_code:
            try:
                result = services.locate(location, refresh_point=bool(address_changed))
            except ValidationError as error:
                raise ValidationError(error.message_dict) from None
            self.approximate_note = result.approximate_note
        for field in ("city", "state", "jurisdiction", "latitude", "longitude", "point_source"):
            cleaned[field] = getattr(location, field)
        return cleaned


class LocationFormSet(forms.BaseInlineFormSet):
    """One primary location at most, checked across the whole formset; the database
    constraint backs this up."""

    def clean(self):
        super().clean()
        kept = [
            form
            for form in self.forms
            if form.has_changed() or form.instance.pk
            if not (self.can_delete and self._should_delete_form(form))
            and hasattr(form, "cleaned_data")
        ]
        primaries = [form for form in kept if form.cleaned_data.get("is_primary")]
        if len(primaries) > 1:
            raise ValidationError(
                _(
                    "Only one location can be the primary location. Untick “primary location” "
                    "on all but one."
                ),
                code="two_primary_locations",
            )
        if kept and not primaries:
            # The first location is primary unless the organizer chose another.
            kept[0].cleaned_data["is_primary"] = True
            kept[0].instance.is_primary = True

    def save_existing_objects(self, commit=True):
        # Clear the old primary before setting the new one, so the partial unique index
        # never sees two at once.
        count = self.initial_form_count()
        self.forms[:count] = sorted(
            self.forms[:count],
            key=lambda form: bool(getattr(form, "cleaned_data", {}).get("is_primary")),
        )
        return super().save_existing_objects(commit)


class LocationInline(admin.StackedInline):
    model = Location
    form = LocationAdminForm
    formset = LocationFormSet
    extra = 0
    autocomplete_fields = ["jurisdiction"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("label", "is_primary"),
                    "street_address",
                    ("city", "state", "zip_code"),
                    "jurisdiction",
                ]
            },
        ),
        (
            _("Point on the map"),
            {
                "fields": [("latitude", "longitude"), "point_source", "precision"],
                "description": _(
                    "Click the map or drag the pin to set the point, or type the "
                    "coordinates. Leave them empty to use the ZIP code."
                ),
            },
        ),
        (None, {"fields": ["hours", "accessibility"]}),
    ]

    class Media:
        css = {"all": ["leaflet/leaflet.css", "directory/admin/location-map.css"]}
        js = ["leaflet/leaflet.js", "directory/admin/location-map.js"]


class SocialLinkInline(admin.TabularInline):
    model = SocialLink
    extra = 0


class StaleFilter(admin.SimpleListFilter):
    title = _("verification")
    parameter_name = "verification"

    def lookups(self, request, model_admin):
        months = settings.VERIFY_AFTER_MONTHS
        return [
            (
                "stale",
                ngettext("Not verified in %(n)d month", "Not verified in %(n)d months", months)
                % {"n": months},
            ),
            ("fresh", _("Verified recently")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "stale":
            return queryset.stale()
        if self.value() == "fresh":
            return queryset.filter(last_verified__gte=stale_cutoff())
        return queryset


class StateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return State.choices

    def queryset(self, request, queryset):
        if self.value() in State.values:
            return queryset.filter(
                Exists(Location.objects.filter(organization=OuterRef("pk"), state=self.value()))
            )
        return queryset


@admin.register(Organization)
class OrganizationAdmin(ConcurrentEditAdminMixin, ImportExportModelAdmin, VersionAdmin):
    resource_classes = [OrganizationResource]
    change_list_template = "admin/directory/organization/change_list.html"
    change_form_template = "admin/directory/organization/change_form.html"
    inlines = [LocationInline, SocialLinkInline]
    list_display = ["name", "type", "status", "states", "last_verified", "updated_at"]
    list_filter = [
        "type",
        "status",
        StateFilter,
        ("locations__jurisdiction", admin.RelatedOnlyFieldListFilter),
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
    autocomplete_fields = ["service_area", "languages", "sectors"]
    prepopulated_fields = {"slug": ["name"]}
    date_hierarchy = None
    list_per_page = 50
    readonly_fields = ["created_at", "updated_at", "published_at"]
    actions = ["publish", "move_to_pending", "archive", "mark_verified", "geocode_from_zip"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "type", "status"]}),
        (
            _("What people see"),
            {
                "fields": [
                    "summary",
                    "description",
                    ("website", "email", "phone"),
                    ("year_founded", "member_count"),
                    "languages",
                    "sectors",
                    "service_area",
                ]
            },
        ),
        (
            _("Membership"),
            {
                "fields": [
                    ("membership_model", "accepting_members"),
                    "how_to_join",
                    "eligibility",
                    "limited_equity",
                ]
            },
        ),
        (
            _("For organizers only (never published)"),
            {
                "fields": [
                    ("source", "last_verified"),
                    ("internal_contact_name", "internal_contact_email", "internal_contact_phone"),
                    "internal_notes",
                    ("created_at", "updated_at", "published_at"),
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("type")
            .prefetch_related(
                Prefetch("locations", queryset=Location.objects.only("organization_id", "state"))
            )
        )

    @admin.display(description=_("state"))
    def states(self, organization):
        return ", ".join(sorted({location.state for location in organization.locations.all()}))

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

    def save_model(self, request, obj, form, change):
        if obj.status == OrganizationStatus.PUBLISHED and obj.published_at is None:
            obj.published_at = timezone.now()
        super().save_model(request, obj, form, change)

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


# ---------------------------------------------------------------------------------------
# Moderation of public contributions lives in its own module, on the same admin site.
# ---------------------------------------------------------------------------------------
from directory import moderation_admin  # noqa: E402, F401
