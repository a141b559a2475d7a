"""Public pages show published organizations only, through the shared filters."""

import datetime
import re

import pytest
from django.urls import reverse

from directory.models import Jurisdiction
from tests.support.factories import LocationFactory, OrganizationFactory, organization_type

pytestmark = pytest.mark.django_db

LIST_URL = reverse("directory:organization-list")


def names(response):
    return {organization.name for organization in response.context["organizations"]}


def test_home_lists_real_published_organizations(client, published_organization):
    OrganizationFactory(name="Secret Draft Co-op", status="draft")
    response = client.get(reverse("directory:home"))
    text = response.content.decode()
    assert "Takoma Bread Cooperative" in text
    assert "Secret Draft Co-op" not in text


def test_the_footer_links_partners_to_the_api_documentation(client):
    response = client.get(reverse("directory:home"))
    text = response.content.decode()
    footer = re.search(r'<footer class="site-footer">(.*?)</footer>', text, re.S)
    assert footer, "the page has the site footer"
    link = re.search(r'<a href="([^"]+)">([^<]+)</a>', footer.group(1))
    assert link and link.group(1) == reverse("directory:api-docs") == "/api/"
    assert "API" in link.group(2)


@pytest.mark.parametrize("status", ["draft", "pending", "archived"])
def test_unpublished_organizations_are_not_found(client, status):
    organization = OrganizationFactory(status=status)
    assert client.get(organization.get_absolute_url()).status_code == 404
    assert organization.name not in client.get(LIST_URL).content.decode()


def test_the_detail_page_shows_public_fields_but_not_internal_ones(client):
    organization = OrganizationFactory(
        name="Shaw Credit Union",
        website="https://example.org/shaw",
        phone="(202) 555-0100",
        internal_contact_email="private@example.org",
        internal_notes="Board is divided.",
    )
    LocationFactory(organization=organization, street_address="1 Secret Way", precision="hidden")
    text = client.get(organization.get_absolute_url()).content.decode()
    assert "Shaw Credit Union" in text
    assert 'href="tel:(202)555-0100"' in text
    assert "private@example.org" not in text
    assert "Board is divided" not in text
    assert "1 Secret Way" not in text
    assert "not shown publicly" in text


def test_type_pages_describe_the_type_and_list_only_that_type(client, published_organization):
    response = client.get(reverse("directory:type-detail", args=["worker-cooperative"]))
    assert response.status_code == 200
    assert "owned and run by the people who work in it" in response.content.decode()
    assert names(response) == {"Takoma Bread Cooperative"}
    assert client.get(reverse("directory:type-detail", args=["no-such-type"])).status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        {"type": "bakery"},
        {"state": "NY"},
        {"near": "10001"},
        {"near": "nan,nan"},
        {"radius": "-5", "near": "20001"},
        {"page": "abc"},
        {"page": "0"},
        {"page": "99999"},
        {"q": "x" * 10_000},
    ],
)
def test_bad_filters_are_a_400_with_a_message(client, query):
    response = client.get(LIST_URL, query)
    assert response.status_code == 400
    assert "could not be used" in response.content.decode()


@pytest.mark.parametrize("radius", ["0.1", "250"])
def test_the_documented_radius_limits_are_accepted(client, published_organization, radius):
    # 0.1 was refused: the form's Decimal compared with a float bound (0.1 is slightly
    # more than one tenth as a float).
    response = client.get(LIST_URL, {"near": "20912", "radius": radius})
    assert response.status_code == 200


@pytest.mark.parametrize("radius", ["0.09", "250.01"])
def test_a_radius_outside_the_limits_is_a_400(client, radius):
    assert client.get(LIST_URL, {"near": "20912", "radius": radius}).status_code == 400


