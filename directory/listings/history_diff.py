"""What each version in a listing's history changed, for its *History* page: field by
field, old → new, with the labels and values organizers see in the admin (a type's
name, a choice's label, languages by name), and the changes to the objects it edits
inline (its locations, its links) beside them.

Read from django-reversion's stored versions; nothing here writes.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.formats import localize
from django.utils.text import capfirst
from django.utils.timezone import template_localtime
from django.utils.translation import gettext as _
from reversion.errors import RevertError
from reversion.models import Version

EMPTY = "—"


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


def _compared_fields(model, *, skip: str = "") -> list[models.Field]:
    """The fields a person edits: no ids, timestamps, derived columns or `skip` (an
    inline object's link to the listing, by attribute name)."""
    return [
        field
        for field in [*model._meta.concrete_fields, *model._meta.many_to_many]
        if field.editable
        and not field.primary_key
        and field.attname != skip
        and not _mirrors_the_original(field)
    ]


def _mirrors_the_original(field) -> bool:
    """The default language's translation column (summary_en) holds the field itself."""
    return (
        getattr(field, "translated_field", None) is not None
        and getattr(field, "language", None) == settings.LANGUAGE_CODE
    )


class _Values:
    """Values as the admin displays them; related rows are read once per model."""

    def __init__(self):
        self._names: dict[type[models.Model], dict] = {}

    def _name(self, model, pk) -> str:
        return self._names_of(model, [pk])[0]

    def _names_of(self, model, pks) -> list[str]:
        names = self._names.setdefault(model, {})
        missing = [pk for pk in pks if pk not in names]
        if missing:
            found = model._base_manager.in_bulk(missing)
            for pk in missing:
                names[pk] = str(found[pk]) if pk in found else f"#{pk}"
        return [names[pk] for pk in pks]

    def show(self, field: models.Field, raw) -> str:
        if raw in (None, "", [], ()):
            return EMPTY
        if field.many_to_many:
            return ", ".join(sorted(self._names_of(field.related_model, list(raw))))
        if field.is_relation:
            return self._name(field.related_model, raw)
        if field.flatchoices:
            return str(dict(field.flatchoices).get(raw, raw))
        if isinstance(field, models.BooleanField):
            return _("Yes") if raw else _("No")
        if isinstance(raw, datetime.datetime):
            return localize(template_localtime(raw))
        if isinstance(raw, datetime.date):
            return localize(raw)
        return str(raw)


def _fields_of(version) -> dict | None:
    try:
        return version.field_dict
    except RevertError:  # stored before a change of schema it cannot be read back into
        return None


def _field_changes(fields, before: dict, after: dict, values: _Values, prefix="") -> list:
    changes = []
    for field in fields:
        old, new = before.get(field.attname), after.get(field.attname)
        if field.many_to_many:
            old, new = sorted(old or []), sorted(new or [])
        if old == new or (old in (None, "", []) and new in (None, "", [])):
            continue
        label = f"{prefix}{capfirst(field.verbose_name)}"
        changes.append(FieldChange(label, values.show(field, old), values.show(field, new)))
    return changes


def _inline_label(model, fields: dict) -> str:
    name = fields.get("label") or fields.get("city") or fields.get("url") or ""
    kind = str(model._meta.verbose_name).capitalize()
    return f"{kind} “{name}”" if name else kind


def changes_by_revision(
    model, object_id: str, *, inlines: dict
) -> dict[int, list[FieldChange] | None]:
    """Each revision of the object (by revision id) with what it changed since the one
    before. `inlines` maps each model edited inline to its link's attribute name. The
    first version (the object's creation) and any that cannot be read have None."""
    versions = list(
        Version.objects.get_for_object_reference(model, object_id).order_by("revision_id", "pk")
    )
    revision_ids = [version.revision_id for version in versions]
    inline_versions: dict[int, dict] = {revision_id: {} for revision_id in revision_ids}
    if inlines:
        types = ContentType.objects.get_for_models(*inlines)
        for version in Version.objects.filter(
            revision_id__in=revision_ids, content_type__in=types.values()
        ).order_by("pk"):
            inline_model = version._model
            fields = _fields_of(version)
            link = inlines[inline_model]
            if fields is not None and str(fields.get(link)) == str(object_id):
                inline_versions[version.revision_id][(inline_model, version.object_id)] = fields

    values = _Values()
    own_fields = _compared_fields(model)
    result: dict[int, list[FieldChange] | None] = {}
    previous = previous_inline = None
    for version in versions:
        fields = _fields_of(version)
        inline_now = inline_versions[version.revision_id]
        if previous is None or fields is None:
            result[version.revision_id] = None
        else:
            changes = _field_changes(own_fields, previous, fields, values)
            changes += _inline_changes(previous_inline, inline_now, inlines, values)
            result[version.revision_id] = changes
        if fields is not None:
            previous, previous_inline = fields, inline_now
    return result


def _inline_changes(before: dict, after: dict, inlines: dict, values: _Values) -> list:
    changes = []
    for key in sorted({*before, *after}, key=lambda key: (str(key[0]), len(key[1]), key[1])):
        inline_model, _pk = key
        fields = _compared_fields(inline_model, skip=inlines[inline_model])
        old, new = before.get(key), after.get(key)
        if old is None:
            changes.append(FieldChange(_("Added"), EMPTY, _inline_label(inline_model, new)))
        elif new is None:
            changes.append(FieldChange(_("Removed"), _inline_label(inline_model, old), EMPTY))
        else:
            prefix = f"{_inline_label(inline_model, new)}: "
            changes += _field_changes(fields, old, new, values, prefix)
    return changes
