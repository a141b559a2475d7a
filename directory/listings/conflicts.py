"""Optimistic locking for admin change forms.

Two organizers who open the same listing and both save must not silently overwrite
each other. The change form carries the record's `updated_at` as a hidden version
token. On save, the row is locked (SELECT ... FOR UPDATE on PostgreSQL, inside the
admin's transaction) and its current token compared: if someone saved in between,
nothing is written and the organizer sees who changed it and when, each field where
the saved value and theirs differ, and a link to the history. The form then carries
the new token, so saving again keeps their version on purpose; reloading starts over
from the saved one.

Add `ConcurrentEditAdminMixin` first in a ModelAdmin's bases; the model needs an
`updated_at = DateTimeField(auto_now=True)`.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from reversion.models import Version

VERSION_FIELD = "edit_version"


def version_token(updated_at) -> str:
    return updated_at.isoformat() if updated_at else ""


def _display(value) -> str:
    if value in (None, ""):
        return _("(empty)")
    if isinstance(value, models.QuerySet | list | tuple | set):
        return ", ".join(sorted(str(item) for item in value)) or _("(empty)")
    return str(value)


class ConcurrentEditForm(forms.ModelForm):
    edit_version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[VERSION_FIELD].initial = version_token(self.instance.updated_at)

    def clean(self):
        cleaned = super().clean()
        opened = cleaned.get(VERSION_FIELD)
        if not (self.instance.pk and opened):
            return cleaned
        model = type(self.instance)
        saved = (
            model._default_manager.select_for_update()
            .filter(pk=self.instance.pk)
            .values_list("updated_at", flat=True)
            .first()
        )
        if saved is None or version_token(saved) == opened:
            return cleaned
        # Saving again from this form keeps the organizer's version on purpose.
        self.data = self.data.copy()
        self.data[self.add_prefix(VERSION_FIELD)] = version_token(saved)
        raise ValidationError(self._conflict_messages(saved), code="edited_elsewhere")

    def _conflict_messages(self, saved_at) -> list:
        latest = (
            Version.objects.get_for_object(self.instance)
            .select_related("revision__user")
            .order_by("-revision__date_created")
            .first()
        )
        who = str(latest.revision.user) if latest and latest.revision.user else _("Someone")
        when = date_format(localtime(saved_at), "DATETIME_FORMAT")
        opts = self.instance._meta
        try:
            history_url = reverse(
                f"admin:{opts.app_label}_{opts.model_name}_history", args=[self.instance.pk]
            )
        except NoReverseMatch:
            history_url = ""
        headline = _(
            "%(who)s saved this %(model)s at %(when)s, after you opened it. Your changes are "
            "not saved yet."
        ) % {"who": who, "model": opts.verbose_name, "when": when}
        messages = [
            format_html('{} <a href="{}">{}</a>', headline, history_url, _("See the history."))
            if history_url
            else headline
        ]
        differing = [
            name for name in self.changed_data if name != VERSION_FIELD and name in self.fields
        ]
        for name in differing:
            messages.append(
                format_html(
                    "{}: {} “{}”; {} “{}”",
                    self.fields[name].label or name,
                    _("saved now"),
                    _display(self._saved_value(name)),
                    _("yours"),
                    _display(self._submitted_value(name)),
                )
            )
        if not differing:
            messages.append(
                _(
                    "Every field above matches the saved version; its locations or links may "
                    "have changed."
                )
            )
        messages.append(
            _(
                "Save again to keep your version of every field, or reload the page to start "
                "from the saved version."
            )
        )
        return messages

    def _saved_value(self, name):
        field = self.instance._meta.get_field(name)
        if field.many_to_many:
            return list(getattr(self.instance, name).all())
        if field.choices:
            return getattr(self.instance, f"get_{name}_display")()
        return getattr(self.instance, name)

    def _submitted_value(self, name):
        value = self.cleaned_data.get(name)
        field = self.fields[name]
        if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
            return dict(field.choices).get(value, value)
        return value


class ConcurrentEditAdminMixin:
    """Puts the version token into a ModelAdmin's change form (not the add form)."""

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        (name, options), *rest = fieldsets
        return [(name, {**options, "fields": [*options["fields"], VERSION_FIELD]}), *rest]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None:
            base = kwargs.get("form", self.form)
            kwargs["form"] = type(f"Concurrent{base.__name__}", (ConcurrentEditForm, base), {})
        return super().get_form(request, obj, change=change, **kwargs)