def test_filters_narrow_the_list(client, published_organization):
    OrganizationFactory(name="Richmond Lenders", type=published_organization.type)
    assert names(client.get(LIST_URL, {"state": "MD"})) == {"Takoma Bread Cooperative"}
    assert names(client.get(LIST_URL, {"q": "takoma"})) == {"Takoma Bread Cooperative"}
    assert names(client.get(LIST_URL, {"near": "20912", "radius": "5"})) == {
        "Takoma Bread Cooperative"
    }


@pytest.fixture
def directory(db):
    """A small directory where each filter has something to keep and something to drop."""
    baltimore = Jurisdiction.objects.get(fips="24510")
    arlington = Jurisdiction.objects.get(fips="51013")
    bakery = OrganizationFactory(
        name="Harbor Bakery Workers",
        type=organization_type("worker-cooperative"),
        accepting_members="yes",
        languages=["en", "es"],
        sectors=["food"],
        service_area=["24510"],
        last_verified=datetime.date(2024, 5, 1),
    )
    LocationFactory(
        organization=bakery,
        city="Baltimore",
        state="MD",
        zip_code="21201",
        jurisdiction=baltimore,
        latitude=39.2904,
        longitude=-76.6122,
    )
    credit_union = OrganizationFactory(
        name="Arlington Neighbors Credit Union",
        type=organization_type("credit-union"),
        accepting_members="no",
        languages=["en"],
        sectors=["money-finance"],
        service_area=["51013", "11001"],
        last_verified=datetime.date(2025, 1, 10),
    )
    LocationFactory(
        organization=credit_union,
        city="Arlington",
        state="VA",
        zip_code="22201",
        jurisdiction=arlington,
        latitude=38.8816,
        longitude=-77.0910,
    )
    mutual_aid = OrganizationFactory(
        name="Shaw Mutual Aid",
        type=organization_type("mutual-aid"),
        accepting_members="unknown",
        languages=["am"],
        sectors=["care-health"],
        service_area=["11001"],
        last_verified=None,
    )
    LocationFactory(organization=mutual_aid, precision="hidden")
    return {"bakery": bakery, "credit_union": credit_union, "mutual_aid": mutual_aid}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"type": "worker-cooperative"}, {"Harbor Bakery Workers"}),
        (
            {"type": ["worker-cooperative", "credit-union"]},
            {"Harbor Bakery Workers", "Arlington Neighbors Credit Union"},
        ),
        ({"state": "VA"}, {"Arlington Neighbors Credit Union"}),
        ({"state": "DC"}, {"Arlington Neighbors Credit Union", "Shaw Mutual Aid"}),
        ({"jurisdiction": "24510"}, {"Harbor Bakery Workers"}),
        ({"serves": "11001"}, {"Arlington Neighbors Credit Union", "Shaw Mutual Aid"}),
        ({"sector": "food"}, {"Harbor Bakery Workers"}),
        ({"sector": ["food", "care-health"]}, {"Harbor Bakery Workers", "Shaw Mutual Aid"}),
        ({"language": "es"}, {"Harbor Bakery Workers"}),
        ({"language": "am"}, {"Shaw Mutual Aid"}),
        ({"accepting": "no"}, {"Arlington Neighbors Credit Union"}),
        ({"near": "21201", "radius": "10"}, {"Harbor Bakery Workers"}),
        ({"near": "38.88,-77.09", "radius": "2"}, {"Arlington Neighbors Credit Union"}),
        (
            {"near": "20001", "radius": "1"},
            {"Shaw Mutual Aid", "Arlington Neighbors Credit Union"},
        ),
        ({"bbox": "-77.2,38.8,-77.0,38.9"}, {"Arlington Neighbors Credit Union"}),
        ({"q": "bakery"}, {"Harbor Bakery Workers"}),
        ({"q": "Arlington"}, {"Arlington Neighbors Credit Union"}),
        ({"state": "MD", "accepting": "no"}, set()),
    ],
)
def test_each_filter_narrows_the_list(client, directory, query, expected):
    response = client.get(LIST_URL, query)
    assert response.status_code == 200
    assert names(response) == expected


