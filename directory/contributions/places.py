"""Where a suggested listing is: a ZIP code, a pin dropped on the map, or both.

A ZIP code is placed as organizers' are (directory.listings.services.locate); a pin
alone takes its city, state and county from the nearest ZIP code's centre.
"""

import functools

import zipcodes
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from directory.contributions.matching import distance_km
from directory.core.geocoding import ZipPlace, lookup_zip
from directory.core.region import REGION_BOUNDS, State
from directory.listings.services import locate
from directory.models import Jurisdiction, Location, PointSource


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
        locate(location)
    else:
        place = nearest_zip_place(latitude, longitude)
        location.state, location.city = place.state, place.city
        location.jurisdiction = Jurisdiction.objects.filter(fips=place.county_fips).first()
    location.full_clean(exclude=["organization"])
    return location
