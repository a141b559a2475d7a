"""Public contribution forms (suggest a listing, suggest an edit) and the organizer's
review form. Their public fields are those of directory.listings.schema, built by
directory.contributions.fields; proposals are checked against the listing by
directory.contributions.proposals."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from directory.contributions import abuse
from directory.contributions.fields import PlainCharField, public_field
from directory.contributions.places import build_suggested_location
from directory.contributions.proposals import changed_values, validate_proposal
from directory.core import text
from directory.listings import schema, services
from directory.models import ChangeReason, OrganizationType


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
            self._check_started()
        return cleaned

    def _check_started(self) -> None:
        started = abuse.read_started(self.data.get(abuse.STARTED_FIELD, ""))
        # Whatever happens next, a page shown again carries a fresh token: this one is
        # spent, and the person's next attempt is timed from now.
        self.data = self.data.copy()
        self.data[abuse.STARTED_FIELD] = abuse.started_token()
        if started is None or not abuse.use_started_token(started):
            self.blocked_as_spam = True
            raise ValidationError(
                _(
                    "This form was open for a long time or was already sent, so it was not "
                    "sent again. Check your answers and send it now."
                ),
                code="stale_form",
            )
        if started.seconds_ago < self.min_fill_seconds:
            self.blocked_as_spam = True
            raise ValidationError(
                _(
                    "That was faster than a person usually types, so it was not sent yet. "
                    "Check your answers and send the form again."
                ),
                code="too_fast",
            )

    def error_summary(self) -> list[tuple[str, str, str]]:
        """(field id, field label, message) for every error, fields in form order;
        errors that belong to no field come first with no id."""
        summary = [("", "", message) for message in self.non_field_errors()]
        for name, field in self.fields.items():
            for message in self.errors.get(name, []):
                # auto_id is the input's id, or the wrapper's for radios and checkboxes.
                summary.append((self[name].auto_id, str(field.label), message))
        return summary


def keep_page_language_translations(form: forms.Form) -> None:
    """The public forms offer translations in the page's language only (optional, with
    a label that names the language); on the English page, none."""
    keep = set(schema.translations_for(get_language()))
    for name in list(form.fields):
        if name in schema.BY_NAME and schema.is_translation(name):
            if name in keep:
                form.fields[name].label = schema.field(name).label
                form.fields[name].required = False
                form.fields[name].help_text = _(
                    "Optional: the same text in this language, if you can write it. "
                    "The English text above is shown when this is empty."
                )
            else:
                del form.fields[name]


def public_fields(names: list[str]) -> type[forms.Form]:
    """A form class declaring the public fields `names`, to mix into another form."""
    return type("PublicFields", (forms.Form,), {name: public_field(name) for name in names})


# What the suggest-a-listing form asks, and everything a suggested edit may propose
# (directory.listings.schema).
LISTING_FIELDS = schema.ASKED_FOR_NEW
PROPOSABLE_FIELDS = schema.PROPOSABLE


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
        *(name for name in LISTING_FIELDS if name not in ("precision", "service_area")),
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
        # Nothing chosen is a choice too: the type's default (approximate for mutual aid
        # groups and shelters), never an exact address the person did not pick.
        self.fields["precision"].required = False
        self.fields["precision"].initial = None
        self.location = None
        keep_page_language_translations(self)

    def _precision(self, cleaned) -> str:
        if cleaned.get("precision"):
            return cleaned["precision"]
        organization_type = OrganizationType.objects.filter(slug=cleaned.get("type")).first()
        return services.default_precision(organization_type)

    def clean(self):
        cleaned = super().clean()
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
                precision=self._precision(cleaned),
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
        return {name: self.cleaned_data.get(name) for name in LISTING_FIELDS if name in self.fields}

    @property
    def translation_fields(self) -> list:
        """The page language's translation fields (none on the English page)."""
        return [
            self[name]
            for name in self.fields
            if name in schema.BY_NAME and schema.is_translation(name)
        ]


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
        keep_page_language_translations(self)
        if not self.is_bound:
            self.initial.update(current)
        if not address_public:
            for name in schema.HIDDEN_UNLESS_EXACT:
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

    @property
    def sections(self) -> list[dict]:
        """The proposable fields as the page groups them: the listing's details, its
        membership, and where it is (directory.listings.schema's groups)."""
        groups = [
            (
                _("The listing's details"),
                schema.names(schema.ORGANIZATION_FIELDS, group="identity")
                + schema.names(schema.ORGANIZATION_FIELDS, group="about"),
            ),
            (_("Membership"), schema.names(schema.ORGANIZATION_FIELDS, group="membership")),
            (_("Where it is"), schema.names(schema.LOCATION_FIELDS)),
            (_("In your language"), schema.translations_for(get_language())),
        ]
        return [
            {"title": title, "fields": [self[name] for name in names if name in self.fields]}
            for title, names in groups
            if any(name in self.fields for name in names)
        ]

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        reason = cleaned.get("reason")
        if reason == ChangeReason.CLOSED:
            self.proposed = {}
            return cleaned
        proposed = changed_values(
            self.current,
            {name: cleaned.get(name) for name in PROPOSABLE_FIELDS if name in self.fields},
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
                if name not in data and name not in schema.RELATIONS:
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
        """The values to apply. A box the organizer cleared skips its field: the
        listing keeps today's value (a proposal to empty a field is applied as such)."""
        return {
            name: self.cleaned_data.get(name)
            for name in self.value_fields
            if not self._cleared(name)
        }

    def _cleared(self, name) -> bool:
        proposed = self.change_request.proposed[name]
        if isinstance(proposed, bool) or proposed in ("", None, []):
            return False
        return self.cleaned_data.get(name) in ("", None, [])