def test_near_a_zip_serves_groups_without_a_pin_by_their_service_area(client, directory):
    """Neither has a public point within a mile of ZIP 20001; both serve DC."""
    response = client.get(LIST_URL, {"near": "20001", "radius": "1"})
    assert names(response) == {"Shaw Mutual Aid", "Arlington Neighbors Credit Union"}
    assert names(client.get(LIST_URL, {"near": "38.9,-77.03", "radius": "1"})) == set()


def test_the_list_sorts_by_name_distance_and_recently_verified(client, directory):
    def order(query):
        return [o.name for o in client.get(LIST_URL, query).context["organizations"]]

    assert order({}) == [
        "Arlington Neighbors Credit Union",
        "Harbor Bakery Workers",
        "Shaw Mutual Aid",
    ]
    assert order({"sort": "verified"}) == [
        "Arlington Neighbors Credit Union",
        "Harbor Bakery Workers",
        "Shaw Mutual Aid",
    ]
    assert order({"near": "21201", "radius": "100"})[:2] == [
        "Harbor Bakery Workers",
        "Arlington Neighbors Credit Union",
    ]
    assert order({"near": "21201", "radius": "100", "sort": "name"})[0] == (
        "Arlington Neighbors Credit Union"
    )


def test_distances_are_shown_when_searching_near_a_place(client, directory):
    text = client.get(LIST_URL, {"near": "21201", "radius": "10"}).content.decode()
    assert "miles away" in text


def test_type_checkboxes_show_counts_for_the_other_filters(client, directory):
    response = client.get(reverse("directory:home"), {"state": "MD", "type": "credit-union"})
    assert response.context["type_counts"] == {"worker-cooperative": 1}
    text = response.content.decode()
    assert 'data-type-count="worker-cooperative">(1)</span>' in text
    assert 'data-type-count="credit-union">(0)</span>' in text


