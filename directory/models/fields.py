"""Field types, validators and rules the directory's models share."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator, URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from directory.core.text import text_rule

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


class TypedTextModel(models.Model):
    """A model whose text fields all follow directory.core.text's rules, chosen by field
    type: one line of visible text in every CharField (a name, a city), no control or
    text-direction characters in any TextField. Checked in clean_fields, which the
    admin's forms, the spreadsheet import and the services' full_clean all run, so a
    new text field is covered without anyone remembering it."""

    class Meta:
        abstract = True

    def clean_fields(self, exclude=None):
        errors = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in self._meta.concrete_fields:
            if not isinstance(field, models.CharField | models.TextField) or field.choices:
                continue
            value = getattr(self, field.attname)
            if field.name in (exclude or ()) or field.name in errors or not value:
                continue
            try:
                text_rule(field)(value)
            except ValidationError as error:
                errors.setdefault(field.name, []).extend(error.error_list)
        if errors:
            raise ValidationError(errors)
