"""Writes for public contributions and their moderation.

A suggested listing becomes an Organization in *pending review* (so it is nowhere
public) plus a ChangeRequest holding who sent it. A suggested edit is only a
ChangeRequest: nothing changes until an organizer approves it, and then the change is
applied as one django-reversion revision by that organizer, linked from the request.
Rejections, merges and dismissals are recorded the same way.
"""

import functools
import logging
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import reversion
import zipcodes
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from reversion.models import Version

from directory.contributions.duplicates import distance_km
from directory.contributions.forms import (
    ADDRESS_FIELDS,
    LOCATION_FIELDS,
    MULTIPLE_FIELDS,
    ORGANIZATION_FIELDS,
    public_field,
)
from directory.core.geocoding import ZipPlace, lookup_zip
from directory.core.region import REGION_BOUNDS, State
from directory.listings import services, slugs
from directory.models import (
    AcceptingMembers,
    ChangeReason,
    ChangeRequest,
    ChangeRequestKind,
    ChangeRequestStatus,
    DuplicateReason,
    Jurisdiction,
    Language,
    Location,
    MembershipModel,
    Organization,
    OrganizationStatus,
    OrganizationType,
    PointSource,
    PossibleDuplicate,
    PossibleDuplicateStatus,
    Precision,
    Sector,
    SlugRedirect,
    SocialLink,
    VerificationRequest,
)
from directory.stewardship import verification as verification_links

logger = logging.getLogger(__name__)

SCALAR_FIELDS = [name for name in ORGANIZATION_FIELDS if name not in MULTIPLE_FIELDS]
M2M_MODELS = {
    "languages": (Language, "code"),
    "sectors": (Sector, "slug"),
    "service_area": (Jurisdiction, "fips"),
}
NUMBER_FIELDS = {"year_founded", "member_count"}
# Fields copied from a merged duplicate when the surviving listing has none.
FILLABLE_ON_MERGE = [
    "summary",
    "description",
    "website",
    "email",
    "phone",
    "year_founded",
    "membership_model",
    "how_to_join",
    "eligibility",
    "member_count",
    "internal_contact_name",
    "internal_contact_email",
    "internal_contact_phone",
]


@dataclass(frozen=True)
class Submitter:
    name: str = ""
    email: str = ""
    is_member: bool = False


# Locations ----------------------------------------------------------------------------


@functools.cache
def _region_zip_places() -> list[tuple[float, float, str]]:
    places = []
    for state in State.values:
        for row in zipcodes.filter_by(state=state, zip_code_type="STANDARD", active=True):
            latitude, longitude = float(row["lat"]), float(row["long"])
            if REGION_BOUNDS.contains(latitude, longitude):
                places.append((latitude, longitude, row["zip_code"]))
    return places


def nearest_zip_place(latitude: float, longitude: float) -> ZipPlace:
    """The ZIP code whose centre is nearest a dropped pin: its city, state and county
    stand in for an address the person did not type."""
    _lat, _lng, zip_code = min(
        _region_zip_places(),
        key=lambda place: distance_km((latitude, longitude), (place[0], place[1])),
    )
    return lookup_zip(zip_code)


def build_suggested_location(
    *,
    street_address: str,
    zip_code: str,
    latitude: float | None,
    longitude: float | None,
    precision: str,
) -> Location | None:
    """An unsaved primary location from what the person gave: a ZIP code (geocoded as
    organizers' are), a dropped pin, or both. None when they gave neither (the listing
    is then found by its service area). Raises ValidationError keyed by form field."""
    has_pin = latitude is not None or longitude is not None
    if not zip_code and not has_pin:
        return None
    if has_pin and (latitude is None or longitude is None):
        raise ValidationError({"latitude": _("The pin needs both a latitude and a longitude.")})
    location = Location(
        is_primary=True,
        street_address=street_address,
        zip_code=zip_code,
        precision=precision,
        latitude=latitude,
        longitude=longitude,
        point_source=PointSource.PIN if has_pin else "",
    )
    if has_pin and not REGION_BOUNDS.contains(latitude, longitude):
        raise ValidationError(
            {"latitude": _("The pin is outside DC, Maryland and Virginia. Move it onto the map.")}
        )
    if zip_code:
        services.locate(location)
    else:
        place = nearest_zip_place(latitude, longitude)
        location.state, location.city = place.state, place.city
        location.jurisdiction = Jurisdiction.objects.filter(fips=place.county_fips).first()
    location.full_clean(exclude=["organization"])
    return location


