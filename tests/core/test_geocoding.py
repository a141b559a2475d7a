"""ZIP codes resolve offline; the optional street geocoder never blocks a save."""

import pytest
from django.core.exceptions import ValidationError

from directory.core.geocoding import lookup_zip
from directory.listings.services import locate
from directory.models import Location, PointSource
from tests.support.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def test_a_zip_gives_city_county_and_centre():
    place = lookup_zip("20912")
    assert place.city == "Takoma Park"
    assert place.state == "MD"
    assert place.county_fips == "24031"
    assert (place.latitude, place.longitude) == pytest.approx((38.98, -77.0), abs=0.01)


@pytest.mark.parametrize(
    ("zip_code", "fips"),
    [("20001", "11001"), ("21202", "24510"), ("20653", "24037"), ("22046", "51610")],
    ids=["district", "baltimore-city", "st-marys", "falls-church-city"],
)
def test_counties_and_independent_cities_resolve(zip_code, fips):
    assert lookup_zip(zip_code).county_fips == fips


@pytest.mark.parametrize(
    ("zip_code", "message"),
    [
        ("2091", "is not a ZIP code"),
        ("abcde", "is not a ZIP code"),
        ("00000", "does not exist"),
        ("10001", "is in NY"),
        ("19901", "is in DE"),
    ],
)
def test_unusable_zips_say_why(zip_code, message):
    with pytest.raises(ValidationError) as error:
        lookup_zip(zip_code)
    assert message in error.value.messages[0]


def new_location(**fields):
    return Location(organization=OrganizationFactory(), **fields)


def test_locate_fills_city_county_and_point_from_the_zip():
    location = new_location(zip_code="22314", state="")
    result = locate(location)
    assert result.point_changed
    assert location.city == "Alexandria"
    assert location.state == "VA"
    assert location.jurisdiction.fips == "51510"
    assert location.point_source == PointSource.ZIP_CENTROID
    assert location.latitude == pytest.approx(38.8, abs=0.05)


def test_an_organizers_pin_always_wins_over_the_centroid():
    location = new_location(
        zip_code="22314", state="VA", latitude=38.8048, longitude=-77.0469, point_source="pin"
    )
    result = locate(location, refresh=True)
    assert not result.point_changed
    assert (location.latitude, location.longitude) == (38.8048, -77.0469)


def test_a_zip_in_another_state_than_the_location_is_refused():
    with pytest.raises(ValidationError) as error:
        locate(new_location(zip_code="20001", state="VA"))
    assert "is in DC, not VA" in error.value.message_dict["zip_code"][0]


def test_an_unreachable_street_geocoder_falls_back_to_the_zip_centre(settings, caplog):
    settings.GEOCODER = "nominatim"
    settings.GEOCODER_DOMAIN = "127.0.0.1:9"  # nothing listens on the discard port
    settings.GEOCODER_TIMEOUT = 1
    location = new_location(street_address="100 Main St", zip_code="20001", state="DC")
    result = locate(location)
    assert location.point_source == PointSource.ZIP_CENTROID
    assert "approximate" in result.approximate_note
    assert "geocoder unavailable" in caplog.text
