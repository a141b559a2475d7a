"""The directory's region (DC, Maryland, Virginia): states, bounds and point checks.

Bounds are the states' bounding boxes (US Census TIGER) with a small margin. They
catch the usual data-entry mistakes: a point in the wrong state, a sign dropped from
the longitude, or latitude and longitude typed the wrong way round.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    DC = "DC", _("District of Columbia")
    MD = "MD", _("Maryland")
    VA = "VA", _("Virginia")


STATE_FIPS = {"11": State.DC, "24": State.MD, "51": State.VA}


@dataclass(frozen=True)
class Bounds:
    south: float
    west: float
    north: float
    east: float

    def contains(self, latitude: float, longitude: float) -> bool:
        return self.south <= latitude <= self.north and self.west <= longitude <= self.east


MARGIN = 0.05
STATE_BOUNDS = {
    State.DC: Bounds(38.79 - MARGIN, -77.12 - MARGIN, 39.00 + MARGIN, -76.91 + MARGIN),
    State.MD: Bounds(37.88 - MARGIN, -79.49 - MARGIN, 39.73 + MARGIN, -75.04 + MARGIN),
    State.VA: Bounds(36.54 - MARGIN, -83.68 - MARGIN, 39.47 + MARGIN, -75.16 + MARGIN),
}
REGION_BOUNDS = Bounds(
    south=min(b.south for b in STATE_BOUNDS.values()),
    west=min(b.west for b in STATE_BOUNDS.values()),
    north=max(b.north for b in STATE_BOUNDS.values()),
    east=max(b.east for b in STATE_BOUNDS.values()),
)
REGION_CENTER = (38.3, -77.4)


def validate_point(latitude: float, longitude: float, state: str | None = None) -> None:
    """Raise ValidationError (keyed by field) if the point is not where it claims to be."""
    if not REGION_BOUNDS.contains(latitude, longitude):
        if REGION_BOUNDS.contains(longitude, latitude):
            message = _(
                "Latitude and longitude look swapped: in this region latitude is about 36.5 "
                "to 39.8 and longitude about -83.7 to -75 (negative)."
            )
        elif REGION_BOUNDS.contains(latitude, -longitude):
            message = _(
                "Longitude must be negative in this region (west of Greenwich), for example -77.03."
            )
        else:
            message = _(
                "This point is outside DC, Maryland and Virginia. Latitude must be between "
                "%(south).2f and %(north).2f, longitude between %(west).2f and %(east).2f."
            ) % {
                "south": REGION_BOUNDS.south,
                "north": REGION_BOUNDS.north,
                "west": REGION_BOUNDS.west,
                "east": REGION_BOUNDS.east,
            }
        raise ValidationError({"latitude": message})
    if state in STATE_BOUNDS and not STATE_BOUNDS[state].contains(latitude, longitude):
        raise ValidationError(
            {
                "latitude": _("This point is not in %(state)s. Check the pin or the state.")
                % {"state": State(state).label}
            }
        )


def tile_attribution() -> str:
    """The map tiles' credit (MAP_TILE_ATTRIBUTION, trusted HTML in English), marked as
    English on a page in another language so a screen reader reads it as English."""
    credit = settings.MAP_TILE_ATTRIBUTION
    language = translation.get_language() or "en"
    if language.split("-")[0] == "en":
        return credit
    return f'<span lang="en">{credit}</span>'
