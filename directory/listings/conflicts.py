"""Edit conflicts in admin change forms: the record's fields and its inlines alike.

The change form carries a signed snapshot of every value it showed: the record's fields
and each inline row's fields, keyed by the row's id. On save, inside the admin's
transaction and with the record locked, that snapshot is compared with what is saved
now. When someone else saved in between, nothing is written and the form comes back:

- every field the other person changed is listed with their value (a location's hours
  as much as the summary), and the form now holds their value for it;
- the organizer's own edits to other fields stay in the form;
- where both changed the same field, a "keep mine instead" box carries the organizer's
  value: saving again keeps the other person's change unless that box is ticked.

The form then carries a fresh snapshot, so saving again goes through.

Add `ConcurrentEditAdminMixin` first in a ModelAdmin's bases.
"""

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.forms.widgets import CheckboxInput
from django.urls import NoReverseMatch, reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from reversion.models import Version

VERSION_FIELD = "edit_version"
KEEP_MINE = "edit_keep_mine"
MINE_PREFIX = "edit_mine:"
_SALT = "directory.listings.conflicts"
_INLINE_SKIP = {"id", "DELETE", "ORDER"}


def _widget(field):
    widget = field.widget
    while hasattr(widget, "widget"):  # RelatedFieldWidgetWrapper
        widget = widget.widget
    return widget


def _normal(widget, value):
    """One comparable form of a value as the form shows it or a browser posts it."""
    if isinstance(widget, CheckboxInput):
        return bool(value)
    if getattr(widget, "allow_multiple_selected", False):
        return sorted(str(item) for item in (value or []) if item not in ("", None))
    if isinstance(value, list | tuple):
        value = value[0] if value else ""
    if value is None:
        return ""
    return str(value).replace("\r\n", "\n").strip()


def _shown(bound_field):
    widget = _widget(bound_field.field)
    value = bound_field.value()
    if isinstance(widget, CheckboxInput):
        return _normal(widget, widget.check_test(value))
    return _normal(widget, widget.format_value(value))


def _posted(field, data, html_name):
    widget = _widget(field)
    return _normal(widget, widget.value_from_datadict(data, {}, html_name))


def _inline_forms(formsets):
    for formset in formsets:
        fk_name = getattr(getattr(formset, "fk", None), "name", None)
        for form in formset.initial_forms:
            for name, field in form.fields.items():
                if name not in _INLINE_SKIP and name != fk_name:
                    yield formset.prefix, form, name, field


def snapshot(form, formsets) -> dict:
    """Every value an unbound change form and its inlines show, by a stable key."""
    values = {name: _shown(form[name]) for name in form.fields if name != VERSION_FIELD}
    for prefix, inline_form, name, _field in _inline_forms(formsets):
        values[f"{prefix}:{inline_form.instance.pk}:{name}"] = _shown(inline_form[name])
    return values


def sign(values: dict) -> str:
    return signing.dumps(values, salt=_SALT, compress=True)


def _unsign(token: str) -> dict | None:
    try:
        return signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        return None


def _post_names(data, prefixes) -> dict[str, str]:
    """Inline row key ("locations:12") -> its place in this POST ("locations-3")."""
    rows = {}
    for prefix in prefixes:
        try:
            total = min(int(data.get(f"{prefix}-TOTAL_FORMS", 0)), 1000)
        except ValueError:
            total = 0
        for index in range(total):
            pk = data.get(f"{prefix}-{index}-id")
            if pk:
                rows[f"{prefix}:{pk}"] = f"{prefix}-{index}"
    return rows


class _Current:
    """The saved record as an unbound change form would show it now."""

    def __init__(self, form, formsets):
        self.form, self.formsets = form, formsets
        self.values = snapshot(form, formsets)
        self.fields = {name: (form.fields[name], None) for name in form.fields}
        for prefix, inline_form, name, field in _inline_forms(formsets):
            self.fields[f"{prefix}:{inline_form.instance.pk}:{name}"] = (field, inline_form)

    def row_label(self, row) -> str:
        for key, (_field, inline_form) in self.fields.items():
            if inline_form is not None and key.startswith(f"{row}:"):
                kind = str(inline_form.instance._meta.verbose_name).capitalize()
                return f"{kind} “{inline_form.instance}”"
        return row

    def label(self, key) -> str:
        field, inline_form = self.fields[key]
        label = str(field.label or key.rsplit(":", 1)[-1])
        if inline_form is None:
            return label
        kind = inline_form.instance._meta.verbose_name
        return f"{str(kind).capitalize()} “{inline_form.instance}”: {label}"

    def display(self, key, value) -> str:
        field, _inline_form = self.fields[key]
        if value in ("", [], None):
            return _("(empty)")
        if value is True or value is False:
            return _("Yes") if value else _("No")
        choices = getattr(field, "choices", None)
        if choices is not None:
            names = {str(choice): str(label) for choice, label in choices}
            items = value if isinstance(value, list) else [value]
            return ", ".join(names.get(item, item) for item in items)
        return value


def _headline(instance) -> str:
    latest = (
        Version.objects.get_for_object(instance)
        .select_related("revision__user")
        .order_by("-revision__date_created")
        .first()
    )
    who = str(latest.revision.user) if latest and latest.revision.user else _("Someone")
    when = date_format(localtime(instance.updated_at), "DATETIME_FORMAT")
    opts = instance._meta
    text = _(
        "%(who)s saved this %(model)s at %(when)s, after you opened it. Nothing of yours is "
        "saved yet."
    ) % {"who": who, "model": opts.verbose_name, "when": when}
    try:
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[instance.pk])
    except NoReverseMatch:
        return text
    return format_html('{} <a href="{}">{}</a>', text, url, _("See the history."))


