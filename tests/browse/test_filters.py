"""The shared filters (directory/filters.py): what `state` and `type` keep, that their
SQL stays cheap at scale, and that Organization.states follows every kind of write."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from directory.browse.selectors import filter_organizations
from directory.contributions import merge
from directory.models import Jurisdiction, Location, Organization
from tests.support.factories import LocationFactory, OrganizationFactory, organization_type

pytestmark = pytest.mark.django_db

API_URL = reverse("directory:api-organization-list")


def names(query: str) -> list[str]:
    return list(filter_organizations(QueryDict(query)).values_list("name", flat=True))


def states_of(organization: Organization) -> str:
    return Organization.objects.get(pk=organization.pk).states


@pytest.fixture
def maryland_office_serving_virginia(db):
    """A location in Maryland and a service area in Virginia only."""
    organization = OrganizationFactory(name="Border Credit Union", service_area=["51013"])
    LocationFactory(
        organization=organization,
        city="Bethesda",
        state="MD",
        zip_code="20814",
        jurisdiction=Jurisdiction.objects.get(fips="24031"),
        latitude=38.98,
        longitude=-77.1,
    )
    return organization


@pytest.mark.parametrize(
    ("state", "expected"),
    [("MD", ["Border Credit Union"]), ("VA", ["Border Credit Union"]), ("DC", [])],
)
def test_state_keeps_a_location_in_it_or_a_service_area_in_it(
    maryland_office_serving_virginia, state, expected
):
    assert names(f"state={state}") == expected


def test_state_follows_locations_and_service_areas_as_they_change(
    maryland_office_serving_virginia,
):
    organization = maryland_office_serving_virginia
    assert states_of(organization) == "MD VA"

    dc_office = LocationFactory(organization=organization, is_primary=False)  # in DC
    assert names("state=DC") == ["Border Credit Union"]
    dc_office.delete()
    assert names("state=DC") == []

    organization.service_area.clear()
    assert states_of(organization) == "MD"
    Jurisdiction.objects.get(fips="11001").served_by.add(organization)
    assert states_of(organization) == "DC MD"
    Jurisdiction.objects.get(fips="11001").served_by.clear()
    assert states_of(organization) == "MD"

    Location.objects.filter(organization=organization).get().delete()
    assert states_of(organization) == ""
    assert names("state=MD") == []


def test_saving_an_organization_read_before_its_locations_changed_keeps_states_right():
    organization = OrganizationFactory()
    stale_copy = Organization.objects.get(pk=organization.pk)
    LocationFactory(organization=organization, state="VA", jurisdiction=None)
    stale_copy.summary = "Edited elsewhere."
    stale_copy.save()
    assert states_of(organization) == "VA"


def test_generated_listings_have_their_states(db):
    call_command("generate_listings", count=20, verbosity=0)
    synthetic = Organization.objects.filter(slug__startswith="synthetic-")
    assert synthetic.count() == 20
    assert not synthetic.filter(states="").exists()
    for organization in synthetic.prefetch_related("locations"):
        assert organization.locations.get().state in organization.states.split()


def test_several_types_list_each_organization_once_without_distinct(db):
    bakery = OrganizationFactory(name="Bakery", type=organization_type("worker-cooperative"))
    for office in range(3):
        LocationFactory(organization=bakery, is_primary=office == 0)  # in DC
    OrganizationFactory(name="Credit Union", type=organization_type("credit-union"))
    OrganizationFactory(name="Fridge", type=organization_type("mutual-aid"))
    query = "type=worker-cooperative&type=credit-union&state=DC"
    with CaptureQueriesContext(connection) as queries:
        assert names(query) == ["Bakery"]
    assert names("type=worker-cooperative&type=credit-union") == ["Bakery", "Credit Union"]
    listing_sql = queries.captured_queries[-1]["sql"].upper()
    assert "DISTINCT" not in listing_sql
    assert "DIRECTORY_ORGANIZATIONTYPE" not in listing_sql  # the foreign key is compared


def test_an_unknown_type_is_a_400(client):
    response = client.get(API_URL, {"type": "no-such-type"})
    assert response.status_code == 400


@pytest.mark.parametrize(
    "query",
    [
        {"state": "MD", "type": "worker-cooperative"},
        {"state": "VA", "type": ["worker-cooperative", "credit-union"], "page_size": 5},
    ],
)
def test_a_filtered_api_page_needs_the_same_queries_for_2_or_40_organizations(client, query):
    def queries_for(count):
        Organization.objects.all().delete()
        for _ in range(count):
            organization = OrganizationFactory(service_area=["51013"], languages=["en"])
            LocationFactory(
                organization=organization,
                state="MD",
                city="Bethesda",
                jurisdiction=Jurisdiction.objects.get(fips="24031"),
            )
        with CaptureQueriesContext(connection) as queries:
            response = client.get(API_URL, query)
        assert response.status_code == 200, response.content
        assert response.json()["count"] == count
        return len(queries)

    assert queries_for(2) == queries_for(40) <= 12


def test_a_merged_listing_is_in_the_states_of_both(organizer):
    survivor = OrganizationFactory(name="Survivor")
    LocationFactory(organization=survivor, state="MD", jurisdiction=None)
    duplicate = OrganizationFactory(name="Duplicate", service_area=["11001"])
    LocationFactory(
        organization=duplicate, state="VA", jurisdiction=None, latitude=38.88, longitude=-77.1
    )
    merge.merge(duplicate=duplicate, survivor=survivor, user=organizer)
    assert states_of(survivor) == "DC MD VA"
    assert names("state=DC") == ["Survivor"]
