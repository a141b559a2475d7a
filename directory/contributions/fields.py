"""Form fields for the public fields of a listing, as the public and organizers fill
them in: every text is plain text with a size limit (directory.core.text), and values
stay JSON-friendly natural keys (a type's slug, language codes, sector slugs, FIPS
codes). A field of directory.listings.schema without a line below gets the model
field's own form field, with its label, help text, length and validators."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from directory.core import text
from directory.core.region import State
from directory.listings import schema
from directory.models import (
    AcceptingMembers,
    Jurisdiction,
    Language,
    MembershipModel,
    OrganizationType,
    Precision,
    Sector,
)

# Free text (a few sentences or more): web addresses in it are limited.
FREE_TEXT_MIN_LENGTH = 300


def _is_free_text(model_field) -> bool:
    return model_field.get_internal_type() == "TextField" or (
        (model_field.max_length or 0) >= FREE_TEXT_MIN_LENGTH
    )


MAX_MULTIPLE_CHOICES = 40

PRECISION_CHOICES = [
    (Precision.EXACT, _("Exact: show the address and a pin on the map")),
    (Precision.APPROXIMATE, _("Approximate: show only the area (about 1 km), not the address")),
    (Precision.HIDDEN, _("Hidden: show no location; people find it by the area it serves")),
]
PRECISION_HELP = _(
    "Mutual aid groups, shelters and groups that meet in people's homes often choose not "
    "to show an address, so that nobody can use the map to find and harm the people they "
    "help. An approximate point is rounded on our server, so the exact spot is never sent "
    "to anyone's browser."
)


def _type_choices():
    return [("", _("Choose a type")), *OrganizationType.objects.values_list("slug", "name")]


def _language_choices():
    return list(Language.objects.values_list("code", "name"))


def _sector_choices():
    return list(Sector.objects.values_list("slug", "name"))


def _jurisdiction_choices():
    grouped = {state: [] for state in State.values}
    for fips, name, state in Jurisdiction.objects.values_list("fips", "name", "state"):
        grouped[state].append((fips, name))
    return [(State(state).label, choices) for state, choices in grouped.items()]


class PlainCharField(forms.CharField):
    """Text with a length limit, stripped, refused if it contains HTML or control
    characters, one line unless typed in a text area; free text also has a limit on
    web addresses."""

    def __init__(self, *, max_length, free_text=False, **kwargs):
        lines = isinstance(kwargs.get("widget"), forms.Textarea)
        rule = text.validate_text if lines else text.validate_single_line
        validators = [text.validate_plain_text, rule, *kwargs.pop("validators", [])]
        if free_text:
            validators.append(text.validate_few_links)
        super().__init__(max_length=max_length, validators=validators, **kwargs)


class LimitedMultipleChoiceField(forms.MultipleChoiceField):
    def validate(self, value):
        super().validate(value)
        if len(value) > MAX_MULTIPLE_CHOICES:
            raise ValidationError(
                _("Choose at most %(limit)d."), params={"limit": MAX_MULTIPLE_CHOICES}
            )


def _model_text_field(name: str, *, widget=None, **overrides) -> forms.Field:
    """A form field with the model field's label, help text, length and validators
    (model validators such as the phone format are not copied by formfield())."""
    model_field = schema.field(name).model_field
    field = model_field.formfield(**({"widget": widget} if widget else {}), **overrides)
    for validator in model_field.validators:
        if validator not in field.validators:
            field.validators.append(validator)
    if isinstance(field, forms.CharField):
        field.validators += [text.validate_plain_text, text.text_rule(model_field)]
    if isinstance(field, forms.CharField) and _is_free_text(model_field):
        field.validators.append(text.validate_few_links)
    if model_field.max_length:
        field.widget.attrs.setdefault("maxlength", str(model_field.max_length))
    return field


def public_field(name: str) -> forms.Field:
    """The form field for one proposable public field, as the public and organizers
    see it."""
    textarea = forms.Textarea(attrs={"rows": 3})
    off = {"autocomplete": "off"}
    factories = {
        "name": lambda: _model_text_field(
            "name", widget=forms.TextInput(attrs={"autocomplete": "organization"})
        ),
        "type": lambda: forms.ChoiceField(label=_("Type of organization"), choices=_type_choices),
        "summary": lambda: _model_text_field(
            "summary",
            widget=forms.Textarea(attrs={"rows": 2}),
            help_text=_("One or two plain sentences: what it does and for whom."),
        ),
        "description": lambda: _model_text_field("description", widget=textarea),
        "website": lambda: _model_text_field(
            "website",
            widget=forms.URLInput(attrs={**off, "inputmode": "url", "placeholder": "https://"}),
        ),
        "email": lambda: _model_text_field(
            "email", widget=forms.EmailInput(attrs=off), help_text=_("The organization's email.")
        ),
        "phone": lambda: _model_text_field(
            "phone", widget=forms.TextInput(attrs={**off, "type": "tel", "inputmode": "tel"})
        ),
        "year_founded": lambda: _model_text_field(
            "year_founded", widget=forms.NumberInput(attrs={"inputmode": "numeric"})
        ),
        "membership_model": lambda: forms.ChoiceField(
            label=_("Who owns it"),
            choices=[("", _("Not sure")), *MembershipModel.choices],
            required=False,
        ),
        "accepting_members": lambda: forms.ChoiceField(
            label=_("Accepting new members"),
            choices=AcceptingMembers.choices,
            initial=AcceptingMembers.UNKNOWN,
            widget=forms.RadioSelect,
        ),
        "member_count": lambda: _model_text_field(
            "member_count", widget=forms.NumberInput(attrs={"inputmode": "numeric"})
        ),
        "how_to_join": lambda: _model_text_field("how_to_join", widget=textarea),
        "eligibility": lambda: _model_text_field("eligibility", widget=textarea),
        "limited_equity": lambda: forms.BooleanField(
            label=_("Limited-equity housing co-op (resale prices are capped)"), required=False
        ),
        "languages": lambda: LimitedMultipleChoiceField(
            label=_("Languages it serves people in"),
            choices=_language_choices,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        ),
        "sectors": lambda: LimitedMultipleChoiceField(
            label=_("What it does"),
            choices=_sector_choices,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        ),
        "service_area": lambda: LimitedMultipleChoiceField(
            label=_("Counties and cities it serves"),
            choices=_jurisdiction_choices,
            required=False,
            help_text=_("Hold Ctrl (or ⌘) to choose several. Leave empty if unsure."),
            widget=forms.SelectMultiple(attrs={"size": "6"}),
        ),
        "street_address": lambda: _model_text_field(
            "street_address", label=_("Street address"), widget=forms.TextInput(attrs=off)
        ),
        "city": lambda: _model_text_field("city", label=_("City or town")),
        "zip_code": lambda: _model_text_field(
            "zip_code",
            label=_("ZIP code"),
            widget=forms.TextInput(attrs={**off, "inputmode": "numeric"}),
        ),
        "precision": lambda: forms.ChoiceField(
            label=_("How much of the location to show"),
            choices=PRECISION_CHOICES,
            initial=Precision.EXACT,
            widget=forms.RadioSelect,
            help_text=PRECISION_HELP,
        ),
        "hours": lambda: _model_text_field(
            "hours", label=_("Opening hours"), widget=forms.Textarea(attrs={"rows": 2})
        ),
        "accessibility": lambda: _model_text_field(
            "accessibility",
            label=_("Accessibility"),
            widget=forms.Textarea(attrs={"rows": 2}),
            help_text=_("Step-free entrance, accessible restroom, ASL, …"),
        ),
    }
    return factories[name]() if name in factories else _default_field(name)


def _default_field(name: str) -> forms.Field:
    """The form field of a public field with no line above: choices from the related
    rows' natural keys, else the model field's own."""
    item = schema.field(name)
    if item.kind in (schema.TYPE, schema.RELATION):
        model = item.model_field.related_model

        def choices():
            return list(model.objects.values_list(item.natural_key, "name"))

        if item.kind == schema.TYPE:
            return forms.ChoiceField(label=item.label, choices=choices)
        return LimitedMultipleChoiceField(
            label=item.label,
            choices=choices,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
    return _model_text_field(name)
