"""Community contributions and their moderation: suggestions, possible duplicates, the
duplicate check's memory and old addresses that redirect after a merge.

Services live in directory.contributions.services; the moderation admin there too.
"""

import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.models.fields import TypedTextModel
from directory.models.listings import Organization


class ChangeRequestKind(models.TextChoices):
    NEW_LISTING = "new", _("New listing")
    EDIT = "edit", _("Suggested edit")


class ChangeReason(models.TextChoices):
    WRONG = "wrong", _("Some information is wrong or missing")
    CLOSED = "closed", _("It has closed")
    DUPLICATE = "duplicate", _("It is listed twice")
    OTHER = "other", _("Something else")


class ChangeRequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    MERGED = "merged", _("Closed by a merge")


class ChangeRequestQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=ChangeRequestStatus.PENDING)

    def for_queue(self):
        """The moderation queue: newest first, with what the list shows."""
        return self.select_related("organization", "organization__type").order_by(
            "-created_at", "-pk"
        )


@reversion.register()
class ChangeRequest(TypedTextModel):
    """A suggestion from the public: a new listing (the organization itself waits in
    *pending review*) or an edit to a listing, which is stored, never applied, until
    an organizer approves it. Who sent it is private."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="change_requests",
    )
    # Kept so the request still reads well after a rejected new listing is deleted.
    organization_name = models.CharField(_("organization name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=4, choices=ChangeRequestKind.choices)
    reason = models.CharField(_("reason"), max_length=10, choices=ChangeReason.choices, blank=True)
    proposed = models.JSONField(
        _("proposed values"),
        default=dict,
        blank=True,
        help_text=_("Only the fields the person changed, by field name."),
    )
    message = models.TextField(_("message"), blank=True, max_length=2000)
    duplicate_of = models.ForeignKey(
        Organization,
        verbose_name=_("reported duplicate of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitter_name = models.CharField(_("submitter's name (private)"), max_length=100, blank=True)
    submitter_email = models.EmailField(_("submitter's email (private)"), blank=True)
    submitter_is_member = models.BooleanField(_("submitter is part of the organization"))
    from_verified_contact = models.BooleanField(
        _("sent through a verification link"),
        default=False,
        help_text=_("The organization's contact opened the link we emailed them."),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ChangeRequestStatus.choices,
        default=ChangeRequestStatus.PENDING,
    )
    applied = models.JSONField(
        _("applied values"),
        default=dict,
        blank=True,
        help_text=_("What the organizer applied, when it differs from the proposal."),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decision_note = models.TextField(_("reason for the decision"), blank=True, max_length=2000)
    revision = models.ForeignKey(
        "reversion.Revision",
        verbose_name=_("revision"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("received"), default=timezone.now)
    notified_at = models.DateTimeField(_("organizers notified"), null=True, blank=True)

    objects = ChangeRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions to review")
        indexes = [
            models.Index(fields=["status", "-created_at"], name="changerequest_queue_idx"),
            models.Index(fields=["notified_at"], name="changerequest_notified_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ChangeRequestKind.values), name="changerequest_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ChangeRequestStatus.values),
                name="changerequest_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind=ChangeRequestKind.NEW_LISTING, reason="")
                | Q(kind=ChangeRequestKind.EDIT, reason__in=ChangeReason.values),
                name="changerequest_reason_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(status=ChangeRequestStatus.PENDING, decided_at__isnull=True)
                | (~Q(status=ChangeRequestStatus.PENDING) & Q(decided_at__isnull=False)),
                name="changerequest_decided_when_not_pending",
            ),
        ]

    def __str__(self):
        if self.kind == ChangeRequestKind.NEW_LISTING:
            return _("New listing: %(name)s") % {"name": self.organization_name}
        return _("Edit to %(name)s: %(reason)s") % {
            "name": self.organization_name,
            "reason": self.get_reason_display(),
        }

    def clean(self):
        super().clean()
        if self.kind == ChangeRequestKind.NEW_LISTING and self.reason:
            raise ValidationError({"reason": _("A new listing has no reason.")})
        if self.kind == ChangeRequestKind.EDIT and not self.reason:
            raise ValidationError({"reason": _("Choose why the listing should change.")})

    @property
    def is_pending(self) -> bool:
        return self.status == ChangeRequestStatus.PENDING


class DuplicateReason(models.TextChoices):
    SAME_WEBSITE = "same_website", _("Same website")
    SAME_PHONE = "same_phone", _("Same phone number")
    SIMILAR_NAME_NEARBY = "similar_name_nearby", _("Similar name, within 0.4 km")
    SAME_NAME = "same_name", _("Same name (one has no map point)")
    SAME_NAME_CITY = "same_name_city", _("Same name, same city")
    REPORTED = "reported", _("Reported by a visitor")


class PossibleDuplicateStatus(models.TextChoices):
    OPEN = "open", _("To review")
    DISMISSED = "dismissed", _("Not the same organization")


class PossibleDuplicateQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=PossibleDuplicateStatus.OPEN)

    def involving(self, organization: "Organization"):
        return self.filter(Q(organization=organization) | Q(similar_to=organization))


class PossibleDuplicate(models.Model):
    """Two listings that look like the same organization. Stored once per pair (lower
    primary key first); a dismissed pair is never flagged again."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="+", verbose_name=_("listing")
    )
    similar_to = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="+", verbose_name=_("similar to")
    )
    reasons = models.JSONField(_("why"), default=list)
    distance_km = models.FloatField(_("distance (km)"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=PossibleDuplicateStatus.choices,
        default=PossibleDuplicateStatus.OPEN,
    )
    created_at = models.DateTimeField(_("flagged"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = PossibleDuplicateQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "similar_to"], name="unique_possible_duplicate_pair"
            ),
            models.CheckConstraint(
                condition=Q(organization__lt=F("similar_to")),
                name="possible_duplicate_pair_ordered",
            ),
            models.CheckConstraint(
                condition=Q(status__in=PossibleDuplicateStatus.values),
                name="possible_duplicate_status_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="possible_duplicate_queue_idx"),
        ]

    def __str__(self):
        return _("%(a)s / %(b)s") % {"a": self.organization, "b": self.similar_to}

    def clean(self):
        super().clean()
        if self.organization_id and self.organization_id == self.similar_to_id:
            raise ValidationError(_("A listing cannot be a duplicate of itself."))

    def other(self, organization: "Organization") -> "Organization":
        return self.similar_to if organization.pk == self.organization_id else self.organization

    def reason_labels(self) -> list[str]:
        return [
            str(DuplicateReason(code).label)
            for code in self.reasons
            if code in DuplicateReason.values
        ]


class DuplicateScan(models.Model):
    """What an organization's duplicate check last looked at (name, website, phone and
    points, hashed), so saving a listing without changing those skips the check."""

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    fingerprint = models.CharField(max_length=64)
    scanned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("duplicate check")
        verbose_name_plural = _("duplicate checks")

    def __str__(self):
        return f"{self.organization_id}: {self.fingerprint[:12]}"


class SlugRedirect(models.Model):
    """An old listing address that now leads to another listing (after a merge)."""

    old_slug = models.SlugField(_("old slug"), max_length=200, unique=True)
    old_name = models.CharField(_("old name"), max_length=200, blank=True)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("now shown as"),
        # Deleting the listing keeps its old addresses: they lead nowhere (404) while it
        # is deleted and work again when it is recovered from the history (same id).
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="slug_redirects",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("merged by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("old address redirect")
        verbose_name_plural = _("old address redirects")

    def __str__(self):
        return f"/{self.old_slug}/ → {self.organization}"