# Values: what a form proposes, what a listing shows ----------------------------------


def _primary_location(organization: Organization) -> Location | None:
    return organization.locations.order_by("-is_primary", "pk").first()


def public_values(organization: Organization) -> tuple[dict, bool]:
    """The listing's proposable values as the public sees them, and whether its street
    address and ZIP are public (they are withheld unless the precision is exact)."""
    values = {}
    for name in SCALAR_FIELDS:
        value = getattr(organization, name)
        values[name] = organization.type.slug if name == "type" else value
    for name, (_model, key) in M2M_MODELS.items():
        values[name] = sorted(getattr(organization, name).values_list(key, flat=True))
    location = _primary_location(organization)
    address_public = location is None or location.precision == Precision.EXACT
    for name in LOCATION_FIELDS:
        if location is None:
            values[name] = Precision.EXACT if name == "precision" else ""
        elif name in ADDRESS_FIELDS and not address_public:
            values[name] = ""
        else:
            values[name] = getattr(location, name)
    return values, address_public


def _normalized(value):
    if isinstance(value, list | tuple):
        return sorted(str(item) for item in value)
    if value is None:
        return ""
    return value.strip() if isinstance(value, str) else value


def changed_values(current: dict, submitted: dict, *, address_public: bool) -> dict:
    """Only the fields whose submitted value differs from today's. An address the
    public cannot see counts as changed only when something was typed into it."""
    changed = {}
    for name, value in submitted.items():
        if name not in current:
            continue
        if not address_public and name in ADDRESS_FIELDS and not value:
            continue
        if _normalized(value) != _normalized(current[name]):
            changed[name] = sorted(value) if isinstance(value, list) else value
    return changed


def _prepare(organization: Organization, values: dict) -> tuple[Organization, Location | None]:
    """A copy of the listing with the scalar values set, and its primary location with
    the location values set (re-placed when the address changed), both unsaved and
    fully validated. Raises ValidationError keyed by field name."""
    copy = Organization.objects.select_related("type").get(pk=organization.pk)
    for name in SCALAR_FIELDS:
        if name not in values:
            continue
        value = values[name]
        if name == "type":
            copy.type = OrganizationType.objects.filter(slug=value).first()
            if copy.type is None:
                raise ValidationError({"type": _("Choose a type from the list.")})
        elif name in NUMBER_FIELDS:
            setattr(copy, name, None if value in ("", None) else int(value))
        elif name == "limited_equity":
            copy.limited_equity = bool(value)
        else:
            setattr(copy, name, value or "")
    if copy.membership_model and copy.membership_model not in MembershipModel.values:
        raise ValidationError({"membership_model": _("Choose who owns it from the list.")})
    if copy.accepting_members not in AcceptingMembers.values:
        raise ValidationError({"accepting_members": _("Choose yes, no or unknown.")})
    copy.full_clean(validate_unique=False)

    location = None
    location_values = {name: values[name] for name in LOCATION_FIELDS if name in values}
    if location_values:
        location = _primary_location(copy) or Location(organization=copy, is_primary=True)
        for name, value in location_values.items():
            setattr(location, name, value or "")
        if not location.precision:
            location.precision = Precision.EXACT
        if ADDRESS_FIELDS & set(location_values):
            # A new address means a new point, found from it as organizers' are.
            location.latitude = location.longitude = None
            location.point_source = ""
            location.jurisdiction = None
            location.city = location_values.get("city") or ""
        if location.zip_code:
            services.locate(location, refresh_point=True)
        elif not location.state:
            raise ValidationError(
                {"zip_code": _("Add the ZIP code, so the location can be placed.")}
            )
        location.full_clean(exclude=["organization"])
    return copy, location


