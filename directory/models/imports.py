"""Import jobs: a confirmed spreadsheet import, written a chunk of rows at a time.

A large file takes longer to write than a web request may last behind a proxy, so the
confirmation records the file here and the import pages write it in chunks, each in
its own transaction together with the job's progress: a chunk is written once or not
at all, and a job stopped anywhere (a closed tab, a restarted server) goes on from the
first row not yet written when its page is opened again.

Written by directory.listings.imports.jobs; shown to organizers on the import pages.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportJobStatus(models.TextChoices):
    RUNNING = "running", _("Importing")
    DONE = "done", _("Imported")
    STOPPED = "stopped", _("Stopped")


class ImportJob(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # The confirmed upload's key: a confirmation sent twice finds the same job.
    key = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    filename = models.CharField(max_length=255)
    title_case = models.BooleanField(default=True)
    # The file as uploaded; emptied when the job is done.
    content = models.BinaryField(default=b"")
    total = models.PositiveIntegerField(default=0)
    # Rows written (or left alone) so far, in the file's order.
    position = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict)
    # Rows not imported, and why: [{"row": 12, "name": "…", "why": "…"}].
    report = models.JSONField(default=list)
    # Listings this job wrote, by slug -> the row that wrote them.
    written = models.JSONField(default=dict)
    # Listings this job created: a later row of the same name is another listing, as
    # the preview said, not this one found again by its name.
    created = models.JSONField(default=list)
    # Listings written, by id: their duplicate check runs once, when the rows are in.
    to_check = models.JSONField(default=list)
    status = models.CharField(
        max_length=10, choices=ImportJobStatus.choices, default=ImportJobStatus.RUNNING
    )
    # The request writing it holds it until then; one that died lets go by itself.
    lease_until = models.DateTimeField(null=True, blank=True)
    # Why the last chunk could not be written (the error's kind; the log has the rest).
    problem = models.CharField(max_length=200, blank=True)
    # When the preview the organizer confirmed read the directory: a listing changed
    # since is merged three ways (its newer values kept, conflicts reported), as an old
    # export's row is.
    previewed_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]
        default_permissions = ()

    def __str__(self):
        return self.filename

    @property
    def done(self) -> bool:
        """Finished: every row written, or stopped by an organizer."""
        return self.status != ImportJobStatus.RUNNING
