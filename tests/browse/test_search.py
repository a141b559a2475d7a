"""Search (directory/search.py): what a person types finds what they mean."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from directory.browse.search import search_terms
from directory.browse.selectors import filter_organizations
from directory.models import Organization, OrganizationType
from tests.support.factories import LocationFactory, OrganizationFactory, organization_type

pytestmark = pytest.mark.django_db

LIST_URL = reverse("directory:organization-list")
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text and trigram search need PostgreSQL"
)


def found(client, query):
    response = client.get(LIST_URL, {"q": query})
    assert response.status_code == 200
    return [organization.name for organization in response.context["organizations"]]


@pytest.fixture
def listings(db):
    food = OrganizationFactory(
        name="Takoma Community Food Cooperative",
        type=organization_type("consumer-cooperative"),
        summary="Groceries owned by the people who shop here.",
    )
    LocationFactory(organization=food, city="Takoma Park", state="MD", zip_code="20912")
    bakery = OrganizationFactory(
        name="Anacostia Bread Workers", summary="Sourdough and rye, baked by its owners."
    )
    LocationFactory(organization=bakery, city="Washington")
    lender = OrganizationFactory(
        name="Riverside Loan Fund",
        type=organization_type("community-lender"),
        summary="Loans for new co-ops.",
    )
    LocationFactory(organization=lender, city="Richmond", state="VA", zip_code="23219")
    return {"food": food, "bakery": bakery, "lender": lender}


def test_search_terms_fold_co_op_spellings_and_drop_punctuation():
    coop = ("coop", "co op")
    assert search_terms("Food CO-OP") == [("food",), coop]
    assert search_terms("co-operatives & cooperative") == [coop, coop]
    assert search_terms("x' OR 1=1; --") == [("or",)]
    assert search_terms("a:* | !b") == []
    assert len(search_terms("word " * 50)) == 8


def test_food_coop_finds_a_food_cooperative(client, listings):
    assert found(client, "food coop") == ["Takoma Community Food Cooperative"]
    assert found(client, "food co-op") == ["Takoma Community Food Cooperative"]


def test_a_city_finds_what_is_there(client, listings):
    assert found(client, "Takoma") == ["Takoma Community Food Cooperative"]
    assert found(client, "richmond") == ["Riverside Loan Fund"]


def test_all_words_must_match(client, listings):
    assert found(client, "bread takoma") == []
    assert found(client, "anacostia bread") == ["Anacostia Bread Workers"]


def test_search_reads_summary_and_type(client, listings):
    assert found(client, "sourdough") == ["Anacostia Bread Workers"]
    assert "Riverside Loan Fund" in found(client, "loan")


def test_queries_with_only_punctuation_are_ignored(client, listings):
    assert len(found(client, "&&& |!")) == 3


def test_unpublished_organizations_are_never_found(client, listings):
    OrganizationFactory(name="Takoma Draft Bakery", status="draft")
    OrganizationFactory(name="Takoma Archived Bakery", status="archived")
    assert found(client, "takoma") == ["Takoma Community Food Cooperative"]
    assert found(client, "bakery") == ["Anacostia Bread Workers"]  # bread, a synonym


@on_postgresql
def test_a_misspelled_name_finds_the_organization(client, listings):
    assert found(client, "Anacostia Bred Workrs") == ["Anacostia Bread Workers"]
    assert found(client, "Takomma Comunity Food") == ["Takoma Community Food Cooperative"]


@on_postgresql
def test_nearest_names_are_looked_up_once_for_the_page_and_the_count(listings):
    # "brd" is too short to correct from the vocabulary: the nearest names are listed.
    with CaptureQueriesContext(connection) as queries:
        results = filter_organizations(QueryDict("q=Anacostia+Brd"))
        assert results.count() == 1
        assert [organization.name for organization in results] == ["Anacostia Bread Workers"]
    trigram_searches = [query for query in queries if "%>" in query["sql"]]
    assert len(trigram_searches) == 1


@on_postgresql
def test_stemming_matches_word_forms(client, listings):
    assert found(client, "baked sourdough") == ["Anacostia Bread Workers"]
    assert found(client, "loans") == ["Riverside Loan Fund"]


@on_postgresql
def test_best_matches_come_first(client, listings):
    OrganizationFactory(name="Capital Area Coop Network", summary="Helps every food project.")
    assert found(client, "food")[0] == "Takoma Community Food Cooperative"


@on_postgresql
def test_the_search_vector_follows_saves_locations_and_type_renames(client, listings):
    bakery = listings["bakery"]
    bakery.name = "Anacostia Pretzel Workers"
    bakery.save()
    assert found(client, "pretzel") == ["Anacostia Pretzel Workers"]
    location = bakery.locations.get()
    location.city = "Hyattsville"
    location.save()
    assert found(client, "hyattsville") == ["Anacostia Pretzel Workers"]
    location.delete()
    assert found(client, "hyattsville") == []
    OrganizationType.objects.filter(slug="community-lender").update(name="Solidarity finance")
    assert found(client, "solidarity finance") == ["Riverside Loan Fund"]


@on_postgresql
def test_bulk_created_listings_have_a_search_vector(client):
    call_command("generate_listings", "--count", "20", "--seed", "2")
    assert not Organization.objects.filter(search_vector__isnull=True).exists()
    synthetic = Organization.objects.order_by("slug").first()
    assert synthetic.name in found(client, synthetic.name)
    city = synthetic.locations.get().city
    assert synthetic.name in found(client, f"{synthetic.name} {city}")


@on_postgresql
def test_fixture_loaded_listings_have_a_search_vector(client):
    call_command("load_demo_data")
    assert not Organization.objects.filter(search_vector__isnull=True).exists()
    assert "Takoma Community Food Co-op (demo)" in found(client, "takoma food coop")


def test_demo_listings_are_found_on_any_database(client):
    call_command("load_demo_data")
    assert "Takoma Community Food Co-op (demo)" in found(client, "takoma food coop")


def test_a_broad_query_is_listed_by_name(client, listings, monkeypatch):
    from directory.browse import search

    OrganizationFactory(name="Capital Area Coop Network", summary="Helps every food project.")
    # Ranked while few match: the name that holds the word first.
    assert found(client, "food") == [
        "Takoma Community Food Cooperative",
        "Capital Area Coop Network",
    ]
    # More matches than are ranked: the same listings, A-Z. (Another page address,
    # so the page kept from the first request does not answer.)
    monkeypatch.setattr(search, "RANKED_MATCHES", 1)
    response = client.get(LIST_URL, {"q": "food", "page": "1"})
    assert [organization.name for organization in response.context["organizations"]] == [
        "Capital Area Coop Network",
        "Takoma Community Food Cooperative",
    ]
