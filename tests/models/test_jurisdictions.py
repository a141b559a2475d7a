import pytest
from django.db.models import Count

from directory.models import Jurisdiction

pytestmark = pytest.mark.django_db


def test_every_county_city_and_the_district_is_there():
    assert Jurisdiction.objects.count() == 158
    per_state = dict(Jurisdiction.objects.values_list("state").annotate(n=Count("id")))
    assert per_state == {"DC": 1, "MD": 24, "VA": 133}


def test_virginia_has_95_counties_and_38_independent_cities():
    virginia = Jurisdiction.objects.filter(state="VA")
    assert virginia.filter(kind="county").count() == 95
    assert virginia.filter(kind="city").count() == 38


@pytest.mark.parametrize(
    ("fips", "name"),
    [
        ("11001", "District of Columbia"),
        ("24510", "City of Baltimore"),
        ("24005", "Baltimore County"),
        ("24033", "Prince George's County"),
        ("51059", "Fairfax County"),
        ("51600", "City of Fairfax"),
        ("51510", "City of Alexandria"),
    ],
)
def test_fips_codes_match_census_names(fips, name):
    assert Jurisdiction.objects.get(fips=fips).name == name


def test_former_jurisdictions_are_not_listed():
    assert not Jurisdiction.objects.filter(fips="51515").exists()  # Bedford city, merged 2013
