"""Writes for public contributions and their moderation.

A suggested listing becomes an Organization in *pending review* (so it is nowhere
public) plus a ChangeRequest holding who sent it. A suggested edit is only a
ChangeRequest: nothing changes until an organizer approves it, and then the change is
applied as one django-reversion revision by that organizer, linked from the request.
Rejections and dismissals are recorded the same way; merging is
directory.contributions.merge.
"""

import logging
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import reversion
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from reversion.models import Version

from directory.contributions import proposals
from directory.core.languages import original_language
from directory.listings import slugs
from directory.models import (
    ChangeReason,
    ChangeRequest,
    ChangeRequestKind,
    ChangeRequestStatus,
    DuplicateReason,
    Location,
    Organization,
    OrganizationStatus,
    PossibleDuplicate,
    PossibleDuplicateStatus,
    VerificationRequest,
)
from directory.stewardship import verification as verification_links
from directory.stewardship.notifications import notify_organizers_safely

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Submitter:
    name: str = ""
    email: str = ""
    is_member: bool = False


# Submissions --------------------------------------------------------------------------


def _notify_after_commit():
    transaction.on_commit(notify_organizers_safely)


# Whatever language the visitor reads the site in, what is stored (the listing's
# original text, the organizers' notes and history) is written as the original.
@original_language()
def submit_listing(
    *, values: dict, location: Location | None, submitter: Submitter
) -> ChangeRequest:
    """Create the suggested listing in *pending review* and its request for review."""
    with transaction.atomic(), reversion.create_revision(atomic=False):
        reversion.set_comment(_("Suggested by the public"))
        organization = proposals.new_organization(
            values,
            slug=slugs.available_slug(values["name"]),
            status=OrganizationStatus.PENDING,
            source=(
                _("Suggested by a member of the organization")
                if submitter.is_member
                else _("Suggested by a visitor")
            ),
        )
        if submitter.is_member:
            organization.internal_contact_name = submitter.name
            organization.internal_contact_email = submitter.email
        organization.full_clean()
        organization.save()
        proposals.set_relations(organization, values)
        if location is not None:
            location.organization = organization
            location.full_clean()
            location.save()
        # Saved again so the revision holds the languages, sectors and service area.
        reversion.add_to_revision(organization)
        change_request = ChangeRequest(
            organization=organization,
            organization_name=organization.name,
            kind=ChangeRequestKind.NEW_LISTING,
            submitter_name=submitter.name,
            submitter_email=submitter.email,
            submitter_is_member=submitter.is_member,
        )
        change_request.full_clean()
        change_request.save()
    _notify_after_commit()
    return change_request


_SLUG_IN_PATH = re.compile(r"/organizations/([-a-zA-Z0-9_]+)/?")


def resolve_listing_reference(text: str) -> Organization | None:
    """The published listing a person pointed at, by its web address or exact name."""
    text = (text or "").strip()
    if not text:
        return None
    match = _SLUG_IN_PATH.search(urlsplit(text).path or text)
    published = Organization.objects.published()
    if match:
        found = published.filter(slug=match.group(1)).first()
        if found:
            return found
    return published.filter(name__iexact=text).first()


@original_language()
def submit_change_request(
    *,
    organization: Organization,
    reason: str,
    proposed: dict,
    message: str,
    duplicate_of_text: str,
    submitter: Submitter,
    verification: VerificationRequest | None = None,
) -> ChangeRequest:
    """Store a suggested edit or problem report for review; the listing is unchanged."""
    duplicate_of = None
    if reason == ChangeReason.DUPLICATE:
        duplicate_of = resolve_listing_reference(duplicate_of_text)
        if duplicate_of == organization:
            duplicate_of = None
    if duplicate_of_text and duplicate_of is None:
        message = "\n\n".join(
            part
            for part in (message, _("Other listing: %(text)s") % {"text": duplicate_of_text})
            if part
        )
    with transaction.atomic(), reversion.create_revision(atomic=False):
        reversion.set_comment(_("Suggested by the public"))
        change_request = ChangeRequest(
            organization=organization,
            organization_name=organization.name,
            kind=ChangeRequestKind.EDIT,
            reason=reason,
            proposed=proposed,
            message=message[:2000],
            duplicate_of=duplicate_of,
            submitter_name=submitter.name,
            # The contact our email went to, privately, unless they gave another.
            submitter_email=submitter.email or (verification.email if verification else ""),
            submitter_is_member=submitter.is_member,
            from_verified_contact=verification is not None,
        )
        change_request.full_clean()
        if verification is not None:
            verification_links.record_edit(verification)
        change_request.save()
        if duplicate_of is not None:
            _flag_reported_duplicate(organization, duplicate_of)
    _notify_after_commit()
    return change_request


