"""The import pages of the organization admin: upload and preview, then confirm.

The uploaded file waits in a private temporary folder between the two steps.
Confirming claims it (so a confirmation sent twice, a retry after a proxy timeout or a
double click, imports it once and tells the second one so) and hands it to an import
job (`jobs`), which plans each chunk of rows again against the directory as it is then
(so nothing changed in between is overwritten) and writes it. A file written within
one request's time ends on the organization list as before; a larger one goes on on
its job's page, which shows the progress and then the result.
"""

import os
import secrets
import tempfile
import time
from collections import Counter
from pathlib import Path

from django import forms
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory.listings.imports import jobs
from directory.listings.imports.columns import column_label
from directory.listings.imports.diff import (
    CONFLICT,
    ERROR,
    NEW,
    SKIPPED,
    UNCHANGED,
    UPDATE,
    exported_at,
)
from directory.listings.imports.parse import UnreadableFile
from directory.listings.imports.pipeline import plan_file
from directory.models import ImportJob, ImportJobStatus

MAX_BYTES = 20 * 1024 * 1024
_SALT = "directory.listings.imports"
_FOLDER = Path(tempfile.gettempdir()) / "directory-imports"
_KEEP_SECONDS = 24 * 3600


class ImportForm(forms.Form):
    import_file = forms.FileField(
        label=gettext_lazy("CSV or Excel file"),
        help_text=gettext_lazy("Start from the import template; one row per organization."),
    )
    title_case = forms.BooleanField(
        label=gettext_lazy("Write ALL-CAPS names in Title Case"), required=False, initial=True
    )


def _store(content: bytes) -> str:
    _FOLDER.mkdir(mode=0o700, exist_ok=True)
    cutoff = time.time() - _KEEP_SECONDS
    for old in _FOLDER.iterdir():
        try:
            if old.stat().st_mtime < cutoff:
                old.unlink(missing_ok=True)
        except FileNotFoundError:  # another process cleaned it up first
            continue
    key = secrets.token_hex(16)
    (_FOLDER / key).write_bytes(content)
    return key


def _claim(key: str) -> bytes | None:
    """Take the stored file for this confirmation; None when another took it."""
    source, claimed = _FOLDER / key, _FOLDER / f"{key}.claimed"
    try:
        os.rename(source, claimed)
    except (FileNotFoundError, OSError):
        return None
    content = claimed.read_bytes()
    return content


def _release(key: str, *, done: bool) -> None:
    claimed = _FOLDER / f"{key}.claimed"
    if done:
        claimed.unlink(missing_ok=True)
    elif claimed.exists():
        os.rename(claimed, _FOLDER / key)


OUTCOME_LABELS = {
    NEW: gettext_lazy("New"),
    UPDATE: gettext_lazy("Update"),
    UNCHANGED: gettext_lazy("Unchanged"),
    CONFLICT: gettext_lazy("Conflict: not imported"),
    SKIPPED: gettext_lazy("Skipped"),
    "error": gettext_lazy("Error"),
}


def shown(value) -> str:
    if value in (None, "", []):
        return _("(empty)")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    return str(value)


def _place(location) -> str:
    """Where the row's location lands: what the ZIP code gave, as organizers check it."""
    if location is None or not location.city:
        return ""
    parts = [location.city, location.state, str(location.jurisdiction or "")]
    return ", ".join(part for part in parts if part)


def preview_rows(plan) -> list[dict]:
    """The plan as the preview shows it: every row, its outcome, and in words what it
    changes, keeps, fixes and refuses."""
    rows = []
    for row in plan.rows:
        rows.append(
            {
                "number": row.number,
                "outcome": row.outcome,
                "outcome_label": OUTCOME_LABELS[row.outcome],
                "name": row.name or row.slug,
                "slug": row.slug,
                "message": row.message,
                "changes": [
                    (column_label(c.column), shown(c.before), shown(c.after))
                    for c in row.changes
                    if row.outcome != NEW
                ],
                "conflicts": [
                    (column_label(c.column), shown(c.after), shown(c.directory))
                    for c in row.conflicts
                ],
                "kept": [(column_label(c.column), shown(c.after)) for c in row.kept],
                "notes": [(note.column, note.before, note.after) for note in row.notes],
                "warnings": row.warnings,
                "errors": [
                    (column_label(column), message)
                    for column, texts in row.errors.items()
                    for message in texts
                ],
                "cells": [
                    (column, shown(value))
                    for column, value in row.cells.items()
                    if column != "version" and value not in (None, "", [])
                ],
                "place": _place(row.location),
            }
        )
    return rows


def summary(counts) -> str:
    return _(
        "%(new)d new, %(updated)d updated, %(unchanged)d unchanged, %(conflicts)d conflict(s) "
        "not imported, %(skipped)d skipped"
    ) % {
        "new": counts.get(NEW, 0),
        "updated": counts.get(UPDATE, 0),
        "unchanged": counts.get(UNCHANGED, 0),
        "conflicts": counts.get(CONFLICT, 0),
        "skipped": counts.get(SKIPPED, 0),
    }


