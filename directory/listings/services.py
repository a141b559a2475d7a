"""Writes: every change to the directory's data that is more than a plain form save.

Each service records a django-reversion revision, so organizers can see and undo it.
"""

from collections.abc import Iterable
from dataclasses import dataclass

import reversion
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.core.geocoding import GeocoderUnavailable, geocode_street, lookup_zip
from directory.models import (
    ChangeRequest,
    ChangeRequestKind,
    ChangeRequestStatus,
    Jurisdiction,
    Location,
    Organization,
    OrganizationStatus,
    OrganizationType,
    PointSource,
    Precision,
)

# Points a person placed or supplied on purpose; automatic geocoding never moves them.
DELIBERATE_POINT_SOURCES = {PointSource.PIN, PointSource.IMPORT, ""}


def default_precision(organization_type: OrganizationType | None) -> Precision:
    """A new location's public precision when nobody chose one (the admin, suggestions,
    imports): approximate for kinds of organization whose addresses must be protected
    (mutual aid, shelters: OrganizationType.sensitive), else exact."""
    return default_precision_for(
        sensitive=organization_type is not None and organization_type.sensitive
    )


def default_precision_for(*, sensitive: bool) -> Precision:
    return Precision.APPROXIMATE if sensitive else Precision.EXACT


@dataclass(frozen=True)
class LocateResult:
    point_changed: bool
    approximate_note: str = ""
    kept_pin: bool = False


def locate(
    location: Location,
    *,
    changed: Iterable[str] = (),
    refresh: bool = False,
    counties: dict | None = None,
) -> LocateResult:
    """The one rule that completes a location from its ZIP code, used by the admin, the
    import, moderation and "Fill from ZIP codes".

    `changed` names the fields a person changed in this edit. A new ZIP code brings its
    own city and county (unless the person typed those too) and, like a new street
    address, a new point. A point a person placed (a pin, an imported or typed point) is
    never moved. `refresh` ("Fill from ZIP codes") re-derives city and county when they
    contradict the ZIP code, and re-places points that were found automatically. Raises
    ValidationError keyed by field when the ZIP is unusable."""
    changed = set(changed)
    try:
        place = lookup_zip(location.zip_code)
    except ValidationError as error:
        raise ValidationError({"zip_code": error.messages}) from error
    if location.state and location.state != place.state:
        raise ValidationError(
            {
                "zip_code": _("ZIP code %(zip)s is in %(zip_state)s, not %(state)s.")
                % {"zip": place.zip_code, "zip_state": place.state, "state": location.state}
            }
        )
    location.state = place.state
    if counties is not None:  # an import passes every county, read once
        county = counties.get(place.county_fips)
    elif place.county_fips:
        county = Jurisdiction.objects.filter(fips=place.county_fips).first()
    else:
        county = None
    contradicts = (
        refresh
        and county is not None
        and location.jurisdiction_id is not None
        and location.jurisdiction_id != county.pk
    )
    new_zip = "zip_code" in changed or contradicts
    if not location.city or (new_zip and "city" not in changed):
        location.city = place.city
    if location.jurisdiction_id is None or (new_zip and "jurisdiction" not in changed):
        location.jurisdiction = county

    has_point = location.latitude is not None
    if has_point and location.point_source in DELIBERATE_POINT_SOURCES:
        return LocateResult(point_changed=False, kept_pin=True)
    address_changed = bool({"zip_code", "street_address"} & changed) or contradicts
    if has_point and not (refresh or address_changed):
        return LocateResult(point_changed=False)

    note = ""
    try:
        street_point = geocode_street(
            street=location.street_address,
            city=location.city,
            state=location.state,
            zip_code=place.zip_code,
        )
    except GeocoderUnavailable:
        street_point = None
        note = _(
            "The street geocoder could not be reached, so the point is the centre of ZIP "
            "code %(zip)s and only approximate. Drag the pin to correct it."
        ) % {"zip": place.zip_code}
    if street_point:
        location.latitude, location.longitude = street_point
        location.point_source = PointSource.GEOCODER
    else:
        location.latitude, location.longitude = place.latitude, place.longitude
        location.point_source = PointSource.ZIP_CENTROID
    return LocateResult(point_changed=True, approximate_note=note)


