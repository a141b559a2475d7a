"""The public map in a real browser: markers, filters in the URL, popups, near me,
the share dialog, the embed, escaping, accessibility and screenshots."""

import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command
from django.templatetags.static import static
from playwright.sync_api import expect

from directory.listings import privacy
from directory.models import Organization
from tests.support.factories import LocationFactory, OrganizationFactory, organization_type

# Loaded by URL from the site itself: the Content-Security-Policy refuses inline scripts,
# which is what add_script_tag(path=...) would insert.
AXE = "vendor/axe-core-4.11.0/axe.min.js"
MAP_READY = "[data-map][data-map-state=ready]"


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo_data")


def visible_points(**filters):
    return privacy.on_map().filter(**filters).count()


def map_points(page):
    page.wait_for_selector(MAP_READY)
    return int(page.locator("[data-map]").get_attribute("data-map-points"))


def expect_map_points(page, count: int) -> None:
    """Wait until the map shows `count` points. Playwright's expect() and locators, not
    page.wait_for_function(): that evaluates its expression with eval() in the page on
    every poll, which the site's Content-Security-Policy refuses (no 'unsafe-eval'),
    so it fails or logs a console error whenever the condition is not true at once."""
    expect(page.locator("[data-map]")).to_have_attribute("data-map-points", str(count))


def query(page):
    return parse_qs(urlsplit(page.url).query)


def serious_accessibility_violations(page):
    page.add_script_tag(url=static(AXE))
    return page.evaluate(
        """async () => {
            const results = await axe.run(document, {resultTypes: ['violations']});
            return results.violations
              .filter((v) => v.impact === 'serious' || v.impact === 'critical')
              .map((v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).join(', '));
        }"""
    )


def test_the_map_shows_the_demo_data_as_clusters_and_pins(page, demo, screenshot):
    page.goto("/")
    assert map_points(page) == visible_points()
    assert page.locator(".map-cluster").count() >= 1
    assert page.locator(".map-pin").count() >= 1
    assert page.locator(".organization-card").count() == 25
    screenshot(page, "home-1280x800")
    assert page.errors == []


def test_a_filter_updates_map_list_and_address_and_back_restores_it(page, demo):
    page.goto("/")
    everything = map_points(page)
    page.get_by_label(re.compile(r"^Credit union")).check()
    page.wait_for_url(re.compile(r"type=credit-union"))
    expect_map_points(page, visible_points(organization__type__slug="credit-union"))
    other_types = page.locator(".organization-card .type-badge:not([data-type=credit-union])")
    expect(other_types).to_have_count(0)
    cards = page.locator(".organization-card .type-badge")
    expect(cards).to_have_count(
        Organization.objects.published().filter(type__slug="credit-union").count()
    )
    assert query(page) == {"type": ["credit-union"]}

    page.go_back()
    expect_map_points(page, everything)
    assert not page.get_by_label(re.compile(r"^Credit union")).is_checked()
    assert query(page) == {}
    expect(page.locator(".organization-card")).to_have_count(25)

    page.go_forward()
    page.wait_for_url(re.compile(r"type=credit-union"))
    assert page.get_by_label(re.compile(r"^Credit union")).is_checked()
    assert page.errors == []


def test_a_shared_link_restores_the_same_view(page, demo):
    page.goto("/?state=VA&accepting=yes")
    points = map_points(page)
    assert page.locator("#filter-state").input_value() == "VA"
    assert page.locator("#filter-accepting").input_value() == "yes"
    expected = (
        privacy.on_map()
        .filter(organization__accepting_members="yes")
        .filter(organization__in=Organization.objects.filter(locations__state="VA"))
        .count()
    )
    assert points <= expected + visible_points(organization__accepting_members="yes")
    assert points > 0
    assert page.errors == []


def test_typing_a_search_updates_the_results(page, demo):
    page.goto("/")
    map_points(page)
    page.get_by_label("Search by name, place or activity").fill("takoma food coop")
    page.wait_for_url(re.compile(r"q=takoma"))
    expect(page.locator(".organization-card")).to_have_count(1)
    assert "Takoma Community Food Co-op (demo)" in page.locator(".organization-card").inner_text()
    assert page.errors == []


