"""Listings: organizations, their lifecycle and their social links.

Only *published* organizations may appear on any public surface
(`Organization.objects.published()`).
"""

import datetime
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, Q, Value, When
from django.db.models.functions import Concat, Trim
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.core.region import State
from directory.models.fields import HttpURLField, TypedTextModel, validate_phone
from directory.models.reference import Jurisdiction, Language, OrganizationType, Sector

if TYPE_CHECKING:
    from directory.models.locations import Location


class OrganizationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Pending review")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class MembershipModel(models.TextChoices):
    WORKERS = "workers", _("Owned by its workers")
    CONSUMERS = "consumers", _("Owned by its consumers or members")
    RESIDENTS = "residents", _("Owned by its residents")
    PRODUCERS = "producers", _("Owned by its producers")
    MULTI_STAKEHOLDER = "multi_stakeholder", _("Multi-stakeholder")
    COMMUNITY = "community", _("Community-controlled")


class AcceptingMembers(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Unknown")


class OrganizationQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=OrganizationStatus.PUBLISHED)

    def stale(self, *, months: int | None = None, today: datetime.date | None = None):
        """Listings not verified within `months` (default VERIFY_AFTER_MONTHS)."""
        cutoff = stale_cutoff(months=months, today=today)
        return self.filter(Q(last_verified__isnull=True) | Q(last_verified__lt=cutoff))

    def needing_verification(self):
        """Published listings not verified within VERIFY_AFTER_MONTHS: what the admin's
        "not verified" filter lists and the dashboard counts (only what the public sees
        can be out of date)."""
        return self.published().stale()

    def in_state(self, state: str):
        """With a location in the state or a service area in it (see `states`)."""
        return self.filter(states__contains=state)

    def refresh_states(self) -> int:
        """Recompute `states` for these organizations from their locations and service
        area, in one UPDATE; returns how many rows it wrote."""
        return self.update(states=_states_expression())

    def serving(self, jurisdiction: "Jurisdiction"):
        return self.filter(service_area=jurisdiction)

    def for_listing(self):
        """What a list of organizations shows, fetched without per-row queries."""
        return self.select_related("type").prefetch_related(
            "languages",
            models.Prefetch(
                "locations", queryset=_location_model().objects.order_by("-is_primary", "pk")
            ),
        )


def _location_model():
    # directory.models.locations imports this module, so its model is looked up here.
    return Organization._meta.get_field("locations").related_model


def _states_expression():
    in_states = []
    for code in State.values:
        located = _location_model().objects.filter(organization=models.OuterRef("pk"), state=code)
        served = Organization.service_area.through.objects.filter(
            organization=models.OuterRef("pk"), jurisdiction__state=code
        )
        in_states.append(
            Case(
                When(models.Exists(located) | models.Exists(served), then=Value(f"{code} ")),
                default=Value(""),
                output_field=models.CharField(),
            )
        )
    return Trim(Concat(*in_states, output_field=models.CharField()))


def stale_cutoff(*, months: int | None = None, today: datetime.date | None = None):
    months = settings.VERIFY_AFTER_MONTHS if months is None else months
    return (today or timezone.localdate()) - relativedelta(months=months)