class SpreadsheetImportMixin:
    """Adds the import pages to the organization admin."""

    import_template = "admin/directory/organization/import.html"
    import_job_template = "admin/directory/organization/import_job.html"

    def has_import_permission(self, request) -> bool:
        return request.user.has_perm("directory.add_organization") and request.user.has_perm(
            "directory.change_organization"
        )

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("import/", view(self.import_view), name="directory_organization_import"),
            path(
                "import/<uuid:job_id>/",
                view(self.import_job_view),
                name="directory_organization_import_job",
            ),
            path(
                "import/confirm/",
                view(self.confirm_import_view),
                name="directory_organization_import_confirm",
            ),
            *super().get_urls(),
        ]

    def _import_page(self, request, form, plan=None, token="", filename=""):
        return TemplateResponse(
            request,
            self.import_template,
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": _("Import organizations"),
                "form": form,
                "plan": plan,
                "rows": preview_rows(plan) if plan else [],
                "summary": summary(plan.counts) if plan else "",
                "token": token,
                "filename": filename,
                "unfinished": jobs.unfinished(),
            },
        )

    def import_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method != "POST" or not form.is_valid():
            return self._import_page(request, form)
        upload = form.cleaned_data["import_file"]
        if upload.size > MAX_BYTES:
            form.add_error("import_file", _("The file is larger than 20 MB; split it."))
            return self._import_page(request, form)
        content = upload.read()
        previewed = timezone.now()  # before the plan reads the directory
        title_case = form.cleaned_data["title_case"]
        try:
            plan = plan_file(content, upload.name, title_case=title_case)
        except UnreadableFile as error:
            form.add_error("import_file", str(error))
            return self._import_page(request, form)
        token = signing.dumps(
            {
                # When the preview read the directory: a listing changed after it is
                # merged three ways when the file is written, not overwritten.
                "previewed": previewed.isoformat(),
                "key": _store(content),
                "name": upload.name,
                "title_case": title_case,
                "user": request.user.pk,
            },
            salt=_SALT,
        )
        return self._import_page(request, form, plan, token, upload.name)

    def confirm_import_view(self, request):
        if not self.has_import_permission(request) or request.method != "POST":
            raise PermissionDenied
        changelist = redirect("admin:directory_organization_changelist")
        try:
            ticket = signing.loads(request.POST.get("token", ""), salt=_SALT, max_age=_KEEP_SECONDS)
        except signing.BadSignature:
            ticket = None
        if ticket is None or ticket.get("user") != request.user.pk:
            messages.error(request, _("This import could not be read; upload the file again."))
            return changelist
        content = _claim(ticket["key"])
        if content is None:
            job = ImportJob.objects.defer("content").filter(key=ticket["key"]).first()
            messages.warning(
                request,
                _(
                    "This import was confirmed already (or has expired), so nothing was "
                    "imported twice. Upload the file again to check: rows already imported "
                    "show as unchanged."
                ),
            )
            return _job_page(job) if job is not None else changelist
        done = False
        try:
            job = jobs.start(
                key=ticket["key"],
                filename=ticket["name"],
                content=content,
                title_case=ticket["title_case"],
                user=request.user,
                previewed_at=exported_at(ticket.get("previewed") or ""),
            )
            done = True
        except UnreadableFile as error:
            messages.error(request, str(error))
            return changelist
        finally:
            _release(ticket["key"], done=done)
        job = jobs.advance(job.pk, user=request.user)
        if not job.done or job.problem or len(job.report) > _REPORTED_IN_MESSAGES:
            return _job_page(job)
        _report(request, job)
        return changelist

    def import_job_view(self, request, job_id):
        """A confirmed import: its progress while its rows are written (each visit writes
        the next chunks), then what was imported and which rows were not, and why."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        job = ImportJob.objects.defer("content").filter(pk=job_id).first()
        if job is None:
            raise Http404
        if request.method == "POST" and "stop" in request.POST:
            job = jobs.stop(job.pk)
        elif not job.done:
            job = jobs.advance(job.pk, user=request.user)
        return TemplateResponse(
            request,
            self.import_job_template,
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": _("Import of “%(name)s”") % {"name": job.filename},
                "job": job,
                "stopped": job.status == ImportJobStatus.STOPPED,
                "summary": summary(_not_written_as_skipped(job.counts)),
                "percent": round(100 * job.position / job.total) if job.total else 100,
            },
        )


def _not_written_as_skipped(counts: dict) -> Counter:
    """A job's counts as the summary words them: rows that could no longer be written
    (reported one by one) are among the skipped."""
    counts = Counter(counts)
    counts[SKIPPED] += counts.pop(ERROR, 0)
    return counts


def _job_page(job):
    return redirect("admin:directory_organization_import_job", job_id=job.pk)


# A finished import with more rows to report than this shows them on its own page.
_REPORTED_IN_MESSAGES = 20


def _report(request, job) -> None:
    messages.success(
        request,
        _("Imported “%(name)s”: %(summary)s.")
        % {"name": job.filename, "summary": summary(_not_written_as_skipped(job.counts))},
    )
    for row in job.report:
        messages.warning(
            request,
            _("Row %(row)d (%(name)s) was not imported: %(why)s")
            % {"row": row["row"], "name": row["name"], "why": row["why"]},
        )