def _save_with_revision(
    organizations: Iterable[Organization],
    *,
    user: AbstractBaseUser | None,
    comment: str,
    close_suggestions: bool = False,
) -> int:
    organizations = list(organizations)
    with transaction.atomic(), reversion.create_revision():
        if user is not None:
            reversion.set_user(user)
        reversion.set_comment(comment)
        for organization in organizations:
            organization.save()
        if close_suggestions:
            close_suggested_listings(organizations, user=user)
    return len(organizations)


def close_suggested_listings(
    organizations: Iterable[Organization], *, user: AbstractBaseUser | None
) -> list[ChangeRequest]:
    """Publishing a suggested listing directly (a bulk action, its change form) decides
    its suggestion: it leaves the queue as approved, by that organizer, saying how.
    Call it inside the revision that publishes, so the decision is recorded there."""
    published = [organization.pk for organization in organizations if organization.is_published]
    closed = list(
        ChangeRequest.objects.pending()
        .select_for_update()
        .filter(organization_id__in=published, kind=ChangeRequestKind.NEW_LISTING)
    )
    for change_request in closed:
        change_request.status = ChangeRequestStatus.APPROVED
        change_request.decided_at = timezone.now()
        change_request.decided_by = user
        change_request.decision_note = _("Published by an organizer from the listing itself.")
        change_request.save(update_fields=["status", "decided_at", "decided_by", "decision_note"])
    return closed


def set_status(
    organizations: Iterable[Organization],
    *,
    status: OrganizationStatus,
    user: AbstractBaseUser | None = None,
) -> int:
    """Move organizations to a lifecycle status; returns how many changed."""
    changed = []
    for organization in organizations:
        if organization.status == status:
            continue
        organization.status = status
        changed.append(organization)
    return _save_with_revision(
        changed,
        user=user,
        comment=_("Status set to %(status)s") % {"status": status.label},
        close_suggestions=status == OrganizationStatus.PUBLISHED,
    )


def publish(organizations: Iterable[Organization], *, user: AbstractBaseUser | None = None) -> int:
    return set_status(organizations, status=OrganizationStatus.PUBLISHED, user=user)


def archive(organizations: Iterable[Organization], *, user: AbstractBaseUser | None = None) -> int:
    return set_status(organizations, status=OrganizationStatus.ARCHIVED, user=user)


def mark_verified(
    organizations: Iterable[Organization], *, user: AbstractBaseUser | None = None, on=None
) -> int:
    """Record that the listings were checked today (or on `on`)."""
    verified_on = on or timezone.localdate()
    changed = []
    for organization in organizations:
        organization.last_verified = verified_on
        changed.append(organization)
    return _save_with_revision(
        changed, user=user, comment=_("Marked verified on %(date)s") % {"date": verified_on}
    )


@dataclass(frozen=True)
class GeocodeSummary:
    located: int
    kept_pins: int
    failed: list[str]


def geocode_from_zip(
    organizations: Iterable[Organization], *, user: AbstractBaseUser | None = None
) -> GeocodeSummary:
    """Fill city, county and points from ZIP codes for the organizations' locations,
    leaving points that a person placed where they are."""
    located = kept = 0
    failed: list[str] = []
    with transaction.atomic(), reversion.create_revision():
        if user is not None:
            reversion.set_user(user)
        reversion.set_comment(_("Located from ZIP codes"))
        for organization in organizations:
            for location in organization.locations.all():
                if not location.zip_code:
                    failed.append(_("%(org)s: a location has no ZIP code") % {"org": organization})
                    continue
                try:
                    result = locate(location, refresh=True)
                    location.full_clean()
                except ValidationError as error:
                    failed.append(f"{organization}: {' '.join(error.messages)}")
                    continue
                location.save()
                if result.point_changed:
                    located += 1
                else:
                    kept += 1
            reversion.add_to_revision(organization)
    return GeocodeSummary(located=located, kept_pins=kept, failed=failed)