class Organization(TypedTextModel):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        unique=True,
        help_text=_("The end of the listing's web address. Keep it stable once published."),
    )
    type = models.ForeignKey(
        OrganizationType,
        verbose_name=_("type"),
        on_delete=models.PROTECT,
        related_name="organizations",
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=OrganizationStatus.choices,
        default=OrganizationStatus.DRAFT,
        help_text=_("Only published listings appear on the public site."),
    )
    summary = models.CharField(
        _("summary"), max_length=300, blank=True, help_text=_("One or two plain sentences.")
    )
    description = models.TextField(_("description"), blank=True, max_length=5000)
    website = HttpURLField(_("website"), max_length=500, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True, validators=[validate_phone])
    year_founded = models.PositiveSmallIntegerField(
        _("year founded"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1800), MaxValueValidator(2100)],
    )
    membership_model = models.CharField(
        _("membership model"), max_length=20, choices=MembershipModel.choices, blank=True
    )
    how_to_join = models.TextField(_("how to join"), blank=True, max_length=2000)
    eligibility = models.TextField(
        _("who is eligible"),
        blank=True,
        max_length=2000,
        help_text=_("For credit unions, the field of membership."),
    )
    accepting_members = models.CharField(
        _("accepting new members"),
        max_length=10,
        choices=AcceptingMembers.choices,
        default=AcceptingMembers.UNKNOWN,
    )
    member_count = models.PositiveIntegerField(_("number of members"), null=True, blank=True)
    limited_equity = models.BooleanField(
        _("limited-equity"),
        default=False,
        help_text=_("Housing co-ops only: resale prices are capped to keep homes affordable."),
    )
    languages = models.ManyToManyField(
        Language, verbose_name=_("languages served"), blank=True, related_name="organizations"
    )
    sectors = models.ManyToManyField(
        Sector, verbose_name=_("sectors"), blank=True, related_name="organizations"
    )
    service_area = models.ManyToManyField(
        Jurisdiction,
        verbose_name=_("service area"),
        blank=True,
        related_name="served_by",
        help_text=_("Counties and cities this organization serves."),
    )
    source = models.CharField(
        _("source of the information"), max_length=300, blank=True, help_text=_("Who told us.")
    )
    last_verified = models.DateField(_("last verified"), null=True, blank=True)
    internal_contact_name = models.CharField(
        _("contact name (internal)"), max_length=200, blank=True
    )
    internal_contact_email = models.EmailField(_("contact email (internal)"), blank=True)
    internal_contact_phone = models.CharField(
        _("contact phone (internal)"), max_length=40, blank=True, validators=[validate_phone]
    )
    internal_notes = models.TextField(_("notes for organizers (internal)"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    published_at = models.DateTimeField(_("first published"), null=True, blank=True, editable=False)
    # The state filter's answer kept on the row, because computing it from locations and
    # service areas (two EXISTS) costs a scan of a third of both tables at 100,000
    # listings. Kept current by directory.listings.signals on every save of an organization, a
    # location or a service area; writes that send no signals (bulk_create) call
    # Organization.objects.filter(...).refresh_states().
    states = models.CharField(
        _("states"),
        max_length=20,
        blank=True,
        default="",
        editable=False,
        help_text=_("State codes of its locations and service area, such as “DC MD”."),
    )
    # Kept current by PostgreSQL triggers (migration 0004_search), so bulk inserts and
    # fixtures are searchable too; always empty on SQLite, which searches without it.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        indexes = [
            # The public order (name, then id): pages deep in a list walk the index. On
            # PostgreSQL it also includes type_id and states (migration 0008), so the
            # type and state filters are answered from the index alone.
            models.Index(fields=["status", "name", "id"], name="org_status_name_id_idx"),
            # The organizers' list, every status, by name (OrganizationAdmin.ordering).
            models.Index(fields=["name", "id"], name="org_name_id_idx"),
            models.Index(fields=["status", "type"], name="org_status_type_idx"),
            models.Index(fields=["status", "accepting_members"], name="org_status_accepting_idx"),
            models.Index(fields=["last_verified"], name="org_last_verified_idx"),
            models.Index(fields=["updated_at"], name="org_updated_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=OrganizationStatus.values), name="org_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(accepting_members__in=AcceptingMembers.values),
                name="org_accepting_members_valid",
            ),
            models.CheckConstraint(
                condition=Q(year_founded__isnull=True)
                | Q(year_founded__gte=1800, year_founded__lte=2100),
                name="org_year_founded_range",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # The one publish rule: the first time a listing is saved as published, whoever
        # saves it (admin, bulk action, import, an approved suggestion), it is dated.
        if self.status == OrganizationStatus.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "published_at"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("directory:organization-detail", kwargs={"slug": self.slug})

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # The status as read, so a save can tell whether the listing was public.
        instance._loaded_status = instance.__dict__.get("status")
        return instance

    def clean(self):
        super().clean()
        if self.year_founded and self.year_founded > timezone.localdate().year:
            raise ValidationError({"year_founded": _("The year founded cannot be in the future.")})
        if self.last_verified and self.last_verified > timezone.localdate():
            raise ValidationError(
                {"last_verified": _("The verification date cannot be in the future.")}
            )
        if self.limited_equity and self.type_id and self.type.slug != "housing-cooperative":
            raise ValidationError(
                {"limited_equity": _("Only housing co-ops can be marked limited-equity.")}
            )

    @property
    def is_published(self) -> bool:
        return self.status == OrganizationStatus.PUBLISHED

    @property
    def primary_location(self) -> "Location | None":
        """The primary location, using prefetched locations when they are there."""
        locations = list(self.locations.all())
        for location in locations:
            if location.is_primary:
                return location
        return locations[0] if locations else None

    def is_stale(self, *, today: datetime.date | None = None) -> bool:
        return self.last_verified is None or self.last_verified < stale_cutoff(today=today)


class SocialLink(TypedTextModel):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="social_links"
    )
    label = models.CharField(
        _("label"), max_length=60, blank=True, help_text=_("For example Instagram or Facebook.")
    )
    url = HttpURLField(_("address"), max_length=500)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("social link")
        verbose_name_plural = _("social links")
        constraints = [
            models.UniqueConstraint(fields=["organization", "url"], name="unique_social_link"),
        ]

    def __str__(self):
        return self.label or self.url
