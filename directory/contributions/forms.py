"""Public contribution forms: suggest a listing, suggest an edit, and the organizer's
review form. Every field is plain text with a size limit; values are kept as
JSON-friendly natural keys (type slug, language codes, sector slugs, FIPS codes) so a
proposal can be stored as it was typed and applied later.

The checks that need the database or the geocoder (placing a location, validating a
proposal against the listing) live in directory.contributions.services, which builds on this
module's field lists; the forms import it where they call it."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from directory.contributions import abuse
from directory.core import text
from directory.core.region import State
from directory.models import (
    AcceptingMembers,
    ChangeReason,
    Jurisdiction,
    Language,
    MembershipModel,
    Organization,
    OrganizationType,
    Precision,
    Sector,
    validate_zip_code,
)

ORGANIZATION_FIELDS = [
    "name",
    "type",
    "summary",
    "description",
    "website",
    "email",
    "phone",
    "year_founded",
    "membership_model",
    "accepting_members",
    "member_count",
    "how_to_join",
    "eligibility",
    "limited_equity",
    "languages",
    "sectors",
    "service_area",
]
LOCATION_FIELDS = ["street_address", "city", "zip_code", "precision", "hours", "accessibility"]
PROPOSABLE_FIELDS = ORGANIZATION_FIELDS + LOCATION_FIELDS
# Location fields the public page shows only when the location's precision is exact.
ADDRESS_FIELDS = {"street_address", "zip_code"}
MULTIPLE_FIELDS = {"languages", "sectors", "service_area"}
FREE_TEXT_FIELDS = {
    "summary",
    "description",
    "how_to_join",
    "eligibility",
    "hours",
    "accessibility",
    "message",
}
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
    model_field = Organization._meta.get_field(name)
    field = model_field.formfield(**({"widget": widget} if widget else {}), **overrides)
    for validator in model_field.validators:
        if validator not in field.validators:
            field.validators.append(validator)
    if isinstance(field, forms.CharField):
        field.validators += [text.validate_plain_text, text.text_rule(model_field)]
    if name in FREE_TEXT_FIELDS:
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
        "street_address": lambda: PlainCharField(
            label=_("Street address"),
            max_length=200,
            required=False,
            widget=forms.TextInput(attrs=off),
        ),
        "city": lambda: PlainCharField(label=_("City or town"), max_length=100, required=False),
        "zip_code": lambda: PlainCharField(
            label=_("ZIP code"),
            max_length=10,
            required=False,
            validators=[validate_zip_code],
            widget=forms.TextInput(attrs={**off, "inputmode": "numeric"}),
        ),
        "precision": lambda: forms.ChoiceField(
            label=_("How much of the location to show"),
            choices=PRECISION_CHOICES,
            initial=Precision.EXACT,
            widget=forms.RadioSelect,
            help_text=PRECISION_HELP,
        ),
        "hours": lambda: PlainCharField(
            label=_("Opening hours"),
            max_length=1000,
            free_text=True,
            required=False,
            widget=forms.Textarea(attrs={"rows": 2}),
        ),
        "accessibility": lambda: PlainCharField(
            label=_("Accessibility"),
            max_length=1000,
            free_text=True,
            required=False,
            widget=forms.Textarea(attrs={"rows": 2}),
            help_text=_("Step-free entrance, accessible restroom, ASL, …"),
        ),
    }
    return factories[name]()


class ContributionForm(forms.Form):
    """What both public forms share: the submitter's private details and the spam
    checks (a honeypot field and a minimum time to fill the form)."""

    submitter_name = PlainCharField(
        label=_("Your name"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    submitter_email = forms.EmailField(
        label=_("Your email"),
        max_length=254,
        required=False,
        validators=[text.validate_plain_text],
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("Only organizers see it, to ask you about this if they need to."),
    )
    submitter_is_member = forms.BooleanField(
        label=_("I am part of this organization"), required=False
    )
    homepage = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    started = forms.CharField(widget=forms.HiddenInput, required=False, max_length=200)

    PRIVATE_FIELDS = ("submitter_name", "submitter_email", "submitter_is_member")

    def __init__(self, *args, check_fill_time=True, min_fill_seconds=0, **kwargs):
        super().__init__(*args, **kwargs)
        self.check_fill_time = check_fill_time
        self.min_fill_seconds = min_fill_seconds
        self.blocked_as_spam = False
        if not self.is_bound:
            self.initial[abuse.STARTED_FIELD] = abuse.started_token()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get(abuse.HONEYPOT_FIELD):
            self.blocked_as_spam = True
            raise ValidationError(
                _("This looks automated, so it was not sent. The last field must stay empty."),
                code="honeypot",
            )
        if self.check_fill_time:
            elapsed = abuse.seconds_since_started(self.data.get(abuse.STARTED_FIELD, ""))
            if elapsed is None or elapsed < self.min_fill_seconds:
                self.blocked_as_spam = True
                # Give the person a fresh clock: their next attempt is counted from now.
                self.data = self.data.copy()
                self.data[abuse.STARTED_FIELD] = abuse.started_token()
                raise ValidationError(
                    _(
                        "That was faster than a person usually types, so it was not sent yet. "
                        "Check your answers and send the form again."
                    ),
                    code="too_fast",
                )
        return cleaned

    def error_summary(self) -> list[tuple[str, str, str]]:
        """(field id, field label, message) for every error, fields in form order;
        errors that belong to no field come first with no id."""
        summary = [("", "", message) for message in self.non_field_errors()]
        for name, field in self.fields.items():
            for message in self.errors.get(name, []):
                # auto_id is the input's id, or the wrapper's for radios and checkboxes.
                summary.append((self[name].auto_id, str(field.label), message))
        return summary


def public_fields(names: list[str]) -> type[forms.Form]:
    """A form class declaring the public fields `names`, to mix into another form."""
    return type("PublicFields", (forms.Form,), {name: public_field(name) for name in names})


LISTING_FIELDS = [
    "name",
    "type",
    "summary",
    "website",
    "email",
    "phone",
    "languages",
    "sectors",
    "how_to_join",
    "street_address",
    "zip_code",
    "precision",
    "service_area",
]


class SuggestListingForm(public_fields(LISTING_FIELDS), ContributionForm):
    """A new listing suggested by the public."""

    latitude = forms.FloatField(
        label=_("Latitude"),
        required=False,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    longitude = forms.FloatField(
        label=_("Longitude"),
        required=False,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    not_a_duplicate = forms.BooleanField(
        label=_("None of these: I am suggesting a different organization"), required=False
    )

    field_order = [
        *LISTING_FIELDS[:11],
        "latitude",
        "longitude",
        "precision",
        "service_area",
        "submitter_name",
        "submitter_email",
        "submitter_is_member",
        "not_a_duplicate",
        "homepage",
        "started",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["summary"].required = True
        self.fields["summary"].widget.attrs["required"] = True
        self.fields["submitter_email"].required = True
        self.fields["submitter_email"].widget.attrs["required"] = True
        self.fields["street_address"].help_text = _(
            "Optional. With the ZIP code, it places the pin more precisely."
        )
        self.fields["zip_code"].help_text = _(
            "Where it is. Or drop a pin on the map below instead."
        )
        self.location = None

    def clean(self):
        cleaned = super().clean()
        from directory.contributions.services import build_suggested_location

        has_pin = cleaned.get("latitude") is not None or cleaned.get("longitude") is not None
        if not (cleaned.get("zip_code") or has_pin or cleaned.get("service_area")):
            if not self.has_error("zip_code"):
                self.add_error(
                    "zip_code",
                    _(
                        "Enter a ZIP code, drop a pin on the map, or choose the counties it "
                        "serves, so people can find it."
                    ),
                )
            return cleaned
        if self.errors:
            return cleaned
        try:
            self.location = build_suggested_location(
                street_address=cleaned.get("street_address", ""),
                zip_code=cleaned.get("zip_code", ""),
                latitude=cleaned.get("latitude"),
                longitude=cleaned.get("longitude"),
                precision=cleaned.get("precision") or Precision.EXACT,
            )
        except ValidationError as error:
            self._add_keyed_errors(error, default="zip_code")
        return cleaned

    def _add_keyed_errors(self, error: ValidationError, *, default: str):
        for field, messages in error.message_dict.items():
            target = field if field in self.fields else default
            for message in messages:
                self.add_error(target, message)

    def listing_values(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in LISTING_FIELDS}


class SuggestEditForm(public_fields(PROPOSABLE_FIELDS), ContributionForm):
    """A report about a published listing, with proposed values pre-filled from what
    the listing shows today."""

    reason = forms.ChoiceField(
        label=_("What is the problem?"), choices=ChangeReason.choices, widget=forms.RadioSelect
    )
    message = PlainCharField(
        label=_("Tell us more"),
        max_length=2000,
        free_text=True,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Anything that helps organizers check it, such as how you know."),
    )
    duplicate_of = PlainCharField(
        label=_("If it is listed twice: the other listing's name or web address"),
        max_length=300,
        required=False,
    )
    verification = forms.CharField(widget=forms.HiddenInput, required=False, max_length=500)

    def __init__(self, *args, organization, current: dict, address_public: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization
        self.current = current
        self.address_public = address_public
        self.proposed: dict = {}
        # A report that it has closed needs none of these; for other reports, an
        # emptied field is checked by the model's own rules in validate_proposal.
        for name in PROPOSABLE_FIELDS:
            self.fields[name].required = False
            self.fields[name].widget.attrs.pop("required", None)
        if not self.is_bound:
            self.initial.update(current)
        if not address_public:
            for name in ADDRESS_FIELDS:
                self.fields[name].help_text = _(
                    "Not shown publicly. Fill in only if it has changed."
                )
        self.order_fields(
            [
                "reason",
                "message",
                "duplicate_of",
                *PROPOSABLE_FIELDS,
                "submitter_name",
                "submitter_email",
                "submitter_is_member",
                "homepage",
                "started",
                "verification",
            ]
        )

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        from directory.contributions.services import changed_values, validate_proposal

        reason = cleaned.get("reason")
        if reason == ChangeReason.CLOSED:
            self.proposed = {}
            return cleaned
        proposed = changed_values(
            self.current,
            {name: cleaned.get(name) for name in PROPOSABLE_FIELDS},
            address_public=self.address_public,
        )
        if reason == ChangeReason.DUPLICATE and not (
            cleaned.get("duplicate_of") or cleaned.get("message")
        ):
            self.add_error("duplicate_of", _("Tell us which listing it duplicates."))
        elif not proposed and not cleaned.get("message") and reason != ChangeReason.DUPLICATE:
            self.add_error(
                "message",
                _("Change at least one of the details below, or tell us here what is wrong."),
            )
        if proposed:
            try:
                validate_proposal(self.organization, proposed)
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    target = field if field in self.fields else "message"
                    for message in messages:
                        self.add_error(target, message)
        self.proposed = proposed
        return cleaned


class ReviewDecision:
    APPROVE = "approve"
    REJECT = "reject"


class ReviewForm(forms.Form):
    """The organizer's decision on one suggestion; for an edit, the proposed values
    can be corrected before they are applied."""

    decision_note = PlainCharField(
        label=_("Reason (required to reject; sent to nobody, kept in the history)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, data=None, *args, change_request, **kwargs):
        rejecting = data is not None and "reject" in data
        if data is not None and not rejecting and "decision_note" not in data:
            # Not sent from the review page (whose note box is always sent, and whose
            # unticked boxes are absent): values not sent stay as proposed.
            data = data.copy()
            for name, value in change_request.proposed.items():
                if name not in data and name not in MULTIPLE_FIELDS:
                    data[name] = "" if value is None else value
                elif name not in data:
                    data.setlist(name, value)
        super().__init__(data, *args, **kwargs)
        self.change_request = change_request
        # Rejecting leaves the listing alone, so the values are not even read.
        self.value_fields = (
            []
            if rejecting
            else [name for name in PROPOSABLE_FIELDS if name in change_request.proposed]
        )
        for name in self.value_fields:
            self.fields[name] = public_field(name)
            self.initial.setdefault(name, change_request.proposed[name])

    @property
    def decision(self) -> str:
        return ReviewDecision.REJECT if "reject" in self.data else ReviewDecision.APPROVE

    def clean(self):
        cleaned = super().clean()
        if self.decision == ReviewDecision.REJECT:
            if not cleaned.get("decision_note"):
                self.add_error("decision_note", _("Say why it is rejected."))
            return cleaned
        if self.value_fields and not self.errors:
            from directory.contributions.services import validate_proposal

            organization = self.change_request.organization
            try:
                validate_proposal(organization, self.values())
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    target = field if field in self.fields else None
                    for message in messages:
                        self.add_error(target, message)
        return cleaned

    def values(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.value_fields}