def test_the_results_partial_carries_list_and_type_counts(client, directory):
    response = client.get(reverse("directory:results-partial"), {"accepting": "yes"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Harbor Bakery Workers" in text
    assert "Arlington Neighbors Credit Union" not in text
    assert '<script id="type-counts" type="application/json">{"worker-cooperative": 1}' in text
    assert "<html" not in text


def test_list_and_map_pages_link_to_the_csv_export_with_the_current_filters(client, directory):
    for url in (LIST_URL, reverse("directory:home")):
        text = client.get(url, {"state": "MD", "type": "worker-cooperative", "page": "1"})
        assert (
            'href="/export/organizations.csv?state=MD&amp;type=worker-cooperative"'
            in text.content.decode()
        )


def test_a_type_page_exports_its_type(client, directory):
    url = reverse("directory:type-detail", args=["credit-union"])
    text = client.get(url, {"state": "VA"}).content.decode()
    assert 'href="/export/organizations.csv?state=VA&amp;type=credit-union"' in text
    assert names(client.get(url)) == {"Arlington Neighbors Credit Union"}


def test_the_filter_form_keeps_what_was_chosen(client, directory):
    text = client.get(
        reverse("directory:home"), {"q": "bread", "type": "credit-union", "state": "VA"}
    ).content.decode()
    assert 'name="q" value="bread"' in text
    assert 'value="credit-union" checked' in text
    assert '<option value="VA" selected>' in text


def test_the_home_page_shows_a_map_list_and_share_dialog(client, directory):
    text = client.get(reverse("directory:home")).content.decode()
    assert 'data-map="map-config"' in text
    assert '<script id="map-config" type="application/json">' in text
    assert "leaflet/leaflet.js" in text
    assert "vendor/supercluster-9.1.0/supercluster.min.js" in text
    assert "data-share-dialog" in text
    assert "Harbor Bakery Workers" in text


def test_pages_without_a_map_do_not_load_map_scripts(client, directory):
    assert "leaflet.js" not in client.get(LIST_URL).content.decode()
    hidden_only = directory["mutual_aid"]
    text = client.get(hidden_only.get_absolute_url()).content.decode()
    assert "leaflet.js" not in text
    assert "Location not shown publicly." in text


@pytest.mark.parametrize("url_name", ["home", "organization-list", "embed"])
def test_public_pages_have_no_inline_script_code_styles_or_handlers(client, directory, url_name):
    text = client.get(reverse(f"directory:{url_name}")).content.decode()
    for script in re.findall(r"<script\b[^>]*>", text):
        assert "src=" in script or 'type="application/json"' in script, script
    assert not re.search(r"\sstyle=", text)
    assert not re.search(r"\son[a-z]+=", text)
    assert "javascript:" not in text


def test_only_the_embed_may_be_framed(client, directory):
    assert "X-Frame-Options" not in client.get(reverse("directory:embed"))
    for url in (reverse("directory:home"), LIST_URL, directory["bakery"].get_absolute_url()):
        assert client.get(url)["X-Frame-Options"] == "DENY"


def test_the_embed_takes_the_same_filters_without_site_chrome(client, directory):
    response = client.get(reverse("directory:embed"), {"type": "credit-union"})
    text = response.content.decode()
    assert names(response) == {"Arlington Neighbors Credit Union"}
    assert "site-header" not in text
    assert 'target="_blank" rel="noopener"' in text
    assert "http://testserver/?type=credit-union" in text


def test_a_bad_filter_on_the_embed_is_a_400_with_a_message(client, directory):
    response = client.get(reverse("directory:embed"), {"state": "NY"})
    assert response.status_code == 400
    assert "could not be used" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {"bbox": "1,2,3"},
        {"bbox": "a,b,c,d"},
        {"bbox": "nan,38,-77,39"},
        {"bbox": "-200,38,-77,39"},
        {"jurisdiction": "99999"},
        {"serves": "abc"},
        {"sector": "space-travel"},
        {"language": "xx"},
        {"accepting": "maybe"},
        {"sort": "random"},
        {"near": "20001", "radius": "abc"},
    ],
)
def test_more_bad_filters_are_a_400_with_a_message(client, query):
    for url in (LIST_URL, reverse("directory:home"), reverse("directory:results-partial")):
        response = client.get(url, query)
        assert response.status_code == 400
        assert "could not be used" in response.content.decode()


def test_a_zip_outside_the_region_says_so(client):
    response = client.get(reverse("directory:home"), {"near": "10001"})
    assert response.status_code == 400
    assert "DC, Maryland and Virginia only" in response.content.decode()


def test_a_radius_without_a_place_is_ignored_with_a_notice(client, directory):
    response = client.get(LIST_URL, {"radius": "5"})
    assert response.status_code == 200
    assert len(names(response)) == 3
    assert "applies only with a ZIP code" in response.content.decode()


def test_the_list_uses_a_constant_number_of_queries(client, django_assert_max_num_queries):
    for _ in range(30):
        LocationFactory(organization=OrganizationFactory(languages=["en", "es"]))
    with django_assert_max_num_queries(14):
        response = client.get(LIST_URL, {"language": "en"})
    assert len(response.context["organizations"]) == 25


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Disallow: /admin/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


def test_map_pages_preload_the_map_data_they_show(client, directory):
    home = client.get(reverse("directory:home"), {"state": "MD", "page": "1"})
    assert home.context["map_config"]["initialDataUrl"] == "/api/locations.geojson?state=MD"
    assert (
        '<link rel="preload" href="/api/locations.geojson?state=MD" as="fetch" '
        'crossorigin="anonymous">' in home.content.decode()
    )
    type_page = client.get(reverse("directory:type-detail", args=["mutual-aid"]))
    assert type_page.context["map_config"]["initialDataUrl"] == (
        "/api/locations.geojson?type=mutual-aid"
    )
