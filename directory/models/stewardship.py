"""Keeping listings fresh: verification emails and the organizer mail throttle.

Services live in directory.stewardship.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.models.listings import Organization


class VerificationAnswer(models.TextChoices):
    CONFIRMED = "confirmed", _("Still accurate")
    EDIT = "edit", _("Suggested an edit")


class VerificationRequestQuerySet(models.QuerySet):
    def unanswered(self):
        return self.filter(answered_at__isnull=True)


class VerificationRequest(models.Model):
    """One email asking an organization's contact whether its listing is still right."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="verification_requests",
    )
    email = models.EmailField(_("sent to"))
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answer = models.CharField(
        _("answer"), max_length=10, choices=VerificationAnswer.choices, blank=True
    )
    # Each use of the link works once: "still accurate" once, one suggested edit once.
    confirmed_at = models.DateTimeField(
        _("confirmed still accurate"),
        null=True,
        blank=True,
        help_text=_('When the link\'s "still accurate" button was used (it works once).'),
    )
    edit_sent_at = models.DateTimeField(
        _("edit sent"),
        null=True,
        blank=True,
        help_text=_("When an edit was sent through the link (it works once)."),
    )
    flagged_at = models.DateTimeField(
        _("flagged for organizers"),
        null=True,
        blank=True,
        help_text=_("Set when the contact had not answered for ARCHIVE_AFTER_MONTHS."),
    )

    objects = VerificationRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("verification request")
        verbose_name_plural = _("verification requests")
        indexes = [
            models.Index(fields=["organization", "-sent_at"], name="verification_org_sent_idx"),
            models.Index(fields=["answered_at", "sent_at"], name="verification_open_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True, answer="")
                | Q(answered_at__isnull=False, answer__in=VerificationAnswer.values),
                name="verification_answer_with_date",
            ),
        ]

    def __str__(self):
        return _("%(organization)s, sent %(date)s") % {
            "organization": self.organization,
            "date": self.sent_at.date(),
        }


class MailThrottle(models.Model):
    """When a kind of organizer email may next be sent. A conditional UPDATE claims the
    slot, so two processes never both send inside one window."""

    key = models.SlugField(max_length=60, unique=True)
    next_allowed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("mail throttle")
        verbose_name_plural = _("mail throttles")

    def __str__(self):
        return f"{self.key}: {self.next_allowed_at:%Y-%m-%d %H:%M}"