def validate_proposal(organization: Organization, values: dict) -> None:
    """Raise ValidationError (keyed by field) if these values cannot be applied."""
    _prepare(organization, values)


def _apply(organization: Organization, values: dict) -> Organization:
    updated, location = _prepare(organization, values)
    updated.save()
    for name, (model, key) in M2M_MODELS.items():
        if name in values:
            getattr(updated, name).set(model.objects.filter(**{f"{key}__in": values[name]}))
    if location is not None:
        location.organization = updated
        location.save()
    return updated


def display_value(name: str, value) -> str:
    """A proposed or current value as organizers read it."""
    if value in (None, "", []):
        return ""
    if name == "type":
        return str(OrganizationType.objects.filter(slug=value).first() or value)
    if name in M2M_MODELS:
        model, key = M2M_MODELS[name]
        names = dict(model.objects.filter(**{f"{key}__in": value}).values_list(key, "name"))
        return ", ".join(names.get(item, item) for item in value)
    if name == "limited_equity":
        return _("Yes") if value else _("No")
    choices = {
        "membership_model": MembershipModel,
        "accepting_members": AcceptingMembers,
        "precision": Precision,
    }
    if name in choices and value in choices[name].values:
        return str(choices[name](value).label)
    return str(value)


@dataclass(frozen=True)
class DiffRow:
    field: str
    label: str
    current: str
    proposed: str

    @property
    def changed(self) -> bool:
        return self.current != self.proposed


def field_label(name: str) -> str:
    return str(public_field(name).label)


def diff(change_request: ChangeRequest) -> list[DiffRow]:
    """Field by field, what the listing shows now and what the request proposes."""
    if change_request.organization is None:
        return []
    current, _address_public = public_values(change_request.organization)
    if not change_request.organization.locations.exists():
        current = {name: value for name, value in current.items() if name not in LOCATION_FIELDS}
    # An address withheld from the public is still shown to organizers.
    location = _primary_location(change_request.organization)
    if location is not None:
        for name in ADDRESS_FIELDS:
            current[name] = getattr(location, name)
    return [
        DiffRow(
            field=name,
            label=field_label(name),
            current=display_value(name, current.get(name)),
            proposed=display_value(name, value),
        )
        for name, value in change_request.proposed.items()
    ]


# Submissions --------------------------------------------------------------------------


def _notify_after_commit():
    from directory.stewardship.notifications import notify_organizers_safely

    transaction.on_commit(notify_organizers_safely)


