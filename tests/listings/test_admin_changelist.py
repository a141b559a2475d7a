"""The organizers' list of organizations stays quick at any size: a fixed number of
queries, search through the full-text index (every status), pages read by id, and on
PostgreSQL an estimated total for the whole list (bench/admin_changelist.py times it)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from directory.listings.admin_parts import OrganizerListPaginator
from tests.support.factories import LocationFactory, OrganizationFactory, organization_type

pytestmark = pytest.mark.django_db

CHANGELIST_URL = reverse("admin:directory_organization_changelist")


def shown(response) -> list[str]:
    assert response.status_code == 200
    return [organization.name for organization in response.context["cl"].result_list]


def queries_for(client, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(CHANGELIST_URL, params).status_code == 200
    return len(queries)


@pytest.mark.parametrize("params", [{}, {"q": "cooperative"}, {"state": "DC"}, {"p": "2"}])
def test_the_number_of_queries_does_not_depend_on_the_rows(organizer_client, params):
    for _ in range(55):
        LocationFactory(state="DC")
    # Once first: SQLite's search asks once per database whether the FTS table exists.
    organizer_client.get(CHANGELIST_URL, params)
    few = queries_for(organizer_client, params)
    for _ in range(30):
        LocationFactory(state="DC", organization__status="draft")
    assert queries_for(organizer_client, params) == few


@pytest.fixture
def listings(db):
    draft = OrganizationFactory(
        name="Riverside Bakery Collective", slug="riverside-bakers", status="draft"
    )
    pending = OrganizationFactory(
        name="Hillside Press", status="pending", description="A printing cooperative."
    )
    published = OrganizationFactory(
        name="Anacostia Savings Circle",
        type=organization_type("credit-union"),
        summary="Banking for neighbours.",
    )
    LocationFactory(organization=published, zip_code="20020", city="Washington", state="DC")
    OrganizationFactory(name="Unrelated Cooperative")
    return {"draft": draft, "pending": pending, "published": published}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # Words, any status, accents and case aside; a word may be unfinished.
        ("bakery", ["Riverside Bakery Collective"]),
        ("RIVERSIDE bak", ["Riverside Bakery Collective"]),
        ("printing", ["Hillside Press"]),
        ("banking neighbours", ["Anacostia Savings Circle"]),
        # The slug, whole, and a ZIP code of a location.
        ("riverside-bakers", ["Riverside Bakery Collective"]),
        ("20020", ["Anacostia Savings Circle"]),
        # What the index finds and Django's search would not: the type's name.
        ("credit union", ["Anacostia Savings Circle"]),
        # Nothing in the index: Django's search on the fields, part of a word included.
        ("akery", ["Riverside Bakery Collective"]),
        ("nothing like this", []),
    ],
)
def test_organizers_search_every_status_through_the_index(
    organizer_client, listings, query, expected
):
    assert shown(organizer_client.get(CHANGELIST_URL, {"q": query})) == expected


def test_a_search_takes_the_filters_with_it(organizer_client, listings):
    response = organizer_client.get(CHANGELIST_URL, {"q": "bakery", "status__exact": "published"})
    assert shown(response) == []
    response = organizer_client.get(CHANGELIST_URL, {"q": "bakery", "status__exact": "draft"})
    assert shown(response) == ["Riverside Bakery Collective"]


def test_pages_follow_the_name_order(organizer_client):
    for number in range(60):
        OrganizationFactory(
            name=f"Listing {number:02d}", status="draft" if number % 3 else "published"
        )
    first = shown(organizer_client.get(CHANGELIST_URL))
    second = shown(organizer_client.get(CHANGELIST_URL, {"p": "2"}))
    assert first == [f"Listing {number:02d}" for number in range(50)]
    assert second == [f"Listing {number:02d}" for number in range(50, 60)]
    assert "60 organizations" in organizer_client.get(CHANGELIST_URL).content.decode()


def test_the_county_filter_offers_the_places_listings_are_in(organizer_client):
    LocationFactory()
    response = organizer_client.get(CHANGELIST_URL)
    county_filter = next(
        spec
        for spec in response.context["cl"].filter_specs
        if getattr(spec, "field_path", "") == "locations__jurisdiction"
    )
    assert [label for _, label in county_filter.lookup_choices] == ["District of Columbia, DC"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's table statistics")
def test_a_large_unfiltered_list_gives_its_total_from_the_statistics(organizer_client, monkeypatch):
    for _ in range(3):
        OrganizationFactory()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE directory_organization")
    monkeypatch.setattr(OrganizerListPaginator, "EXACT_BELOW", 2)
    whole = organizer_client.get(CHANGELIST_URL)
    assert whole.context["cl"].paginator.estimated
    assert "about 3 organizations" in whole.content.decode()
    filtered = organizer_client.get(CHANGELIST_URL, {"status__exact": "published"})
    assert not filtered.context["cl"].paginator.estimated
    assert "3 organizations" in filtered.content.decode()
