"""Field types and validators the directory's models share."""

from django import forms
from django.core.validators import RegexValidator, URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

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