def test_a_popup_opens_by_mouse_or_keyboard_and_links_to_the_page(page, demo):
    organization = Organization.objects.get(name="Takoma Community Food Co-op (demo)")
    page.goto("/?q=takoma+food+coop")
    assert map_points(page) == 1
    pin = page.locator(".map-pin")
    pin.click()
    link = page.locator(".leaflet-popup .map-popup a", has_text=organization.name)
    assert link.is_visible()
    assert "Consumer cooperative" in page.locator(".leaflet-popup").inner_text()
    page.keyboard.press("Escape")
    page.locator(".leaflet-popup").wait_for(state="detached")

    pin.focus()
    page.keyboard.press("Enter")
    link.wait_for()
    assert page.evaluate("() => document.activeElement.textContent") == organization.name
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{organization.get_absolute_url()}")
    assert page.locator("h1").inner_text() == organization.name
    assert page.errors == []


def test_a_cluster_zooms_in_when_selected(page, demo):
    page.goto("/")
    map_points(page)
    before = page.url  # the view (zoom and centre) is kept in the address's #fragment
    page.locator(".map-cluster").first.click()
    expect(page).not_to_have_url(before)
    assert urlsplit(page.url).fragment
    assert page.errors == []


def test_markup_in_a_name_is_shown_as_text_everywhere_and_never_runs(page, live_server):
    name = "<img src=x onerror=alert(1)>"
    organization = OrganizationFactory(name=name, slug="markup-test", summary=name)
    LocationFactory(organization=organization, city=name)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    page.goto("/")
    assert map_points(page) == 1
    page.locator(".map-pin").click()
    assert page.locator(".leaflet-popup .map-popup-name").inner_text() == name
    assert name in page.locator(".leaflet-popup .map-popup-meta").inner_text()
    assert page.locator(".organization-card h3").inner_text() == name
    page.locator(".leaflet-popup .map-popup a").click()
    page.wait_for_url("**/organizations/markup-test/")
    assert page.locator("h1").inner_text() == name
    for url in ("/organizations/", "/embed/", "/types/worker-cooperative/"):
        page.goto(url)
        assert page.get_by_text(name).first.is_visible()
    assert page.locator("img[src=x]").count() == 0
    assert dialogs == []
    assert page.errors == []


def test_near_me_uses_the_browsers_location_and_sorts_by_distance(browser_context, demo):
    context = browser_context(
        geolocation={"latitude": 38.98, "longitude": -77.0}, permissions=["geolocation"]
    )
    page = context.new_page()
    page.goto("/")
    page.wait_for_selector(MAP_READY)
    page.get_by_role("button", name="Use my location").click()
    page.wait_for_url(re.compile(r"near=38\.98"))
    page.wait_for_selector(".organization-card .distance")
    distances = [
        float(text.split()[0])
        for text in page.locator(".organization-card .distance").all_inner_texts()
    ]
    assert distances == sorted(distances)
    assert distances[-1] <= 25


def test_a_zip_outside_the_region_says_so(page, demo):
    page.goto("/")
    page.wait_for_selector(MAP_READY)
    page.get_by_label("ZIP code (or latitude,longitude)").fill("10001")
    page.get_by_role("button", name="Show results").click()
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "DC, Maryland and Virginia only" in alert.inner_text()
    assert "DC, Maryland and Virginia only" in page.locator("[data-map-notice]").inner_text()


def test_the_share_dialog_gives_a_link_and_iframe_code_for_this_view(page, demo):
    page.goto("/?type=mutual-aid")
    page.wait_for_selector(MAP_READY)
    page.get_by_role("button", name="Share or embed this map").click()
    dialog = page.get_by_role("dialog")
    assert dialog.is_visible()
    link = dialog.get_by_label("Link to this view").input_value()
    code = dialog.get_by_label("Code to put this map on your website").input_value()
    assert link.startswith(f"{page.url.split('?')[0]}?type=mutual-aid")
    assert re.fullmatch(
        r'<iframe src="[^"]+/embed/\?type=mutual-aid" title="[^"]+" .*></iframe>', code
    )
    dialog.get_by_role("button", name="Close").click()
    assert not dialog.is_visible()


@pytest.fixture
def partner_site(live_server):
    """A partner's web page that frames the embed, served from another origin by a real
    server (Chromium's local-network checks refuse a frame under a page it cannot place),
    so the Content-Security-Policy's frame-ancestors meets a real partner origin."""
    body = (
        f'<!doctype html><title>Partner</title><iframe title="Map" '
        f'src="{live_server.url}/embed/?type=credit-union" width="800" height="700"></iframe>'
    ).encode()

    class PartnerPage(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), PartnerPage)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/our-map/"
    server.shutdown()
    server.server_close()