def _flag_reported_duplicate(first: Organization, second: Organization) -> None:
    low, high = sorted((first.pk, second.pk))
    pair, created = PossibleDuplicate.objects.get_or_create(
        organization_id=low,
        similar_to_id=high,
        defaults={"reasons": [DuplicateReason.REPORTED]},
    )
    if not created and DuplicateReason.REPORTED not in pair.reasons:
        pair.reasons = [*pair.reasons, DuplicateReason.REPORTED]
        pair.save(update_fields=["reasons"])


# Decisions ----------------------------------------------------------------------------


def _lock_pending(change_request: ChangeRequest) -> ChangeRequest:
    # of=("self",): PostgreSQL cannot lock the nullable side of the listing's join.
    locked = (
        ChangeRequest.objects.select_for_update(of=("self",))
        .select_related("organization")
        .get(pk=change_request.pk)
    )
    if not locked.is_pending:
        raise ValidationError(
            _("This suggestion was already decided (%(status)s).")
            % {"status": locked.get_status_display()}
        )
    return locked


def _link_revision(change_request: ChangeRequest) -> None:
    revision_id = (
        Version.objects.get_for_object(change_request).values_list("revision_id", flat=True).first()
    )
    ChangeRequest.objects.filter(pk=change_request.pk).update(revision_id=revision_id)
    change_request.revision_id = revision_id


def approve(
    *, change_request: ChangeRequest, user: AbstractBaseUser, values: dict | None = None
) -> ChangeRequest:
    """Apply the request as one revision by `user`: a new listing is published, a
    "has closed" report archives the listing, an edit applies the proposed values
    (or `values`, the organizer's corrected version of them)."""
    today = timezone.localdate()
    with transaction.atomic():
        request = _lock_pending(change_request)
        organization = request.organization
        if organization is None:
            raise ValidationError(_("The listing this suggestion is about no longer exists."))
        with reversion.create_revision(atomic=False):
            reversion.set_user(user)
            if request.kind == ChangeRequestKind.NEW_LISTING:
                organization.status = OrganizationStatus.PUBLISHED
                if request.submitter_is_member:
                    organization.last_verified = today
                comment = _("Approved new listing (suggestion #%(id)d)")
            elif request.reason == ChangeReason.CLOSED:
                organization.status = OrganizationStatus.ARCHIVED
                comment = _("Archived: approved report that it has closed (suggestion #%(id)d)")
            else:
                applied = request.proposed if values is None else values
                organization = proposals.apply(organization, applied)
                if applied != request.proposed:
                    request.applied = applied
                comment = _("Approved suggested edit (suggestion #%(id)d)")
            if request.from_verified_contact:
                organization.last_verified = today
            organization.full_clean(validate_unique=False)
            organization.save()
            request.status = ChangeRequestStatus.APPROVED
            request.decided_at = timezone.now()
            request.decided_by = user
            request.save()
            reversion.set_comment(comment % {"id": request.pk})
        _link_revision(request)
    return request


def reject(*, change_request: ChangeRequest, user: AbstractBaseUser, note: str) -> ChangeRequest:
    """Record the rejection with its reason; the listing is left as it is. A rejected
    new listing still waiting in *pending review* is deleted (organizers can still
    recover it from the history); one an organizer has published or archived meanwhile
    is a decision already taken, and is never deleted."""
    if not note.strip():
        raise ValidationError({"decision_note": _("Say why it is rejected.")})
    with transaction.atomic():
        request = _lock_pending(change_request)
        organization = request.organization
        with reversion.create_revision(atomic=False):
            reversion.set_user(user)
            reversion.set_comment(
                _("Rejected suggestion #%(id)d: %(note)s") % {"id": request.pk, "note": note}
            )
            request.status = ChangeRequestStatus.REJECTED
            request.decided_at = timezone.now()
            request.decided_by = user
            request.decision_note = note
            request.save()
            if (
                organization is not None
                and request.kind == ChangeRequestKind.NEW_LISTING
                and organization.status == OrganizationStatus.PENDING
            ):
                organization.delete()
            elif organization is not None:
                # Recorded in the listing's own history too, unchanged.
                reversion.add_to_revision(organization)
        _link_revision(request)
    return request


def dismiss_duplicate(*, pair: PossibleDuplicate, user: AbstractBaseUser) -> None:
    """Organizers say the two listings are different organizations; never re-flagged."""
    PossibleDuplicate.objects.filter(pk=pair.pk).update(
        status=PossibleDuplicateStatus.DISMISSED, decided_at=timezone.now(), decided_by=user
    )
