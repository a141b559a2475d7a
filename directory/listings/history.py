"""History in the admin (django-reversion), limited to each admin's own objects.

django-reversion's revert and recover views look a version up by its id alone, then
revert its whole revision. Through the organization admin an organizer could therefore
revert an organization type (which they may not change) or undo a moderation decision,
by putting that object's version id into `/organization/<any id>/history/<version>/` or
`/organization/recover/<version>/`. `OwnHistoryVersionAdmin`, the base of every
versioned admin here:

- accepts only versions of its own model (for a revert: of the object in the address;
  for a recovery: of an object that no longer exists);
- reverts only that object and the objects its form edits inline (an organization's
  locations and links); anything else the same revision recorded, such as the
  suggestion an approval decided, stays as it is;
- requires permission to change each object it writes (to add one it recreates).
"""

from contextlib import nullcontext

from django.contrib import messages
from django.contrib.admin.utils import quote, unquote
from django.contrib.auth import get_permission_codename
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import IntegrityError, models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.shortcuts import get_object_or_404, redirect
from django.utils.formats import localize
from django.utils.timezone import template_localtime
from django.utils.translation import gettext as _
from reversion import set_comment
from reversion.admin import VersionAdmin
from reversion.errors import RevertError
from reversion.models import Version
from reversion.utils import mute_signals


class _Preview(Exception):
    """Carries the rendered preview out of the transaction, which is then rolled back."""

    def __init__(self, response):
        self.response = response


class OwnHistoryVersionAdmin(VersionAdmin):
    def _own_versions(self):
        return Version.objects.get_for_model(self.model).select_related("revision")

    def revision_view(self, request, object_id, version_id, extra_context=None):
        version = get_object_or_404(
            self._own_versions(), pk=version_id, object_id=unquote(object_id)
        )
        context = {"title": _("Revert %(name)s") % {"name": version.object_repr}, "revert": True}
        return self._revert_view(
            request,
            version,
            self.revision_form_template or self._reversion_get_template_list("revision_form.html"),
            {**context, **(extra_context or {})},
        )

    def recover_view(self, request, version_id, extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        version = get_object_or_404(self._own_versions(), pk=version_id)
        if self.model._default_manager.filter(pk=version.object_id).exists():
            # Recovered already (by someone else, or in another tab): nothing to recover.
            note = _("%(name)s exists: it was recovered already.")
            messages.info(request, note % {"name": version.object_repr})
            opts = self.model._meta
            return redirect(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change",
                quote(version.object_id),
            )
        context = {"title": _("Recover %(name)s") % {"name": version.object_repr}, "recover": True}
        return self._revert_view(
            request,
            version,
            self.recover_form_template or self._reversion_get_template_list("recover_form.html"),
            {**context, **(extra_context or {})},
        )

    # What a revert touches --------------------------------------------------------------

    def _inline_relations(self) -> dict[type[models.Model], str]:
        """Each model this admin edits inline, with its foreign key to this model."""
        relations = {}
        for inline in self.inlines:
            for field in inline.model._meta.fields:
                is_link = isinstance(field, models.ForeignKey) and (
                    field.name == inline.fk_name
                    if inline.fk_name
                    else field.remote_field.model is self.model
                )
                if is_link:
                    relations[inline.model] = field.attname
        return relations

    def _versions_to_revert(self, version) -> list:
        """This object's version, then the versions in the same revision of the objects
        it had inline at the time."""
        relations = self._inline_relations()
        inline = [
            other
            for other in version.revision.version_set.exclude(pk=version.pk)
            if other._model in relations
            and str(other.field_dict.get(relations[other._model])) == version.object_id
        ]
        return [version, *inline]

    def _check_permissions(self, request, versions) -> None:
        for version in versions:
            model = version._model
            exists = model._default_manager.filter(pk=version.object_id).exists()
            action = "change" if exists else "add"
            codename = get_permission_codename(action, model._meta)
            if not request.user.has_perm(f"{model._meta.app_label}.{codename}"):
                raise PermissionDenied

    def _revert_own_objects(self, request, version) -> None:
        versions = self._versions_to_revert(version)
        self._check_permissions(request, versions)
        current = self.model._default_manager.filter(pk=version.object_id).first()
        if current is not None:
            # Inline objects added since that version go, as reverting a whole revision
            # with delete=True would do.
            kept = {(other._model, other.object_id) for other in versions}
            for accessor in self._inline_accessors():
                for related in getattr(current, accessor).all():
                    if (type(related), str(related.pk)) not in kept:
                        related.delete()
        pending = versions
        while pending:
            failed = []
            for other in pending:
                try:
                    with transaction.atomic(using=other.db):
                        other.revert()
                except (IntegrityError, ObjectDoesNotExist):
                    # Another object of the set may have to be written first (one
                    # primary location at a time): try again after the others.
                    failed.append(other)
            if len(failed) == len(pending):
                raise RevertError(
                    _("Could not save %(name)s as it was: something it needs is missing.")
                    % {"name": failed[0].object_repr}
                )
            pending = failed

    def _inline_accessors(self) -> list[str]:
        related = {
            relation.related_model: relation.get_accessor_name()
            for relation in self.model._meta.related_objects
        }
        return [related[model] for model in self._inline_relations() if model in related]

    # The view: django-reversion's, around the narrower revert ---------------------------

    def _revert_view(self, request, version, template_name, extra_context):
        # Opening the form shows the old version without side effects; saving it keeps
        # the revert, recorded as a new revision.
        muted = (
            mute_signals(pre_save, post_save, pre_delete, post_delete, m2m_changed)
            if request.method == "GET"
            else nullcontext()
        )
        try:
            with transaction.atomic(using=version.db), muted:
                self._revert_own_objects(request, version)
                with self.create_revision(request):
                    response = self.changeform_view(
                        request, quote(version.object_id), request.path, extra_context
                    )
                    if request.method == "POST" and response.status_code == 302:
                        set_comment(
                            _("Reverted to previous version, saved on %(datetime)s")
                            % {
                                "datetime": localize(
                                    template_localtime(version.revision.date_created)
                                )
                            }
                        )
                    elif response.status_code == 200:
                        response.template_name = template_name
                        response.render()
                        raise _Preview(response)
                    else:
                        raise RevertError(
                            _("Could not load %(name)s as it was.") % {"name": version.object_repr}
                        )
        except (RevertError, models.ProtectedError) as error:
            messages.error(request, str(error))
            opts = self.model._meta
            return redirect(f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_changelist")
        except _Preview as preview:
            return preview.response
        return response