def test_the_embed_works_inside_a_partner_page(page, demo, partner_site):
    page.route(partner_site, lambda route: route.continue_())
    page.goto(partner_site)
    frame = page.frame_locator("iframe")
    frame.locator(MAP_READY).wait_for()
    points = int(frame.locator("[data-map]").get_attribute("data-map-points"))
    assert points == visible_points(organization__type__slug="credit-union")
    assert frame.locator(".organization-card").count() >= 1
    assert page.errors == []


def test_on_a_phone_the_map_and_the_list_take_turns(browser_context, demo, screenshot):
    page = browser_context(viewport={"width": 390, "height": 844}).new_page()
    page.goto("/")
    page.wait_for_selector(MAP_READY)
    screenshot(page, "home-390x844")
    results = page.locator(".results-column")
    assert page.locator("#map").is_visible()
    assert not results.is_visible()
    page.get_by_role("button", name="List", exact=True).click()
    assert results.is_visible()
    assert not page.locator("#map").is_visible()
    assert (
        page.get_by_role("button", name="List", exact=True).get_attribute("aria-pressed") == "true"
    )
    page.get_by_role("button", name="Map", exact=True).click()
    assert page.locator("#map").is_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390


def test_at_360_pixels_nothing_overflows(browser_context, demo):
    page = browser_context(viewport={"width": 360, "height": 740}).new_page()
    for url in ("/", "/organizations/", "/types/mutual-aid/"):
        page.goto(url)
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 360, url


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/organizations/",
        "/organizations/takoma-community-food-co-op-demo/",
        "/types/credit-union/",
        "/embed/",
    ],
)
def test_pages_have_no_serious_accessibility_problems_or_console_errors(page, demo, url):
    page.goto(url)
    if page.locator("[data-map]").count():
        # A detail page's mini-map starts when it comes near the screen.
        page.locator("[data-map]").scroll_into_view_if_needed()
        page.wait_for_selector(MAP_READY)
    assert serious_accessibility_violations(page) == []
    assert page.errors == []


def test_the_detail_page_shows_a_mini_map(page, demo, screenshot):
    organization = Organization.objects.get(name="Takoma Community Food Co-op (demo)")
    page.goto(organization.get_absolute_url())
    page.wait_for_selector(MAP_READY)
    assert page.locator(".mini-map .map-pin").count() >= 1
    screenshot(page, "organization-detail-1280x800")
    assert page.errors == []


def test_on_a_phone_the_mini_map_loads_leaflet_only_when_scrolled_near(browser_context, demo):
    page = browser_context(viewport={"width": 390, "height": 844}).new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    organization = Organization.objects.get(name="Takoma Community Food Co-op (demo)")
    page.goto(organization.get_absolute_url())
    page.wait_for_load_state("networkidle")
    assert page.evaluate("() => typeof window.L") == "undefined"
    assert page.locator(".mini-map").get_attribute("data-map-state") is None

    page.locator(".mini-map").scroll_into_view_if_needed()
    page.wait_for_selector(MAP_READY)
    assert page.locator(".mini-map .map-pin").count() >= 1
    assert page.locator(".mini-map .leaflet-control-zoom").is_visible()
    assert errors == []


def test_a_type_page_maps_only_its_type(page, demo):
    page.goto("/types/housing-cooperative/")
    assert map_points(page) == visible_points(organization__type__slug="housing-cooperative")
    page.get_by_label("State").select_option("MD")
    page.wait_for_url(re.compile(r"state=MD"))
    assert "type=" not in page.url
    expect_map_points(
        page,
        privacy.on_map()
        .filter(organization__type__slug="housing-cooperative")
        .filter(
            organization__in=Organization.objects.filter(locations__state="MD")
            | Organization.objects.filter(service_area__state="MD")
        )
        .count(),
    )
    assert page.errors == []


def test_the_list_works_without_javascript(browser_context, demo):
    page = browser_context(java_script_enabled=False).new_page()
    page.goto("/organizations/")
    page.get_by_label(re.compile(r"^Mutual aid group")).check()
    page.get_by_role("button", name="Show results").click()
    page.wait_for_url(re.compile(r"type=mutual-aid"))
    badges = page.locator(".organization-card .type-badge").all_inner_texts()
    assert badges and set(badges) == {organization_type("mutual-aid").name}
