"""The pieces of the organization admin: the location inline (ZIP code completion,
one primary location), social links, the verification, state and county list filters,
and the list's paginator."""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Exists, OuterRef
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from directory.core.region import State
from directory.listings import services
from directory.models import (
    Location,
    Organization,
    PointSource,
    Precision,
    SocialLink,
    stale_cutoff,
)

# A new location's precision may be left to its organization's type (services.default_precision).
TYPE_DEFAULT_PRECISION = _(
    "As usual for its type: approximate for mutual aid groups and shelters, else exact"
)


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

    def __init__(self, *args, organization=None, shown_precision="", **kwargs):
        super().__init__(*args, **kwargs)
        # A ZIP code is enough: the state comes from it (locate).
        self.fields["state"].required = False
        # A new location (LocationFormSet passes its organization) starts at its type's
        # precision; left empty, the type decides when the form is saved.
        self.organization = organization
        if organization is not None:
            precision = self.fields["precision"]
            precision.choices = [("", TYPE_DEFAULT_PRECISION), *Precision.choices]
            precision.required = False
            self.initial["precision"] = shown_precision

    def _get_validation_exclusions(self):
        # "One primary location" is checked by LocationFormSet across all forms at once;
        # checked per form, swapping the primary between two locations would be refused.
        exclusions = super()._get_validation_exclusions()
        exclusions.add("organization")
        return exclusions

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("precision") and self.organization is not None:
            organization_type = self.organization.type if self.organization.type_id else None
            cleaned["precision"] = services.default_precision(organization_type)
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
        if location.zip_code:
            try:
                result = services.locate(location, changed=self.changed_data)
            except ValidationError as error:
                raise ValidationError(error.message_dict) from None
            self.approximate_note = result.approximate_note
        elif not location.state:
            raise ValidationError({"state": _("Give the ZIP code (or at least the state).")})
        for field in ("city", "state", "jurisdiction", "latitude", "longitude", "point_source"):
            cleaned[field] = getattr(location, field)
        return cleaned


class LocationFormSet(forms.BaseInlineFormSet):
    """One primary location at most, checked across the whole formset; the database
    constraint backs this up. New locations start at the precision of the listing's
    type as saved (the same whether the page is shown or sent, so an untouched new form
    stays unchanged)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        stored_type = None
        if self.instance.pk:
            stored_type = (
                Organization.objects.filter(pk=self.instance.pk)
                .values_list("type__sensitive", flat=True)
                .first()
            )
        self.shown_precision = (
            services.default_precision_for(sensitive=bool(stored_type)) if self.instance.pk else ""
        )

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if index is None or index >= self.initial_form_count():
            kwargs.update(organization=self.instance, shown_precision=self.shown_precision)
        return kwargs

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
            return queryset.needing_verification()  # as the dashboard counts them
        if self.value() == "fresh":
            return queryset.filter(last_verified__gte=stale_cutoff())
        return queryset


class StateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return State.choices

    def queryset(self, request, queryset):
        # The public filter's rule: a location in the state or a service area in it.
        if self.value() in State.values:
            return queryset.in_state(self.value())
        return queryset


class UsedJurisdictionFilter(admin.RelatedFieldListFilter):
    """The counties and cities some location is in. (Django's RelatedOnlyFieldListFilter
    finds them by joining every organization to its locations on each page view; here
    each of the 158 jurisdictions asks the location index whether it has one.)"""

    def field_choices(self, field, request, model_admin):
        used = Exists(Location.objects.filter(jurisdiction=OuterRef("pk")))
        model = field.related_model
        ordering = self.field_admin_ordering(field, request, model_admin) or model._meta.ordering
        return [
            (jurisdiction.pk, str(jurisdiction))
            for jurisdiction in model._default_manager.filter(used).order_by(*ordering)
        ]


class OrganizerListPaginator(Paginator):
    """The organizers' list at any size.

    - A page is read in two steps: the ids of its rows first (from the index the
      ordering walks, without reading the rows it skips), then those rows. A deep page
      (`OFFSET 25000`) would otherwise fetch and discard every row before it.
    - The total of the whole, unfiltered list of a large table on PostgreSQL comes from
      the table's statistics (pg_class.reltuples, kept by autovacuum and ANALYZE)
      instead of a COUNT(*) of every row; the list then says "about" (`estimated`).
      Filtered or searched, the count is exact.
    """

    EXACT_BELOW = 10_000

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        return self._get_page(self.object_list.filter(pk__in=ids), number, self)

    @cached_property
    def estimated(self) -> bool:
        return self._estimate is not None

    @cached_property
    def _estimate(self) -> int | None:
        queryset = self.object_list
        connection = connections[queryset.db]
        if connection.vendor != "postgresql" or queryset.query.where:
            return None
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT reltuples FROM pg_class WHERE oid = %s::regclass",
                [queryset.model._meta.db_table],
            )
            row = cursor.fetchone()
        if row is None or row[0] < self.EXACT_BELOW:
            return None
        return int(row[0])

    @cached_property
    def count(self) -> int:
        return super().count if self._estimate is None else self._estimate
