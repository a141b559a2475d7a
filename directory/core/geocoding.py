"""Finding points for locations.

ZIP codes resolve offline (the `zipcodes` package: city, county, centroid) and always
work. A street-level geocoder (Nominatim through geopy) is optional: it is used only
when GEOCODER=nominatim, and when it fails the ZIP centroid stands in and the caller
is told the point is approximate.
"""

import functools
import logging
import re
from dataclasses import dataclass

import addfips
import zipcodes
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from directory.core.cache import cache_get, cache_set
from directory.core.region import REGION_BOUNDS, State

logger = logging.getLogger(__name__)

ZIP_PATTERN = re.compile(r"^\d{5}(-\d{4})?$")
_fips_lookup = addfips.AddFIPS()


@dataclass(frozen=True)
class ZipPlace:
    zip_code: str
    city: str
    state: str
    county_fips: str | None
    latitude: float
    longitude: float

    @property
    def point(self) -> tuple[float, float]:
        return (self.latitude, self.longitude)


def county_fips(county: str, state: str) -> str | None:
    """FIPS code for a county name as the zipcodes package spells it."""
    if state == State.DC:
        return "11001"
    # zipcodes writes "St Mary's County"; the Census data writes "St. Mary's County".
    county = re.sub(r"\bSt\b(?!\.)", "St.", county)
    return _fips_lookup.get_county_fips(county, state=state)


@functools.lru_cache(maxsize=4096)
def _matching(zip5: str) -> tuple:
    # The zipcodes package scans its whole table on every call (7 ms): an import of
    # thousands of rows asks for the same few hundred ZIP codes again and again.
    return tuple(zipcodes.matching(zip5))


def lookup_zip(zip_code: str) -> ZipPlace:
    """The place a ZIP code names, or a ValidationError that says what is wrong."""
    zip_code = (zip_code or "").strip()
    if not ZIP_PATTERN.match(zip_code):
        raise ValidationError(
            _("“%(zip)s” is not a ZIP code. Enter five digits, for example 20001.")
            % {"zip": zip_code[:20]},
            code="malformed_zip",
        )
    matches = _matching(zip_code[:5])
    if not matches:
        raise ValidationError(
            _("ZIP code %(zip)s does not exist.") % {"zip": zip_code[:5]}, code="unknown_zip"
        )
    match = matches[0]
    latitude, longitude = float(match["lat"]), float(match["long"])
    if match["state"] not in State.values or not REGION_BOUNDS.contains(latitude, longitude):
        raise ValidationError(
            _(
                "ZIP code %(zip)s is in %(state)s. This directory covers DC, Maryland and "
                "Virginia only."
            )
            % {"zip": zip_code[:5], "state": match["state"] or _("no state")},
            code="zip_outside_region",
        )
    return ZipPlace(
        zip_code=zip_code[:5],
        city=match["city"].title() if match["city"].isupper() else match["city"],
        state=match["state"],
        county_fips=county_fips(match["county"], match["state"]),
        latitude=latitude,
        longitude=longitude,
    )


@functools.cache
def region_zip_codes() -> tuple[str, ...]:
    """Every five-digit ZIP code lookup_zip() accepts (the region's, about 2,150): the
    same test, on the package's first entry for each code, without a search per code.
    Reading the package's table takes seconds, so the list is kept in the shared cache
    for each version of the package."""
    key = f"directory:region-zip-codes:{getattr(zipcodes, '__version__', '')}"
    kept = cache_get(key)
    if kept is None:
        kept = _region_zip_codes()
        cache_set(key, kept, timeout=None)
    return kept


def _region_zip_codes() -> tuple[str, ...]:
    first = {}
    for match in zipcodes.list_all():
        first.setdefault(match["zip_code"], match)
    return tuple(
        sorted(
            code
            for code, match in first.items()
            if match["state"] in State.values
            and REGION_BOUNDS.contains(float(match["lat"]), float(match["long"]))
        )
    )


class GeocoderUnavailable(Exception):
    """The optional street geocoder is configured but could not answer."""


def geocode_street(
    *, street: str, city: str, state: str, zip_code: str
) -> tuple[float, float] | None:
    """A street-level point from the optional geocoder, or None when it is off or finds
    nothing in the region. Raises GeocoderUnavailable when it is on but unreachable."""
    if settings.GEOCODER != "nominatim" or not street:
        return None
    from geopy.exc import GeopyError
    from geopy.geocoders import Nominatim

    geocoder = Nominatim(
        user_agent=settings.GEOCODER_USER_AGENT,
        domain=settings.GEOCODER_DOMAIN,
        timeout=settings.GEOCODER_TIMEOUT,
    )
    query = ", ".join(part for part in (street, city, state, zip_code) if part)
    try:
        found = geocoder.geocode(query, country_codes="us", exactly_one=True)
    except (GeopyError, OSError) as error:
        logger.warning("Street geocoder unavailable for %r: %s", query, error)
        raise GeocoderUnavailable(str(error)) from error
    if found is None or not REGION_BOUNDS.contains(found.latitude, found.longitude):
        return None
    return found.latitude, found.longitude