def _apply_keep_mine(data) -> None:
    """The organizer ticked "keep mine instead": their value goes back in."""
    for key in data.getlist(KEEP_MINE):
        target = data.get(f"{MINE_PREFIX}name:{key}")
        if target:
            data.setlist(target, data.getlist(f"{MINE_PREFIX}{key}"))
    for name in [name for name in data if name.startswith(MINE_PREFIX) or name == KEEP_MINE]:
        del data[name]


def _set(data, name, value) -> None:
    if value is True:
        data[name] = "on"
    elif value is False:
        data.pop(name, None)
    elif isinstance(value, list):
        data.setlist(name, value)
    else:
        data[name] = value


def resolve(data, *, current: _Current, instance, prefixes) -> list:
    """Compare the POST's snapshot with the saved record. Returns the messages of a
    conflict (and rewrites `data` as described in the module docstring), or []."""
    _apply_keep_mine(data)
    token = data.get(VERSION_FIELD)
    if not token:
        return []
    opened = _unsign(token)
    data[VERSION_FIELD] = sign(current.values)
    if opened is None:
        return [_("This form's version could not be read. Reload the page and edit again.")]
    changed = [
        key for key in current.values if key in opened and opened[key] != current.values[key]
    ]
    added_rows = sorted({key.rsplit(":", 1)[0] for key in current.values if key not in opened})
    removed_rows = sorted({key.rsplit(":", 1)[0] for key in opened if key not in current.values})
    if not (changed or added_rows or removed_rows):
        return []
    rows = _post_names(data, prefixes)
    messages = [_headline(instance)]
    for key in changed:
        if ":" in key:
            row, name = key.rsplit(":", 1)
            if row not in rows:
                continue
            html_name = f"{rows[row]}-{name}"
        else:
            html_name = key
        field, _inline_form = current.fields[key]
        mine = _posted(field, data, html_name)
        theirs = current.values[key]
        _set(data, html_name, theirs)
        line = format_html(
            "{}: {} “{}” ({} “{}”)",
            current.label(key),
            _("now"),
            current.display(key, theirs),
            _("was"),
            current.display(key, opened[key]),
        )
        if mine not in (opened[key], theirs):
            hidden = format_html_join(
                "",
                '<input type="hidden" name="{}" value="{}">',
                [(f"{MINE_PREFIX}{key}", item) for item in _as_list(mine)],
            )
            line = format_html(
                '{} <label class="conflict-choice"><input type="checkbox" name="{}" '
                'value="{}"> {} “{}”</label><input type="hidden" name="{}" value="{}">{}',
                line,
                KEEP_MINE,
                key,
                _("Keep mine instead:"),
                current.display(key, mine),
                f"{MINE_PREFIX}name:{key}",
                html_name,
                hidden,
            )
        messages.append(line)
    for row in added_rows:
        messages.append(
            _("Added since you opened it, and kept: %(row)s.") % {"row": current.row_label(row)}
        )
    for row in removed_rows:
        messages.append(
            _("Deleted since you opened it: a row of %(inline)s. Remove it from your form too.")
            % {"inline": row.split(":")[0].replace("_", " ")}
        )
    messages.append(
        _(
            "The form now holds their values for the fields above and your other edits. "
            "Save again to keep both, ticking “Keep mine instead” where yours should win."
        )
    )
    return messages


def _as_list(value) -> list:
    if isinstance(value, list):
        return value
    if value is True:
        return ["on"]
    if value is False:
        return []
    return [value]


class ConcurrentEditForm(forms.ModelForm):
    edit_version = forms.CharField(widget=forms.HiddenInput, required=False)
    conflict_messages: list = []

    def clean(self):
        cleaned = super().clean()
        if self.conflict_messages:
            raise ValidationError(self.conflict_messages, code="edited_elsewhere")
        return cleaned


class ConcurrentEditAdminMixin:
    """Puts the snapshot into a ModelAdmin's change form (not the add form) and checks
    it on save."""

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        (name, options), *rest = fieldsets
        return [(name, {**options, "fields": [*options["fields"], VERSION_FIELD]}), *rest]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None:
            base = kwargs.get("form", self.form)
            attributes = {"conflict_messages": getattr(request, "_edit_conflict", [])}
            kwargs["form"] = type(
                f"Concurrent{base.__name__}", (ConcurrentEditForm, base), attributes
            )
        return super().get_form(request, obj, change=change, **kwargs)

    def _current(self, request, obj) -> _Current:
        form = self.get_form(request, obj, change=True)(instance=obj)
        formsets = [
            formset_class(
                instance=obj,
                prefix=formset_class.get_default_prefix(),
                queryset=inline.get_queryset(request),
            )
            for formset_class, inline in self.get_formsets_with_inlines(request, obj)
        ]
        return _Current(form, formsets)

    def _changeform_view(self, request, object_id, form_url, extra_context):
        # Runs inside the admin's transaction, so the lock holds until the save.
        if request.method == "POST" and object_id and "_saveasnew" not in request.POST:
            obj = self.model._default_manager.select_for_update().filter(pk=object_id).first()
            if obj is not None and self.has_change_permission(request, obj):
                current = self._current(request, obj)
                data = request.POST.copy()
                prefixes = [formset.prefix for formset in current.formsets]
                request._edit_conflict = resolve(
                    data, current=current, instance=obj, prefixes=prefixes
                )
                request.POST = data
        return super()._changeform_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = context["adminform"].form
        if obj is not None and not form.is_bound and VERSION_FIELD in form.fields:
            formsets = [inline.formset for inline in context["inline_admin_formsets"]]
            form.initial[VERSION_FIELD] = sign(snapshot(form, formsets))
        return super().render_change_form(request, context, add, change, form_url, obj)
