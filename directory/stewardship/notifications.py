"""Emails to organizers about new suggestions and listings that need attention.

The first suggestion after a quiet spell is mailed at once; suggestions that arrive
within NOTIFY_DIGEST_MINUTES of the last mail wait and go out together as one digest,
sent by the next suggestion after the window or by `send_moderation_digest` (cron).
So organizers never get more than one mail per window, whatever the traffic. A mail
server that fails is logged and the suggestions stay waiting for the next attempt.
"""

import datetime
import logging
import smtplib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from directory.core.links import absolute_url
from directory.models import ChangeRequest, MailThrottle

logger = logging.getLogger(__name__)

ORGANIZERS_GROUP = "Organizers"
SUGGESTIONS_THROTTLE = "organizer-suggestions"
MAX_DIGEST_ITEMS = 200
MAIL_ERRORS = (smtplib.SMTPException, OSError)


def organizer_emails() -> list[str]:
    """ORGANIZER_EMAILS when set, otherwise the active members of the Organizers group."""
    if settings.ORGANIZER_EMAILS:
        return list(settings.ORGANIZER_EMAILS)
    users = (
        get_user_model()
        .objects.filter(groups__name=ORGANIZERS_GROUP, is_active=True)
        .exclude(email="")
    )
    return sorted(set(users.values_list("email", flat=True)))


def one_line(text: str) -> str:
    """Email subjects cannot hold line breaks (Django refuses them)."""
    return " ".join(str(text).split())


def _claim(key: str, window: datetime.timedelta) -> bool:
    """Take the right to send now; False when a mail went out within the window."""
    now = timezone.now()
    # get_or_create survives two processes creating the row at once; the conditional
    # UPDATE then lets exactly one of them through.
    MailThrottle.objects.get_or_create(key=key, defaults={"next_allowed_at": now})
    claimed = MailThrottle.objects.filter(key=key, next_allowed_at__lte=now).update(
        next_allowed_at=now + window
    )
    return claimed == 1


def _release(key: str) -> None:
    MailThrottle.objects.filter(key=key).update(next_allowed_at=timezone.now())


def _review_url(change_request: ChangeRequest) -> str:
    return absolute_url(reverse("admin:directory_changerequest_change", args=[change_request.pk]))


def notify_organizers() -> int:
    """Mail organizers the suggestions not yet mailed: one email for one suggestion,
    a digest for several, nothing inside the throttle window. Returns how many
    suggestions the mail covered (0 when nothing was sent)."""
    waiting = ChangeRequest.objects.pending().filter(notified_at__isnull=True)
    if not waiting.exists():
        return 0
    recipients = organizer_emails()
    if not recipients:
        logger.warning(
            "New suggestions are waiting but no organizer has an email address "
            "(set ORGANIZER_EMAILS or add emails to the Organizers group)."
        )
        return 0
    window = datetime.timedelta(minutes=settings.NOTIFY_DIGEST_MINUTES)
    if not _claim(SUGGESTIONS_THROTTLE, window):
        return 0
    requests = list(waiting.for_queue()[:MAX_DIGEST_ITEMS])
    total = waiting.count()
    context = {
        "requests": [(request, _review_url(request)) for request in requests],
        "total": total,
        "queue_url": absolute_url(reverse("admin:directory_changerequest_changelist")),
        "window": settings.NOTIFY_DIGEST_MINUTES,
        "SITE_NAME": settings.SITE_NAME,
    }
    template = "email/new_suggestion" if len(requests) == 1 else "email/suggestion_digest"
    message = EmailMessage(
        subject=one_line(render_to_string(f"{template}_subject.txt", context)),
        body=render_to_string(f"{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=recipients,
    )
    try:
        message.send()
    except MAIL_ERRORS:
        logger.exception("Could not email organizers about %d suggestion(s)", len(requests))
        _release(SUGGESTIONS_THROTTLE)
        return 0
    ChangeRequest.objects.filter(pk__in=[request.pk for request in requests]).update(
        notified_at=timezone.now()
    )
    return len(requests)


def notify_organizers_safely() -> None:
    """For use after a submission: whatever goes wrong with mail, the person's
    suggestion is already saved, so it is logged and never shown to them."""
    try:
        notify_organizers()
    except Exception:
        logger.exception("Notifying organizers failed; the suggestion is saved and waiting")


def mail_organizers(*, subject: str, template: str, context: dict) -> bool:
    """One plain-text email to all organizers; False (and logged) when it failed."""
    recipients = organizer_emails()
    if not recipients:
        logger.warning("No organizer email address to send %r to", subject)
        return False
    message = EmailMessage(
        subject=one_line(subject),
        body=render_to_string(template, {"SITE_NAME": settings.SITE_NAME, **context}),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=recipients,
    )
    try:
        message.send()
    except MAIL_ERRORS:
        logger.exception("Could not email organizers: %s", subject)
        return False
    return True
