"""Reference tables: organization types, languages, sectors and jurisdictions.

Seeded by data migrations, editable in the admin; exports and URLs use their stable
natural keys (slugs, language codes, FIPS codes).
"""

from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from directory.core.markers import Glyph
from directory.core.region import State
from directory.models.fields import NaturalKeyManager, TypedTextModel, validate_hex_colour

ESSGLOBAL_STANDARD = "http://purl.org/essglobal/standard/"
validate_essglobal_term = RegexValidator(
    rf"^{ESSGLOBAL_STANDARD}[a-z-]+/[A-Z]+[0-9]+$",
    _("Give an ESSGlobal term's address, such as %(example)s.")
    % {"example": f"{ESSGLOBAL_STANDARD}legal-form/L2"},
)


def essglobal_field(verbose_name, scheme: str):
    """The address of a term of one ESSGlobal taxonomy (vocabulary files: README)."""
    # A CharField with the term pattern: the admin's URL form field would guess schemes.
    return models.CharField(
        verbose_name,
        max_length=200,
        blank=True,
        validators=[validate_essglobal_term],
        help_text=_("ESSGlobal term (%(scheme)s); empty when none fits.") % {"scheme": scheme},
    )


class OrganizationType(TypedTextModel):
    """A kind of organization (worker co-op, credit union, ...). Slugs are stable: URLs
    and exports use them."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    plural = models.CharField(_("plural name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    colour = models.CharField(
        _("map colour"), max_length=7, validators=[validate_hex_colour], default="#1f6feb"
    )
    marker = models.CharField(
        _("map marker"),
        max_length=20,
        choices=Glyph.choices,
        default=Glyph.DOT,
        help_text=_("The glyph in this type's map pins, so types differ by more than colour."),
    )
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)
    sensitive = models.BooleanField(
        _("protect addresses"),
        default=False,
        help_text=_(
            "Groups of this kind often must not show an exact address (mutual aid, "
            "shelters): a new location without a chosen precision is shown approximately."
        ),
    )
    essglobal_structure = essglobal_field(
        _("ESSGlobal organisational structure"), "organisational-structure"
    )
    essglobal_legal_form = essglobal_field(_("ESSGlobal legal form"), "legal-form")

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


class Language(TypedTextModel):
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


class Sector(TypedTextModel):
    """An area of activity, after the ESSGlobal vocabulary (food, housing, finance, ...)."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=60, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=100)
    essglobal_activity = essglobal_field(_("ESSGlobal activity"), "activities-modified")

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


class Jurisdiction(TypedTextModel):
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
