"""Import jobs: a confirmed file written a chunk of rows at a time.

Writing thousands of rows takes longer than a request may last behind a proxy (the
deploy guide's 35 s), so a confirmation records the file as an `ImportJob` and each
request to the job's page writes chunks for a few seconds. Each chunk is planned against
the directory as it is then (so nothing changed meanwhile is overwritten) and written in
one transaction together with the job's progress: a chunk is written once or not at
all, whichever request gets to it, and a job stopped anywhere goes on from the first row
not yet written. Chunks of all jobs are written one at a time, so two imports of the
same file never both create a listing.

A row that cannot be written any more (the directory changed since the preview) is
left out and reported with its row number, not silently dropped.
"""

import logging
import time
from collections import Counter
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.listings import signals
from directory.listings.imports.columns import column_label
from directory.listings.imports.diff import CONFLICT, ERROR, NEW, SKIPPED
from directory.listings.imports.parse import parse
from directory.listings.imports.pipeline import ImportPlan, apply, plan_rows
from directory.models import ImportJob, ImportJobStatus

logger = logging.getLogger(__name__)

# Finished jobs (their results) are kept this long.
KEEP_DAYS = 30
# A request that died holding a job lets go of it this long after its time was up.
_GRACE_SECONDS = 60


def start(
    *, key: str, filename: str, content: bytes, title_case: bool, user, previewed_at=None
) -> ImportJob:
    """Record a confirmed upload as a job. Raises parse.UnreadableFile. `previewed_at`:
    when the organizer's preview read the directory (else now)."""
    ImportJob.objects.exclude(status=ImportJobStatus.RUNNING).filter(
        finished_at__lt=timezone.now() - timedelta(days=KEEP_DAYS)
    ).delete()
    rows = parse(content, filename).rows
    return ImportJob.objects.create(
        key=key,
        user=user,
        filename=filename[:255],
        title_case=title_case,
        content=content,
        total=len(rows),
        previewed_at=min(previewed_at or timezone.now(), timezone.now()),
    )


def unfinished():
    return ImportJob.objects.defer("content").filter(status=ImportJobStatus.RUNNING)


def _one_writer_at_a_time() -> None:
    """Chunks of every job, one at a time. SQLite's IMMEDIATE transactions already take
    the write lock when they begin; PostgreSQL takes this lock until the commit."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('directory.import'))")


def _why(row) -> str:
    if row.outcome == ERROR:
        return "; ".join(
            f"{column_label(column)}: {message}"
            for column, messages in row.errors.items()
            for message in messages
        )
    return row.message or _("it conflicts with newer changes.")


def _finish(job: ImportJob, status=ImportJobStatus.DONE) -> ImportJob:
    """The last rows are in (or an organizer stopped the job): what each revision's
    check would have done, once for all the rows written (its own step, as it reads the
    whole directory)."""
    signals.import_written.send(ImportJob, organization_ids=job.to_check)
    job.status, job.finished_at, job.content = status, timezone.now(), b""
    job.save()
    return job


def stop(job_id) -> ImportJob:
    """Stop a job after the rows written so far (waiting for a chunk being written)."""
    with transaction.atomic():
        _one_writer_at_a_time()
        job = ImportJob.objects.select_for_update().defer("content").get(pk=job_id)
        if not job.done:
            _finish(job, ImportJobStatus.STOPPED)
    return job


def _step(job_id, rows, user) -> ImportJob:
    """Write the next chunk of rows, or finish when they are all in."""
    with transaction.atomic():
        _one_writer_at_a_time()
        job = ImportJob.objects.select_for_update().defer("content").get(pk=job_id)
        if job.done:
            return job
        if job.position >= job.total:
            return _finish(job)
        chunk = rows[job.position : job.position + settings.IMPORT_CHUNK_ROWS]
        plan = plan_rows(
            chunk,
            title_case=job.title_case,
            written=job.written,
            created=frozenset(job.created),
            lock=True,
            since=job.previewed_at,
        )
        with signals.revision_checks_held():
            apply(
                ImportPlan(rows=[row for row in plan.rows if row.outcome != ERROR]),
                user=user,
                comment=_("Imported from the spreadsheet “%(name)s”") % {"name": job.filename},
            )
        job.to_check += [row.organization.pk for row in plan.writes]
        for row in plan.rows:
            if row.slug and row.outcome not in (ERROR, SKIPPED):
                job.written.setdefault(row.slug, row.number)
            if row.outcome == NEW:
                job.created.append(row.organization.pk)
        job.counts = dict(Counter(job.counts) + plan.counts)
        job.report += [
            {"row": row.number, "name": row.name or row.slug, "why": _why(row)}
            for row in plan.rows
            if row.outcome in (CONFLICT, SKIPPED, ERROR)
        ]
        job.position += len(chunk)
        job.problem = ""
        job.save(
            update_fields=[
                *("written", "created", "to_check", "counts", "report", "position"),
                *("problem", "updated_at"),
            ]
        )
        return job


def advance(job_id, *, user=None, seconds: float | None = None) -> ImportJob:
    """Write chunks of this job for about `seconds` (at least one chunk), unless another
    request is writing it now; the job as it stands after. The history names the
    organizer who confirmed the file, whoever keeps its page open (`user` only when
    that account is gone)."""
    seconds = settings.IMPORT_STEP_SECONDS if seconds is None else seconds
    now = timezone.now()
    taken = (
        ImportJob.objects.filter(pk=job_id, status=ImportJobStatus.RUNNING)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .update(lease_until=now + timedelta(seconds=seconds + _GRACE_SECONDS))
    )
    if not taken:
        return ImportJob.objects.defer("content").get(pk=job_id)
    began = time.monotonic()
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    author = job.user or user
    try:
        rows = parse(bytes(job.content), job.filename).rows
        while True:
            job = _step(job_id, rows, author)
            spent = time.monotonic() - began
            if job.done or spent >= seconds:
                break
            if job.position >= job.total and spent >= seconds / 2:
                break  # the check of the whole file: a step of its own, in the next request
    except Exception as error:  # a chunk that failed is rolled back whole; say so
        logger.exception("Import %s stopped at row %s", job_id, job.position)
        ImportJob.objects.filter(pk=job_id).update(problem=type(error).__name__[:200])
    finally:
        ImportJob.objects.filter(pk=job_id).update(lease_until=None)
    return ImportJob.objects.defer("content").get(pk=job_id)
