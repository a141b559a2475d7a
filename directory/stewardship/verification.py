"""Keeping listings fresh: ask each stale listing's contact whether it is still right.

A published listing not verified for VERIFY_AFTER_MONTHS gets an email with a signed
link (django.core.signing, valid VERIFICATION_LINK_DAYS): one button confirms "still
accurate", another opens the suggest-edit form pre-authorized as the contact. The
link's page asks for the click rather than confirming on open, because mail
scanners open links by themselves. Unanswered requests are re-sent when the link has
expired; a listing whose contact has not answered for ARCHIVE_AFTER_MONTHS is flagged
for organizers, never archived by itself.
"""

import datetime
import logging
from dataclasses import dataclass

import reversion
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.core.links import absolute_url
from directory.models import (
    Organization,
    VerificationAnswer,
    VerificationRequest,
)
from directory.stewardship.notifications import MAIL_ERRORS, mail_organizers, one_line

logger = logging.getLogger(__name__)

_SALT = "directory.verification"


class LinkInvalid(Exception):
    """The link was altered, or does not belong to this listing."""


class LinkExpired(LinkInvalid):
    """The link is genuine but older than VERIFICATION_LINK_DAYS."""


def link_lifetime() -> datetime.timedelta:
    return datetime.timedelta(days=settings.VERIFICATION_LINK_DAYS)


def make_token(request: VerificationRequest) -> str:
    return signing.dumps({"r": request.pk, "o": request.organization_id}, salt=_SALT)


def read_token(token: str, *, organization: Organization) -> VerificationRequest:
    """The verification request a link stands for. Raises LinkExpired or LinkInvalid."""
    try:
        data = signing.loads(token, salt=_SALT, max_age=link_lifetime())
    except signing.SignatureExpired:
        raise LinkExpired from None
    except signing.BadSignature:
        raise LinkInvalid from None
    if not isinstance(data, dict) or data.get("o") != organization.pk:
        raise LinkInvalid
    request = VerificationRequest.objects.filter(pk=data.get("r"), organization=organization)
    found = request.select_related("organization").first()
    if found is None:
        raise LinkInvalid
    return found


def read_link(token: str, organization: Organization):
    """(verification request, problem) for a link's token: problem is "expired",
    "invalid" or None; (None, None) when there is no token."""
    if not token:
        return None, None
    try:
        return read_token(token, organization=organization), None
    except LinkExpired:
        return None, "expired"
    except LinkInvalid:
        return None, "invalid"


def read_edit_link(token: str, organization: Organization):
    """read_link for the edit form: a link whose one edit was sent already is "used",
    and the form is then an ordinary suggestion (fill time and rate limit apply)."""
    request, problem = read_link(token, organization)
    if request is not None and request.edit_sent_at is not None:
        return None, "used"
    return request, problem


def confirm_path(request: VerificationRequest) -> str:
    return reverse(
        "directory:verify",
        kwargs={"slug": request.organization.slug, "token": make_token(request)},
    )


def edit_path(request: VerificationRequest) -> str:
    path = reverse("directory:suggest-edit", kwargs={"slug": request.organization.slug})
    return f"{path}?verification={make_token(request)}"


def contact_email(organization: Organization) -> str:
    return organization.internal_contact_email or organization.email


def confirm(request: VerificationRequest) -> bool:
    """The contact says the listing is still accurate: verified today, recorded in
    the listing's history, and every open request for it answered. False, with
    nothing changed, when this link's button was used already (it works once; of two
    clicks at once, one counts)."""
    organization = request.organization
    now = timezone.now()
    with transaction.atomic():
        claimed = VerificationRequest.objects.filter(
            pk=request.pk, confirmed_at__isnull=True
        ).update(confirmed_at=now)
        if not claimed:
            return False
        with reversion.create_revision(atomic=False):
            reversion.set_comment(_("Confirmed still accurate by its contact (verification link)"))
            organization.last_verified = timezone.localdate(now)
            organization.save(update_fields=["last_verified", "updated_at"])
        VerificationRequest.objects.filter(
            organization=organization, answered_at__isnull=True
        ).update(answered_at=now, answer=VerificationAnswer.CONFIRMED)
    return True


def record_edit(request: VerificationRequest) -> None:
    """An edit was sent through the link: call inside the transaction that stores it.
    Raises ValidationError when the link's one edit was sent already (two sends at
    once: one counts; the other person is asked to send again, as an ordinary
    suggestion), so that edit is not stored."""
    now = timezone.now()
    claimed = VerificationRequest.objects.filter(pk=request.pk, edit_sent_at__isnull=True).update(
        edit_sent_at=now
    )
    if not claimed:
        raise ValidationError(
            _(
                "An edit was sent through this email's link a moment ago, and the link "
                "works once. Send the form again and it goes to organizers as an "
                "ordinary suggestion."
            ),
            code="link_used",
        )
    VerificationRequest.objects.filter(
        organization_id=request.organization_id, answered_at__isnull=True
    ).update(answered_at=now, answer=VerificationAnswer.EDIT)


