"""The directory's domain: organizations, their locations, and the reference tables.

Only *published* organizations may appear on any public surface; the querysets here
are the one place that rule and the location-precision rule are written down.
"""

import datetime

import reversion
from dateutil.relativedelta import relativedelta
from django import forms
from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import (
    MaxValueValidator,
    MinValueValidator,
    RegexValidator,
    URLValidator,
)
from django.db import models
from django.db.models import Case, F, FloatField, Func, Q, Value, When
from django.db.models.functions import Concat, Trim
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.region import REGION_BOUNDS, State, validate_point

validate_http_url = URLValidator(
    schemes=["http", "https"],
    message=_("Enter a full web address starting with http:// or https://"),
)
validate_zip_code = RegexValidator(
    r"^\d{5}(-\d{4})?$", _("Enter a 5-digit ZIP code, for example 20001 (or ZIP+4: 20001-1234).")
)
validate_phone = RegexValidator(
    r"^[0-9+().\-\s]*(?:(?:ext\.?|x)\s*\d+)?$",
    _("Enter a phone number using digits, spaces and ( ) + - . only, for example (202) 555-0143."),
)
validate_hex_colour = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", _("Enter a colour as # followed by six hex digits, for example #1f6feb.")
)


class HttpURLFormField(forms.CharField):
    """A web address typed in full. Unlike forms.URLField it never guesses a scheme, so
    "example.org" is an error that asks for http(s):// rather than a silent rewrite."""

    widget = forms.URLInput
    default_validators = [validate_http_url]


class HttpURLField(models.URLField):
    """A URL field that accepts only http(s) addresses (never javascript: or data:)."""

    default_validators = [validate_http_url]

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": HttpURLFormField, **kwargs})


class NaturalKeyManager(models.Manager):
    natural_key_field = "slug"

    def get_by_natural_key(self, key):
        return self.get(**{self.natural_key_field: key})


class OrganizationType(models.Model):
    """A kind of organization (worker co-op, credit union, ...). Slugs are stable: URLs
    and exports use them."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    plural = models.CharField(_("plural name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    colour = models.CharField(
        _("map colour"), max_length=7, validators=[validate_hex_colour], default="#1f6feb"
    )
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    objects = NaturalKeyManager()

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("organization type")
        verbose_name_plural = _("organization types")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("directory:type-detail", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)


class LanguageManager(NaturalKeyManager):
    natural_key_field = "code"


class Language(models.Model):
    """A language an organization serves people in (code: BCP 47, e.g. "es", "am", "ase")."""

    code = models.SlugField(_("code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=60, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=100)

    objects = LanguageManager()

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("language")
        verbose_name_plural = _("languages")

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.code,)


class Sector(models.Model):
    """An area of activity, after the ESSGlobal vocabulary (food, housing, finance, ...)."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=60, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=100)

    objects = NaturalKeyManager()

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)


class JurisdictionKind(models.TextChoices):
    COUNTY = "county", _("County")
    INDEPENDENT_CITY = "city", _("Independent city")
    DISTRICT = "district", _("Federal district")


class JurisdictionManager(NaturalKeyManager):
    natural_key_field = "fips"


class Jurisdiction(models.Model):
    """A county, independent city or the District, identified by its 5-digit FIPS code."""

    fips = models.CharField(
        _("FIPS code"),
        max_length=5,
        unique=True,
        validators=[RegexValidator(r"^\d{5}$", _("A county FIPS code has five digits."))],
    )
    name = models.CharField(_("name"), max_length=100)
    state = models.CharField(_("state"), max_length=2, choices=State.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=JurisdictionKind.choices)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    objects = JurisdictionManager()

    class Meta:
        ordering = ["state", "name"]
        verbose_name = _("jurisdiction")
        verbose_name_plural = _("jurisdictions")
        constraints = [
            models.UniqueConstraint(fields=["state", "name"], name="unique_jurisdiction_name"),
        ]

    def __str__(self):
        return f"{self.name}, {self.state}"

    def natural_key(self):
        return (self.fips,)


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
            models.Prefetch("locations", queryset=Location.objects.order_by("-is_primary", "pk")),
        )


def _states_expression():
    in_states = []
    for code in State.values:
        located = Location.objects.filter(organization=models.OuterRef("pk"), state=code)
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


class Organization(models.Model):
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
    # listings. Kept current by directory.signals on every save of an organization, a
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

    def get_absolute_url(self):
        return reverse("directory:organization-detail", kwargs={"slug": self.slug})

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


class SocialLink(models.Model):
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


class Precision(models.TextChoices):
    EXACT = "exact", _("Exact: show the address and pin")
    APPROXIMATE = "approximate", _("Approximate: show the area (about 1 km), not the address")
    HIDDEN = "hidden", _("Hidden: no pin; listed by service area only")


