"""What the browse pages say in each state, without JavaScript: no match, filters in
use, a radius too small, counts from the current query, counties grouped by state."""

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from tests.support.factories import LocationFactory, OrganizationFactory, organization_type

pytestmark = pytest.mark.django_db

HOME = reverse("directory:home")
LIST_URL = reverse("directory:organization-list")
PARTIAL = reverse("directory:results-partial")


@pytest.fixture
def bakery(db):
    organization = OrganizationFactory(name="Harbor Bakery Workers", type=organization_type())
    LocationFactory(
        organization=organization,
        city="Baltimore",
        state="MD",
        zip_code="21201",
        latitude=39.290412,
        longitude=-76.612189,
    )
    return organization


@pytest.mark.parametrize("url", [HOME, LIST_URL, PARTIAL])
def test_no_match_says_zero_and_offers_ways_out(client, bakery, url):
    text = client.get(url, {"q": "zzqx", "state": "MD"}).content.decode()
    assert "0 organizations" in text
    assert "No organizations match" in text
    assert 'href="?state=MD" data-remove-filter' in text
    assert 'href="?q=zzqx" data-remove-filter' in text
    assert f'href="{reverse("directory:suggest")}"' in text


def test_the_counts_follow_the_query_even_when_nothing_matches(client, bakery):
    text = client.get(PARTIAL, {"q": "zzqx"}).content.decode()
    assert '<script id="type-counts" type="application/json">{}</script>' in text
    assert '<script id="applied-count" type="application/json">1</script>' in text
    page = client.get(HOME, {"q": "zzqx"}).content.decode()
    assert 'data-type-count="worker-cooperative">(0)</span>' in page


def test_a_radius_with_no_match_offers_the_next_wider_one(client, bakery):
    text = client.get(LIST_URL, {"near": "21201", "radius": "1", "q": "zzqx"}).content.decode()
    assert 'href="?near=21201&amp;radius=5&amp;q=zzqx" data-widen-radius' in text


def test_filters_in_use_are_chips_that_remove_one_value(client, bakery):
    text = client.get(LIST_URL, {"type": ["credit-union", "worker-cooperative"]}).content.decode()
    assert 'href="?type=worker-cooperative" data-remove-filter>Credit union' in text
    assert 'href="?type=credit-union" data-remove-filter>Worker cooperative' in text
    assert '<span class="filter-count" data-filter-count>2</span>' in text


def test_near_results_carry_the_point_and_radius_for_the_map_ring(client, bakery):
    text = client.get(HOME, {"near": "21201", "radius": "10"}).content.decode()
    assert 'data-near-radius="10"' in text
    assert "data-near-lat=" in text and "data-near-label=" in text


def test_counties_are_grouped_by_state_for_the_script_to_follow_the_state(client):
    text = client.get(HOME).content.decode()
    assert '<optgroup label="Virginia" data-state="VA">' in text
    assert '<optgroup label="Maryland" data-state="MD">' in text


def test_cards_and_filters_draw_each_type_s_marker(client, bakery):
    text = client.get(LIST_URL).content.decode()
    assert text.count('class="type-marker"') >= 1 + 10  # the card and each type's checkbox
    assert 'fill="#332288"' in text  # worker cooperatives' colour


def test_a_spelling_suggestion_from_search_is_offered():
    request = RequestFactory().get(LIST_URL, {"q": "cooperatve"})
    html = render_to_string(
        "includes/empty_state.html",
        {"spelling_suggestion": "cooperative", "applied": [], "request": request},
    )
    assert 'href="?q=cooperative&amp;page=1" data-spelling-suggestion>cooperative</a>' in html


def test_the_design_reference_shows_the_tokens(client):
    text = client.get(reverse("directory:design")).content.decode()
    assert "--color-accent" in text and "--space-8" in text
    assert 'name="robots" content="noindex"' in text