def due_for_verification(*, now: datetime.datetime | None = None):
    """Published, stale listings with a contact email and no request sent within the
    link's lifetime (so a re-run the same day sends nothing)."""
    now = now or timezone.now()
    recent = VerificationRequest.objects.filter(
        organization=OuterRef("pk"), sent_at__gt=now - link_lifetime()
    )
    return (
        Organization.objects.published()
        .stale(today=timezone.localdate(now))
        .exclude(Q(internal_contact_email="") & Q(email=""))
        .exclude(Exists(recent))
        .order_by("last_verified", "pk")
    )


def needing_attention(*, now: datetime.datetime | None = None):
    """Published, stale listings whose contact has not answered a request sent more
    than ARCHIVE_AFTER_MONTHS ago."""
    now = now or timezone.now()
    cutoff = now - relativedelta(months=settings.ARCHIVE_AFTER_MONTHS)
    unanswered = VerificationRequest.objects.filter(
        organization=OuterRef("pk"), answered_at__isnull=True, sent_at__lte=cutoff
    )
    return (
        Organization.objects.published()
        .stale(today=timezone.localdate(now))
        .filter(Exists(unanswered))
    )


@dataclass
class RunSummary:
    sent: int = 0
    failed: int = 0
    flagged: int = 0


def _message(request: VerificationRequest) -> EmailMessage:
    organization = request.organization
    context = {
        "organization": organization,
        "confirm_url": absolute_url(confirm_path(request)),
        "edit_url": absolute_url(edit_path(request)),
        "public_url": absolute_url(organization.get_absolute_url()),
        "expires": timezone.localdate(request.sent_at + link_lifetime()),
        "SITE_NAME": settings.SITE_NAME,
    }
    return EmailMessage(
        subject=one_line(render_to_string("email/verification_request_subject.txt", context)),
        body=render_to_string("email/verification_request.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[request.email],
    )


def _claim_request(organization_pk: int, now: datetime.datetime) -> VerificationRequest | None:
    """Record a request for this listing unless another run just did (checked under a
    row lock, so two runs at once never both email it)."""
    with transaction.atomic():
        organization = (
            due_for_verification(now=now).select_for_update().filter(pk=organization_pk).first()
        )
        if organization is None:
            return None
        return VerificationRequest.objects.create(
            organization=organization, email=contact_email(organization), sent_at=now
        )


def send_verification_requests(
    *, dry_run: bool = False, limit: int | None = None, now: datetime.datetime | None = None
) -> RunSummary:
    """Email every listing that is due, then flag those whose contacts stay silent.
    Safe to run again: nothing is sent twice within a link's lifetime."""
    now = now or timezone.now()
    summary = RunSummary()
    due = list(due_for_verification(now=now).values_list("pk", flat=True)[:limit])
    if dry_run:
        summary.sent = len(due)
    else:
        connection = get_connection()
        for organization_pk in due:
            request = _claim_request(organization_pk, now)
            if request is None:
                continue
            try:
                connection.send_messages([_message(request)])
            except MAIL_ERRORS:
                logger.exception("Could not send the verification request to %s", request.email)
                request.delete()  # so the next run tries again
                summary.failed += 1
                continue
            summary.sent += 1
    summary.flagged = flag_unanswered(dry_run=dry_run, now=now)
    return summary


def flag_unanswered(*, dry_run: bool = False, now: datetime.datetime | None = None) -> int:
    """Flag, and tell organizers about, listings whose contact has not answered for
    ARCHIVE_AFTER_MONTHS. Each listing is reported once; nothing is archived."""
    now = now or timezone.now()
    newly = needing_attention(now=now).exclude(
        Exists(
            VerificationRequest.objects.filter(
                organization=OuterRef("pk"), flagged_at__isnull=False, answered_at__isnull=True
            )
        )
    )
    organizations = list(newly.order_by("name"))
    if dry_run or not organizations:
        return len(organizations)
    cutoff = now - relativedelta(months=settings.ARCHIVE_AFTER_MONTHS)
    VerificationRequest.objects.filter(
        organization__in=organizations, answered_at__isnull=True, sent_at__lte=cutoff
    ).update(flagged_at=now)
    mail_organizers(
        subject=_("%(count)d listing(s) have not answered verification requests")
        % {"count": len(organizations)},
        template="email/verification_flagged.txt",
        context={
            "organizations": [
                (
                    organization,
                    absolute_url(
                        reverse("admin:directory_organization_change", args=[organization.pk])
                    ),
                )
                for organization in organizations
            ],
            "months": settings.ARCHIVE_AFTER_MONTHS,
            "queue_url": absolute_url(
                reverse("admin:directory_verificationrequest_changelist") + "?attention=yes"
            ),
        },
    )
    return len(organizations)