def submit_listing(
    *, values: dict, location: Location | None, submitter: Submitter
) -> ChangeRequest:
    """Create the suggested listing in *pending review* and its request for review."""
    with transaction.atomic(), reversion.create_revision(atomic=False):
        reversion.set_comment(_("Suggested by the public"))
        organization = Organization(
            name=values["name"],
            slug=slugs.available_slug(values["name"]),
            type=OrganizationType.objects.get(slug=values["type"]),
            status=OrganizationStatus.PENDING,
            summary=values.get("summary") or "",
            website=values.get("website") or "",
            email=values.get("email") or "",
            phone=values.get("phone") or "",
            how_to_join=values.get("how_to_join") or "",
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
        for name, (model, key) in M2M_MODELS.items():
            codes = values.get(name) or []
            if codes:
                getattr(organization, name).set(model.objects.filter(**{f"{key}__in": codes}))
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
                organization.published_at = organization.published_at or timezone.now()
                if request.submitter_is_member:
                    organization.last_verified = today
                comment = _("Approved new listing (suggestion #%(id)d)")
            elif request.reason == ChangeReason.CLOSED:
                organization.status = OrganizationStatus.ARCHIVED
                comment = _("Archived: approved report that it has closed (suggestion #%(id)d)")
            else:
                applied = request.proposed if values is None else values
                organization = _apply(organization, applied)
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
    new listing is deleted (organizers can still recover it from the history)."""
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
            if organization is not None and request.kind == ChangeRequestKind.NEW_LISTING:
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


@dataclass(frozen=True)
class MergeSummary:
    survivor: Organization
    locations: int
    links: int
    suggestions: int
    redirect: SlugRedirect


def merge(
    *, duplicate: Organization, survivor: Organization, user: AbstractBaseUser
) -> MergeSummary:
    """Fold `duplicate` into `survivor`: its locations, links, languages, sectors,
    service area, suggestions and verification requests move over; fields the survivor
    lacks are filled from it; its address redirects (301) to the survivor; then it is
    deleted. Its last state stays recoverable from the history."""
    if duplicate.pk == survivor.pk:
        raise ValidationError(_("Choose two different listings to merge."))
    with transaction.atomic():
        locked = {
            organization.pk: organization
            for organization in Organization.objects.select_for_update().filter(
                pk__in=[duplicate.pk, survivor.pk]
            )
        }
        if len(locked) != 2:
            raise ValidationError(_("One of these listings no longer exists."))
        duplicate, survivor = locked[duplicate.pk], locked[survivor.pk]
        with reversion.create_revision(atomic=False):
            reversion.set_user(user)
            reversion.set_comment(
                _("Last version before it was merged into “%(name)s”") % {"name": survivor}
            )
            reversion.add_to_revision(duplicate)

        with reversion.create_revision(atomic=False):
            reversion.set_user(user)
            moved_locations = duplicate.locations.count()
            if survivor.locations.filter(is_primary=True).exists():
                duplicate.locations.update(is_primary=False)
            duplicate.locations.update(organization=survivor)
            survivor_urls = set(survivor.social_links.values_list("url", flat=True))
            links = SocialLink.objects.filter(organization=duplicate).exclude(url__in=survivor_urls)
            moved_links = links.update(organization=survivor)
            for name in M2M_MODELS:
                getattr(survivor, name).add(*getattr(duplicate, name).all())
            for name in FILLABLE_ON_MERGE:
                if getattr(survivor, name) in ("", None) and getattr(duplicate, name) not in (
                    "",
                    None,
                ):
                    setattr(survivor, name, getattr(duplicate, name))
            if duplicate.last_verified and (
                survivor.last_verified is None or duplicate.last_verified > survivor.last_verified
            ):
                survivor.last_verified = duplicate.last_verified
            now = timezone.now()
            closed = duplicate.change_requests.filter(
                status=ChangeRequestStatus.PENDING, kind=ChangeRequestKind.NEW_LISTING
            ).update(
                status=ChangeRequestStatus.MERGED,
                decided_at=now,
                decided_by=user,
                decision_note=_("Merged into “%(name)s”") % {"name": survivor.name},
            )
            moved_requests = duplicate.change_requests.update(organization=survivor)
            duplicate.verification_requests.update(organization=survivor)
            ChangeRequest.objects.filter(duplicate_of=duplicate).update(duplicate_of=survivor)
            SlugRedirect.objects.filter(organization=duplicate).update(organization=survivor)
            PossibleDuplicate.objects.filter(
                Q(organization=duplicate, similar_to=survivor)
                | Q(organization=survivor, similar_to=duplicate)
            ).delete()
            redirect = SlugRedirect.objects.create(
                old_slug=duplicate.slug,
                old_name=duplicate.name,
                organization=survivor,
                created_by=user,
            )
            duplicate.delete()
            survivor.full_clean(validate_unique=False)
            survivor.save()
            reversion.set_comment(
                _(
                    "Merged “%(name)s” (/organizations/%(slug)s/) into this listing: "
                    "%(locations)d location(s), %(links)d link(s) and %(requests)d "
                    "suggestion(s) moved here"
                )
                % {
                    "name": duplicate.name,
                    "slug": duplicate.slug,
                    "locations": moved_locations,
                    "links": moved_links,
                    "requests": moved_requests,
                }
            )
    logger.info(
        "Merged organization %s into %s (%d new-listing requests closed)",
        duplicate.slug,
        survivor.slug,
        closed,
    )
    return MergeSummary(survivor, moved_locations, moved_links, moved_requests, redirect)