class PointSource(models.TextChoices):
    PIN = "pin", _("Organizer's pin")
    GEOCODER = "geocoder", _("Street address geocoder")
    ZIP_CENTROID = "zip", _("ZIP code centre")
    IMPORT = "import", _("Imported")


class PublicCoordinate(Func):
    """A coordinate rounded to two decimals (about 1 km) inside the database."""

    template = "ROUND(%(expressions)s, 2)"
    output_field = FloatField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="ROUND((%(expressions)s)::numeric, 2)::double precision",
            **extra_context,
        )


def public_coordinate(field: str, *, relation: str = ""):
    """The coordinate the public may see: exact, rounded, or none, by precision.
    `relation` is the path to a Location when querying another model (e.g. a join)."""
    prefix = f"{relation}__" if relation else ""
    return Case(
        When(**{f"{prefix}precision": Precision.EXACT}, then=F(prefix + field)),
        When(
            **{f"{prefix}precision": Precision.APPROXIMATE},
            then=PublicCoordinate(F(prefix + field)),
        ),
        default=Value(None),
        output_field=FloatField(),
    )


class LocationQuerySet(models.QuerySet):
    def of_published(self):
        return self.filter(organization__status=OrganizationStatus.PUBLISHED)

    def on_map(self):
        """Locations that may have a public pin: published, located, not hidden."""
        return (
            self.of_published().filter(latitude__isnull=False).exclude(precision=Precision.HIDDEN)
        )

    def with_public_coordinates(self):
        return self.annotate(
            public_latitude=public_coordinate("latitude"),
            public_longitude=public_coordinate("longitude"),
        )

    def in_bbox(self, *, west: float, south: float, east: float, north: float):
        return self.filter(
            latitude__gte=south, latitude__lte=north, longitude__gte=west, longitude__lte=east
        )


