"""Forgiving search (directory/browse/search.py, vocabulary.py, listings/search_index.py):
the same answers on SQLite (FTS5 trigram) and PostgreSQL (full text); run the suite with
DATABASE_URL for PostgreSQL."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from directory.contributions.merge import merge
from directory.listings import services
from directory.models import Language, Organization, OrganizationStatus, Precision, Sector
from tests.support.factories import (
    LocationFactory,
    OrganizationFactory,
    UserFactory,
    organization_type,
)

pytestmark = pytest.mark.django_db

LIST_URL = reverse("directory:organization-list")
HOME_URL = reverse("directory:home")


def search(client, query, url=LIST_URL, **params):
    response = client.get(url, {"q": query, **params})
    assert response.status_code == 200
    return response


def found(client, query, **params):
    response = search(client, query, **params)
    return sorted(organization.name for organization in response.context["organizations"])


@pytest.fixture
def listings(db):
    bakery = OrganizationFactory(
        name="Anacostia Bread Workers",
        summary="Sourdough and rye, baked by its owners.",
        languages=["es"],
        sectors=["food"],
    )
    LocationFactory(organization=bakery, city="Washington")
    housing = OrganizationFactory(
        name="Maple Court Homeowners",
        type=organization_type("housing-cooperative"),
        summary="Forty families own their building together.",
        how_to_join="Join the waiting list at the spring open house.",
    )
    LocationFactory(organization=housing, city="Silver Spring", state="MD", zip_code="20910")
    pantry = OrganizationFactory(
        name="Eastside Community Pantry",
        type=organization_type("mutual-aid"),
        summary="Groceries every Saturday, no questions asked.",
        eligibility="Anyone who needs food.",
        languages=["en", "am"],
    )
    LocationFactory(organization=pantry, city="Hyattsville", precision=Precision.HIDDEN)
    cafe = OrganizationFactory(
        name="Café Solidario",
        summary="A worker-owned café.",
        languages=["fr"],
        sectors=["housing"],
    )
    LocationFactory(organization=cafe, city="Mount Rainier", precision=Precision.APPROXIMATE)
    credit_union = OrganizationFactory(
        name="Capital Area Federal Credit Union",
        type=organization_type("credit-union"),
        summary="Savings and loans for members.",
    )
    return {
        "bakery": bakery,
        "housing": housing,
        "pantry": pantry,
        "cafe": cafe,
        "credit_union": credit_union,
    }


def test_a_misspelling_is_corrected_and_said_so(client, listings):
    response = search(client, "cooperatve", url=HOME_URL)
    assert response.context["search_corrected_from"] == "cooperatve"
    assert response.context["search_query"] == "cooperative"
    assert response.context["spelling_suggestion"] == ""
    names = {organization.name for organization in response.context["organizations"]}
    assert "Maple Court Homeowners" in names  # a housing cooperative
    # The per-type counts come from the corrected query, not an earlier one.
    by_type = {}
    for organization in response.context["organizations"]:
        by_type[organization.type.slug] = by_type.get(organization.type.slug, 0) + 1
    assert response.context["type_counts"] == by_type


def test_a_misspelled_name_is_corrected(client, listings):
    assert found(client, "Anacostia Bred Workrs") == ["Anacostia Bread Workers"]
    assert found(client, "Hyatsville") == []  # a hidden city is not a word of the directory


def test_a_farther_correction_is_only_suggested(client, listings):
    # Two edits in a five-letter word: offered, not searched.
    response = search(client, "wrkrs bread", state="DC", page="1")
    assert response.context["spelling_suggestion"] == "workers bread"
    assert response.context["spelling_suggestion_query"] == "q=workers+bread&state=DC"
    assert response.context["search_corrected_from"] == ""


def test_nothing_near_gives_no_suggestion(client, listings):
    response = search(client, "zzqx")
    assert list(response.context["organizations"]) == []
    assert response.context["spelling_suggestion"] == ""
    assert response.context["search_corrected_from"] == ""


def test_a_query_that_matches_is_not_corrected(client, listings):
    response = search(client, "bread")
    assert response.context["search_corrected_from"] == ""
    assert response.context["search_query"] == "bread"


def test_partial_words_match(client, listings):
    assert found(client, "anacost") == ["Anacostia Bread Workers"]
    assert found(client, "sourd ry") == ["Anacostia Bread Workers"]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="trigrams match inside words")
def test_sqlite_matches_inside_words(client, listings):
    assert found(client, "dough") == ["Anacostia Bread Workers"]


def test_accents_do_not_matter(client, listings):
    assert found(client, "cafe solidario") == ["Café Solidario"]
    assert found(client, "CAFÉ") == ["Café Solidario"]
    OrganizationFactory(name="Cafe Luna")
    assert found(client, "café") == ["Cafe Luna", "Café Solidario"]


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("bakery", "Anacostia Bread Workers"),
        ("bakeries", "Anacostia Bread Workers"),
        ("food bank", "Eastside Community Pantry"),
        ("food pantry", "Eastside Community Pantry"),
        ("credit union", "Capital Area Federal Credit Union"),
        ("CU", "Capital Area Federal Credit Union"),
    ],
)
def test_synonyms(client, listings, query, name):
    assert found(client, query) == [name]


def test_co_op_spellings_are_one_word(client, listings):
    OrganizationFactory(name="Riverside Co-op Grocery")
    OrganizationFactory(name="Hilltop Coop Market")
    OrganizationFactory(name="Valley Co-operative Store")
    expected = ["Hilltop Coop Market", "Riverside Co-op Grocery", "Valley Co-operative Store"]
    for query in ("co-op", "coop", "cooperative", "co-operatives"):
        names = found(client, query, type="worker-cooperative")
        assert set(expected) <= set(names), query


@pytest.mark.parametrize("query", ["spanish", "Spanish", "español", "espanol", "ESPAÑOL"])
def test_language_names_in_english_and_spanish(client, listings, query):
    assert found(client, query) == ["Anacostia Bread Workers"]


def test_other_languages_by_name(client, listings):
    assert found(client, "amharic") == ["Eastside Community Pantry"]
    assert found(client, "français") == ["Café Solidario"]
    assert found(client, "francais") == ["Café Solidario"]
    assert found(client, "french") == ["Café Solidario"]
    assert found(client, "korean") == []


def test_types_and_sectors_match(client, listings):
    # "housing": the housing co-op by its type, the café by its sector.
    assert found(client, "housing") == ["Café Solidario", "Maple Court Homeowners"]
    assert found(client, "food spanish") == ["Anacostia Bread Workers"]
    assert found(client, "mutual aid") == ["Eastside Community Pantry"]


def test_how_to_join_and_eligibility_match(client, listings):
    assert found(client, "waiting list") == ["Maple Court Homeowners"]
    assert found(client, "needs food") == ["Eastside Community Pantry"]


def test_public_cities_and_counties_match(client, listings):
    assert found(client, "silver spring") == ["Maple Court Homeowners"]
    assert found(client, "mount rainier") == ["Café Solidario"]  # approximate: city is public
    assert "Anacostia Bread Workers" in found(client, "district of columbia")


def test_a_hidden_location_city_never_finds_its_listing(client, listings):
    assert found(client, "hyattsville") == []
    assert found(client, "eastside hyattsville") == []
    assert found(client, "eastside") == ["Eastside Community Pantry"]


def test_unpublished_listings_are_never_found_or_suggested(client, listings):
    for status in (
        OrganizationStatus.DRAFT,
        OrganizationStatus.PENDING,
        OrganizationStatus.ARCHIVED,
    ):
        OrganizationFactory(name=f"Zebrafish Collective {status}", status=status)
    response = search(client, "zebrafish")
    assert list(response.context["organizations"]) == []
    response = search(client, "zebrafsh")
    assert response.context["spelling_suggestion"] == ""
    assert response.context["search_corrected_from"] == ""


def test_the_index_follows_create_update_and_delete(client, listings):
    organization = OrganizationFactory(name="Pretzel Makers Union")
    assert found(client, "pretzel") == ["Pretzel Makers Union"]
    organization.name = "Bagel Makers Union"
    organization.save()
    assert found(client, "pretzel") == []
    assert found(client, "bagel") == ["Bagel Makers Union"]
    organization.delete()
    assert found(client, "bagel") == []


def test_the_index_follows_status_changes(client, listings):
    organization = listings["bakery"]
    services.archive([organization])
    assert found(client, "sourdough") == []
    services.publish([Organization.objects.get(pk=organization.pk)])
    assert found(client, "sourdough") == ["Anacostia Bread Workers"]


def test_the_index_follows_locations_and_their_precision(client, listings):
    location = listings["housing"].locations.get()
    location.precision = Precision.HIDDEN
    location.save()
    assert found(client, "silver spring") == []
    location.precision = Precision.EXACT
    location.city = "Takoma Park"
    location.save()
    assert found(client, "takoma") == ["Maple Court Homeowners"]
    location.delete()
    assert found(client, "takoma") == []


def test_the_index_follows_languages_sectors_and_renames(client, listings):
    housing = listings["housing"]
    housing.languages.add(Language.objects.get(code="ko"))
    assert found(client, "korean") == ["Maple Court Homeowners"]
    housing.languages.clear()
    assert found(client, "korean") == []
    housing.sectors.add(Sector.objects.get(slug="energy"))
    assert found(client, "energy") == ["Maple Court Homeowners"]
    Sector.objects.filter(slug="energy").update(name="Solar power")
    assert found(client, "solar") == ["Maple Court Homeowners"]


def test_the_index_follows_a_merge(client, listings):
    duplicate = OrganizationFactory(name="Maple Court Homes (old entry)")
    # Far enough from the survivor's place to be a second one (a merge keeps one pin per place).
    LocationFactory(
        organization=duplicate,
        city="Wheaton",
        state="MD",
        zip_code="20902",
        latitude=39.0398,
        longitude=-77.0555,
    )
    merge(duplicate=duplicate, survivor=listings["housing"], user=UserFactory(organizer=True))
    assert found(client, "wheaton") == ["Maple Court Homeowners"]
    assert found(client, "old entry") == []


def test_search_query_count_does_not_grow_with_results(client, listings):
    def queries_for(query):
        with CaptureQueriesContext(connection) as captured:
            search(client, query, url=HOME_URL)
        return len(captured)

    few = queries_for("bread"), queries_for("cooperatve")
    for index in range(30):
        OrganizationFactory(name=f"Bread Cooperative {index}", languages=["es", "en"])
    assert (queries_for("bread"), queries_for("cooperatve")) == few


def test_the_issue_examples_on_the_demo_data(client, demo_data):
    """Issue 13: on SQLite these found nothing."""
    assert "Anacostia Bread Workers Cooperative (demo)" in found(client, "bakery")
    speaks_spanish = Organization.objects.published().filter(languages__code="es").count()
    assert speaks_spanish
    for query in ("spanish", "español"):
        response = search(client, query)
        assert response.context["page_obj"].paginator.count >= speaks_spanish
    response = search(client, "cooperatve", url=HOME_URL)
    assert response.context["search_corrected_from"] == "cooperatve"
    assert response.context["page_obj"].paginator.count > 0


def test_bulk_created_listings_are_searchable_and_kept_in_step(client):
    from django.core.management import call_command

    call_command("generate_listings", "--count", "20", "--seed", "3", verbosity=0)
    synthetic = Organization.objects.order_by("slug").first()
    assert synthetic.name in found(client, synthetic.name)
    # The triggers are back after the bulk insert: a later save is searchable at once.
    synthetic.name = "Quokka Bulk Cooperative"
    synthetic.save()
    assert found(client, "quokka") == ["Quokka Bulk Cooperative"]


def test_the_vocabulary_counts_the_words_of_published_names(db):
    from directory.browse.vocabulary import word_counts

    OrganizationFactory(name="Café  Luna 12")
    OrganizationFactory(name="Luna\tBakery Co-op")
    OrganizationFactory(name="3 Rivers Luna Luna")
    OrganizationFactory(name="Luna Draft", status=OrganizationStatus.DRAFT)
    counts = word_counts(connection.alias)
    assert counts["luna"] >= 4  # once per occurrence in a published name
    assert counts["cafe"] >= 1  # accents folded
    assert counts["rivers"] == 1
    assert counts["draft"] == 0  # an unpublished name is not a word of the directory
    assert "12" not in counts and "3" not in counts


def test_another_process_reads_the_vocabulary_from_the_shared_cache(client, listings, monkeypatch):
    from directory.browse import vocabulary

    def name_reads(**params):
        with CaptureQueriesContext(connection) as captured:
            response = search(client, "cooperatve", **params)
        assert response.context["search_corrected_from"] == "cooperatve"
        return sum('"directory_organization"."name"' in query["sql"] for query in captured)

    first = name_reads()
    # A fresh process at the same data version: no copy of its own yet.
    monkeypatch.setattr(vocabulary, "_BUILT", {})
    # (Another order, so no page kept from the first request answers it.)
    assert name_reads(sort="name") < first
