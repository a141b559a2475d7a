"""Locations of organizations: address, jurisdiction, point and public precision.

What the public may see of a location is decided in one place,
directory.listings.privacy; nothing here shapes a public answer.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from directory.core.region import REGION_BOUNDS, State, validate_point
from directory.models.fields import TypedTextModel, validate_zip_code
from directory.models.listings import Organization
from directory.models.reference import Jurisdiction


class Precision(models.TextChoices):
    EXACT = "exact", _("Exact: show the address and pin")
    APPROXIMATE = "approximate", _("Approximate: show the area (about 1 km), not the address")
    HIDDEN = "hidden", _("Hidden: no pin; listed by service area only")


class PointSource(models.TextChoices):
    PIN = "pin", _("Organizer's pin")
    GEOCODER = "geocoder", _("Street address geocoder")
    ZIP_CENTROID = "zip", _("ZIP code centre")
    IMPORT = "import", _("Imported")


class Location(TypedTextModel):
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