class Location(models.Model):
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="locations",
    )
    label = models.CharField(
        _("label"), max_length=100, blank=True, help_text=_("For example Main office, Pantry.")
    )
    is_primary = models.BooleanField(_("primary location"), default=False)
    street_address = models.CharField(_("street address"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    state = models.CharField(_("state"), max_length=2, choices=State.choices)
    zip_code = models.CharField(
        _("ZIP code"), max_length=10, blank=True, validators=[validate_zip_code]
    )
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        verbose_name=_("county or city"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="locations",
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    point_source = models.CharField(
        _("how the point was found"), max_length=10, choices=PointSource.choices, blank=True
    )
    precision = models.CharField(
        _("public precision"),
        max_length=12,
        choices=Precision.choices,
        default=Precision.EXACT,
        help_text=_(
            "Groups that help people in danger (mutual aid, shelters) often must not show "
            "an exact address."
        ),
    )
    hours = models.TextField(_("hours"), blank=True, max_length=1000)
    accessibility = models.TextField(_("accessibility notes"), blank=True, max_length=1000)

    objects = LocationQuerySet.as_manager()

    class Meta:
        ordering = ["-is_primary", "pk"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        indexes = [
            models.Index(fields=["latitude", "longitude"], name="location_point_idx"),
            models.Index(fields=["state"], name="location_state_idx"),
            models.Index(fields=["zip_code"], name="location_zip_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organization"],
                condition=Q(is_primary=True),
                name="one_primary_location_per_organization",
                violation_error_message=_("An organization can have only one primary location."),
            ),
            models.CheckConstraint(
                condition=Q(state__in=State.values), name="location_state_in_region"
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="location_point_complete",
                violation_error_message=_("Give both latitude and longitude, or neither."),
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True)
                | Q(
                    latitude__gte=REGION_BOUNDS.south,
                    latitude__lte=REGION_BOUNDS.north,
                    longitude__gte=REGION_BOUNDS.west,
                    longitude__lte=REGION_BOUNDS.east,
                ),
                name="location_point_in_region",
            ),
            models.CheckConstraint(
                condition=Q(precision__in=Precision.values), name="location_precision_valid"
            ),
        ]

    def __str__(self):
        place = ", ".join(part for part in (self.city, self.state) if part)
        return (
            f"{self.label or _('Location')} ({place})"
            if place
            else str(self.label or _("Location"))
        )

    def clean(self):
        super().clean()
        if (self.latitude is None) != (self.longitude is None):
            missing = "longitude" if self.longitude is None else "latitude"
            raise ValidationError({missing: _("Give both latitude and longitude, or neither.")})
        if self.latitude is not None:
            validate_point(self.latitude, self.longitude, self.state or None)
        if self.jurisdiction_id and self.state and self.jurisdiction.state != self.state:
            raise ValidationError(
                {
                    "jurisdiction": _("%(jurisdiction)s is not in %(state)s.")
                    % {"jurisdiction": self.jurisdiction, "state": self.get_state_display()}
                }
            )

    @property
    def has_public_point(self) -> bool:
        return self.latitude is not None and self.precision != Precision.HIDDEN

    @property
    def shows_address(self) -> bool:
        return self.precision == Precision.EXACT


# ---------------------------------------------------------------------------------------
# Community contributions and moderation (suggestions, duplicates, verification).
# Services live in directory.contributions, directory.duplicates and
# directory.verification; the moderation admin in directory.moderation_admin.
# ---------------------------------------------------------------------------------------


class ChangeRequestKind(models.TextChoices):
    NEW_LISTING = "new", _("New listing")
    EDIT = "edit", _("Suggested edit")


class ChangeReason(models.TextChoices):
    WRONG = "wrong", _("Some information is wrong or missing")
    CLOSED = "closed", _("It has closed")
    DUPLICATE = "duplicate", _("It is listed twice")
    OTHER = "other", _("Something else")


class ChangeRequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    MERGED = "merged", _("Closed by a merge")


class ChangeRequestQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=ChangeRequestStatus.PENDING)

    def for_queue(self):
        """The moderation queue: newest first, with what the list shows."""
        return self.select_related("organization", "organization__type").order_by(
            "-created_at", "-pk"
        )


@reversion.register()
class ChangeRequest(models.Model):
    """A suggestion from the public: a new listing (the organization itself waits in
    *pending review*) or an edit to a listing, which is stored, never applied, until
    an organizer approves it. Who sent it is private."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="change_requests",
    )
    # Kept so the request still reads well after a rejected new listing is deleted.
    organization_name = models.CharField(_("organization name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=4, choices=ChangeRequestKind.choices)
    reason = models.CharField(_("reason"), max_length=10, choices=ChangeReason.choices, blank=True)
    proposed = models.JSONField(
        _("proposed values"),
        default=dict,
        blank=True,
        help_text=_("Only the fields the person changed, by field name."),
    )
    message = models.TextField(_("message"), blank=True, max_length=2000)
    duplicate_of = models.ForeignKey(
        Organization,
        verbose_name=_("reported duplicate of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitter_name = models.CharField(_("submitter's name (private)"), max_length=100, blank=True)
    submitter_email = models.EmailField(_("submitter's email (private)"), blank=True)
    submitter_is_member = models.BooleanField(_("submitter is part of the organization"))
    from_verified_contact = models.BooleanField(
        _("sent through a verification link"),
        default=False,
        help_text=_("The organization's contact opened the link we emailed them."),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ChangeRequestStatus.choices,
        default=ChangeRequestStatus.PENDING,
    )
    applied = models.JSONField(
        _("applied values"),
        default=dict,
        blank=True,
        help_text=_("What the organizer applied, when it differs from the proposal."),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decision_note = models.TextField(_("reason for the decision"), blank=True, max_length=2000)
    revision = models.ForeignKey(
        "reversion.Revision",
        verbose_name=_("revision"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("received"), default=timezone.now)
    notified_at = models.DateTimeField(_("organizers notified"), null=True, blank=True)

    objects = ChangeRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions to review")
        indexes = [
            models.Index(fields=["status", "-created_at"], name="changerequest_queue_idx"),
            models.Index(fields=["notified_at"], name="changerequest_notified_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ChangeRequestKind.values), name="changerequest_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ChangeRequestStatus.values),
                name="changerequest_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind=ChangeRequestKind.NEW_LISTING, reason="")
                | Q(kind=ChangeRequestKind.EDIT, reason__in=ChangeReason.values),
                name="changerequest_reason_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(status=ChangeRequestStatus.PENDING, decided_at__isnull=True)
                | (~Q(status=ChangeRequestStatus.PENDING) & Q(decided_at__isnull=False)),
                name="changerequest_decided_when_not_pending",
            ),
        ]

    def __str__(self):
        if self.kind == ChangeRequestKind.NEW_LISTING:
            return _("New listing: %(name)s") % {"name": self.organization_name}
        return _("Edit to %(name)s: %(reason)s") % {
            "name": self.organization_name,
            "reason": self.get_reason_display(),
        }

    def clean(self):
        super().clean()
        if self.kind == ChangeRequestKind.NEW_LISTING and self.reason:
            raise ValidationError({"reason": _("A new listing has no reason.")})
        if self.kind == ChangeRequestKind.EDIT and not self.reason:
            raise ValidationError({"reason": _("Choose why the listing should change.")})

    @property
    def is_pending(self) -> bool:
        return self.status == ChangeRequestStatus.PENDING


class DuplicateReason(models.TextChoices):
    SAME_WEBSITE = "same_website", _("Same website")
    SAME_PHONE = "same_phone", _("Same phone number")
    SIMILAR_NAME_NEARBY = "similar_name_nearby", _("Similar name, within 0.4 km")
    SAME_NAME = "same_name", _("Same name (one has no map point)")
    REPORTED = "reported", _("Reported by a visitor")


class PossibleDuplicateStatus(models.TextChoices):
    OPEN = "open", _("To review")
    DISMISSED = "dismissed", _("Not the same organization")


class PossibleDuplicateQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=PossibleDuplicateStatus.OPEN)

    def involving(self, organization: "Organization"):
        return self.filter(Q(organization=organization) | Q(similar_to=organization))


class PossibleDuplicate(models.Model):
    """Two listings that look like the same organization. Stored once per pair (lower
    primary key first); a dismissed pair is never flagged again."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="+", verbose_name=_("listing")
    )
    similar_to = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="+", verbose_name=_("similar to")
    )
    reasons = models.JSONField(_("why"), default=list)
    distance_km = models.FloatField(_("distance (km)"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=PossibleDuplicateStatus.choices,
        default=PossibleDuplicateStatus.OPEN,
    )
    created_at = models.DateTimeField(_("flagged"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = PossibleDuplicateQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "similar_to"], name="unique_possible_duplicate_pair"
            ),
            models.CheckConstraint(
                condition=Q(organization__lt=F("similar_to")),
                name="possible_duplicate_pair_ordered",
            ),
            models.CheckConstraint(
                condition=Q(status__in=PossibleDuplicateStatus.values),
                name="possible_duplicate_status_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="possible_duplicate_queue_idx"),
        ]

    def __str__(self):
        return _("%(a)s / %(b)s") % {"a": self.organization, "b": self.similar_to}

    def clean(self):
        super().clean()
        if self.organization_id and self.organization_id == self.similar_to_id:
            raise ValidationError(_("A listing cannot be a duplicate of itself."))

    def other(self, organization: "Organization") -> "Organization":
        return self.similar_to if organization.pk == self.organization_id else self.organization

    def reason_labels(self) -> list[str]:
        return [
            str(DuplicateReason(code).label)
            for code in self.reasons
            if code in DuplicateReason.values
        ]


class DuplicateScan(models.Model):
    """What an organization's duplicate check last looked at (name, website, phone and
    points, hashed), so saving a listing without changing those skips the check."""

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    fingerprint = models.CharField(max_length=64)
    scanned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("duplicate check")
        verbose_name_plural = _("duplicate checks")

    def __str__(self):
        return f"{self.organization_id}: {self.fingerprint[:12]}"


class SlugRedirect(models.Model):
    """An old listing address that now leads to another listing (after a merge)."""

    old_slug = models.SlugField(_("old slug"), max_length=200, unique=True)
    old_name = models.CharField(_("old name"), max_length=200, blank=True)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("now shown as"),
        on_delete=models.CASCADE,
        related_name="slug_redirects",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("merged by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("old address redirect")
        verbose_name_plural = _("old address redirects")

    def __str__(self):
        return f"/{self.old_slug}/ → {self.organization}"


class VerificationAnswer(models.TextChoices):
    CONFIRMED = "confirmed", _("Still accurate")
    EDIT = "edit", _("Suggested an edit")


class VerificationRequestQuerySet(models.QuerySet):
    def unanswered(self):
        return self.filter(answered_at__isnull=True)


class VerificationRequest(models.Model):
    """One email asking an organization's contact whether its listing is still right."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="verification_requests",
    )
    email = models.EmailField(_("sent to"))
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answer = models.CharField(
        _("answer"), max_length=10, choices=VerificationAnswer.choices, blank=True
    )
    flagged_at = models.DateTimeField(
        _("flagged for organizers"),
        null=True,
        blank=True,
        help_text=_("Set when the contact had not answered for ARCHIVE_AFTER_MONTHS."),
    )

    objects = VerificationRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("verification request")
        verbose_name_plural = _("verification requests")
        indexes = [
            models.Index(fields=["organization", "-sent_at"], name="verification_org_sent_idx"),
            models.Index(fields=["answered_at", "sent_at"], name="verification_open_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True, answer="")
                | Q(answered_at__isnull=False, answer__in=VerificationAnswer.values),
                name="verification_answer_with_date",
            ),
        ]

    def __str__(self):
        return _("%(organization)s, sent %(date)s") % {
            "organization": self.organization,
            "date": self.sent_at.date(),
        }


class MailThrottle(models.Model):
    """When a kind of organizer email may next be sent. A conditional UPDATE claims the
    slot, so two processes never both send inside one window."""

    key = models.SlugField(max_length=60, unique=True)
    next_allowed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("mail throttle")
        verbose_name_plural = _("mail throttles")

    def __str__(self):
        return f"{self.key}: {self.next_allowed_at:%Y-%m-%d %H:%M}"
