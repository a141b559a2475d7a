"""The browse surfaces as a resident meets them (issue 13's numbered problems), in a real
browser: results beside the map, markers told apart without colour, empty and loading
states, the phone drawer, near me, no layout shift, and axe-core finding nothing.

Screenshots of every state at 1280x800, 390x844 and 360x740 go to test-artifacts/ui/
(ignored by git)."""

import contextlib
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from directory.models import Organization, OrganizationType
from tests.browser.conftest import ARTIFACTS
from tests.support.accessibility import accessibility_violations

MAP_READY = "[data-map][data-map-state=ready]"
SIZES = ((1280, 800), (390, 844), (360, 740))
LAYOUT_SHIFTS = """
window.layoutShift = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (!entry.hadRecentInput) window.layoutShift += entry.value;
  }
}).observe({ type: "layout-shift", buffered: true });
"""


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo_data")


def shoot(page, name, *, sizes=SIZES, prepare=None):
    """Viewport screenshots of the page's current state at each size."""
    folder = ARTIFACTS / "ui"
    folder.mkdir(parents=True, exist_ok=True)
    original = page.viewport_size
    for width, height in sizes:
        page.set_viewport_size({"width": width, "height": height})
        if prepare:
            prepare(page, width)
        page.wait_for_timeout(150)
        page.screenshot(path=str(folder / f"{name}-{width}x{height}.png"))
    page.set_viewport_size(original)


def count_text(page):
    return page.locator("[data-results] [data-result-count]").inner_text()


def show_list_on_phones(page, width):
    if width < 720:
        page.locator("[data-view-switch] [data-show=list]").click()


def show_map_on_phones(page, width):
    if width < 720:
        page.locator("[data-view-switch] [data-show=map]").click()


# 3. Desktop layout


def test_results_sit_beside_a_map_that_stays_in_view(page, demo):
    page.goto("/")
    page.wait_for_selector(MAP_READY)
    first_card = page.locator(".organization-card").first.bounding_box()
    map_box = page.locator("#map").bounding_box()
    assert first_card["y"] < 400, "the first result is on the first screen"
    assert map_box["x"] > first_card["x"] + first_card["width"] - 1, "the map is beside the list"
    page.mouse.wheel(0, 2500)
    page.wait_for_timeout(300)
    held = page.locator("#map").bounding_box()
    assert 0 <= held["y"] < 100 and held["height"] > 500, "the map is held in view"
    assert page.locator("[data-result-count]").is_visible(), "the count stays visible"
    page.mouse.wheel(0, -2500)
    shoot(page, "results", prepare=show_list_on_phones)
    assert page.errors == []


def test_cards_and_pins_highlight_each_other(page, demo):
    page.goto("/?type=credit-union")
    page.wait_for_selector(MAP_READY)
    card = page.locator(".organization-card").first
    card.hover()
    expect(page.locator(".map-pin.is-highlighted").first).to_be_visible()
    page.locator(".organization-results").hover(position={"x": 5, "y": 5})
    pin = page.locator(".map-pin:not(.is-highlighted)").first
    pin.click()
    expect(page.locator(".organization-card.is-highlighted")).to_have_count(1)
    slug = page.locator(".organization-card.is-highlighted").get_attribute("data-slug")
    assert page.locator(".leaflet-popup .map-popup a").get_attribute("href").endswith(f"/{slug}/")
    shoot(page, "popup", sizes=SIZES[:1])


def test_search_this_area_narrows_the_list_to_the_map_view(page, demo):
    page.goto("/")
    page.wait_for_selector(MAP_READY)
    everything = int(count_text(page).split()[0])
    button = page.get_by_role("button", name="Search this area")
    expect(button).to_be_hidden()
    for _ in range(3):
        page.locator(".leaflet-control-zoom-in").click()
        page.wait_for_timeout(300)
    expect(button).to_be_visible()
    button.click()
    page.wait_for_url(re.compile(r"bbox="))
    expect(page.locator("[data-browse]")).to_have_attribute("aria-busy", "false")
    assert int(count_text(page).split()[0]) < everything
    assert page.locator(".chip", has_text="Map area").count() == 1
    assert page.errors == []


def test_every_match_is_reachable_from_the_list(page, demo):
    page.goto("/")
    page.wait_for_selector(MAP_READY)
    total = int(count_text(page).split()[0])
    seen = set()
    while True:
        seen.update(
            page.locator(".organization-card").evaluate_all(
                "(cards) => cards.map((card) => card.dataset.slug)"
            )
        )
        following = page.locator(".pagination a[rel=next]")
        if not following.count():
            break
        before = page.locator(".result-range").inner_text()
        following.click()
        expect(page.locator(".result-range")).not_to_have_text(before)
    assert len(seen) == total == Organization.objects.published().count()


# 1. Blank results; counts from the current query


def test_no_match_shows_zero_suggestions_and_current_counts(page, demo):
    page.goto("/")
    page.wait_for_selector(MAP_READY)
    page.get_by_label("Search by name, place or activity").fill("zzqx")
    expect(page.locator("[data-result-count]")).to_have_text("0 organizations")
    empty = page.locator("[data-empty-state]")
    expect(empty).to_be_visible()
    expect(page.locator("[data-type-count=credit-union]")).to_have_text("(0)")
    assert empty.get_by_role("link", name="Suggest a listing").is_visible()
    assert empty.get_by_role("link", name=re.compile("Remove filter")).count() == 1
    shoot(page, "empty", prepare=show_list_on_phones)
    empty.get_by_role("link", name=re.compile("Remove filter")).click()
    expect(page.locator("[data-result-count]")).not_to_have_text("0 organizations")
    assert page.get_by_label("Search by name, place or activity").input_value() == ""


def test_a_radius_with_no_match_offers_a_wider_one(page, demo):
    page.goto("/?near=20001&radius=1&q=zzqx")
    empty = page.locator("[data-empty-state]")
    expect(empty.get_by_role("link", name="Search within 5 miles")).to_be_visible()


# 5. Loading state


def test_a_slow_change_shows_busy_dims_and_then_the_new_count(page, demo):
    page.goto("/")
    page.wait_for_selector(MAP_READY)
    held = []
    page.route(
        re.compile(r"/partials/results/|/api/locations\.geojson"), lambda route: held.append(route)
    )
    page.get_by_label(re.compile(r"^Credit union")).check()
    browse = page.locator("[data-browse]")
    expect(browse).to_have_attribute("aria-busy", "true")
    expect(page.locator("[data-results]")).to_have_css("opacity", "0.55")
    assert page.locator(".results-column .progress").is_visible()
    shoot(page, "loading", prepare=show_list_on_phones)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.unroute(re.compile(r"/partials/results/|/api/locations\.geojson"))
    for route in held:
        with contextlib.suppress(PlaywrightError):  # a request the page already abandoned
            route.continue_()
    expect(browse).to_have_attribute("aria-busy", "false")
    expect(page.locator("[data-result-count]")).to_have_text(re.compile(r"^8 organizations"))


# 4. Markers people can tell apart without colour


def test_pins_have_a_glyph_per_type_clusters_show_their_mix_and_the_key_matches(page, demo):
    page.goto("/")
    page.wait_for_selector(MAP_READY)
    pin = page.locator(".map-pin").first
    box = pin.bounding_box()
    assert box["width"] >= 24 and box["height"] >= 24
    assert pin.locator("g path").count() >= 1
    cluster = page.locator(".map-cluster").first
    arcs = cluster.locator("circle[stroke-dasharray]")
    assert arcs.count() >= 2, "a cluster of several kinds shows each kind"
    assert re.search(r"\d+ organizations here \(.+\)", cluster.get_attribute("title"))
    key = page.locator(".map-legend li .type-marker")
    assert key.count() == OrganizationType.objects.count() + 1
    glyphs = set(
        page.locator(".map-legend li .type-marker g").evaluate_all(
            "(groups) => groups.map((group) => group.innerHTML)"
        )
    )
    assert len(glyphs) == OrganizationType.objects.count(), "each type has its own glyph"
    assert page.locator(".organization-card .type-marker").count() == 25


def test_a_popup_shows_the_marker_city_membership_and_a_link(page, demo):
    page.goto("/?type=housing-cooperative")
    page.wait_for_selector(MAP_READY)
    page.locator(".map-pin").first.click()
    popup = page.locator(".leaflet-popup .map-popup")
    expect(popup).to_be_visible()
    assert popup.locator(".type-marker").count() == 1
    assert "Housing cooperative" in popup.inner_text()
    assert popup.get_by_role("link").count() == 1
    shoot(page, "popup", sizes=SIZES[1:], prepare=show_map_on_phones)


# 6. Phone


def test_on_a_phone_filters_open_in_a_drawer_that_closes_on_show_results(browser_context, demo):
    page = browser_context(viewport={"width": 390, "height": 844}).new_page()
    page.add_init_script(LAYOUT_SHIFTS)
    page.goto("/")
    page.wait_for_selector(MAP_READY)
    page.wait_for_timeout(1000)
    assert page.evaluate("() => window.layoutShift") < 0.02
    assert page.locator("#map").bounding_box()["y"] < 260, "the map is on the first screen"
    assert page.get_by_role("button", name="List", exact=True).count() == 1
    assert page.get_by_role("link", name="List", exact=True).count() == 0
    drawer = page.locator("[data-drawer]")
    expect(drawer).to_be_hidden()
    page.get_by_role("link", name=re.compile("^Filters")).click()
    expect(drawer).to_be_visible()
    checkbox_row = page.locator(".types .check").first.bounding_box()
    assert checkbox_row["height"] >= 44
    shoot(page, "drawer-open", sizes=SIZES[1:])
    page.get_by_label(re.compile(r"^Mutual aid group")).check()
    expect(page.locator("[data-filter-count]").first).to_have_text("1")
    page.get_by_role("button", name="Show results").click()
    expect(drawer).to_be_hidden()
    expect(page.locator(".results-column")).to_be_visible()
    expect(page.locator("[data-bar-count]")).to_have_text(re.compile(r"^12 organizations"))
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390


def test_on_a_phone_the_map_is_fitted_to_the_listings(browser_context, demo):
    page = browser_context(viewport={"width": 390, "height": 844}).new_page()
    page.goto("/")
    page.wait_for_selector(MAP_READY)
    map_box = page.locator("#map").bounding_box()
    xs = [
        box["x"] + box["width"] / 2
        for box in (marker.bounding_box() for marker in page.locator(".leaflet-marker-icon").all())
    ]
    assert max(xs) - min(xs) > 0.6 * map_box["width"], "the pins use the map's width"


# 7. Near me


def test_near_a_zip_shows_a_marker_and_ring_with_one_request(page, demo):
    page.goto("/")
    page.wait_for_selector(MAP_READY)
    requests = []
    page.on(
        "request",
        lambda request: "/partials/results/" in request.url and requests.append(request.url),
    )
    near = page.get_by_label("ZIP code (or latitude,longitude)")
    near.fill("20001")
    near.press("Enter")
    page.wait_for_url(re.compile(r"near=20001"))
    expect(page.locator(".near-marker")).to_have_count(1)
    expect(page.locator(".leaflet-overlay-pane path")).to_have_count(1)
    expect(page.locator("[data-browse]")).to_have_attribute("aria-busy", "false")
    assert len(requests) == 1


def test_county_choices_follow_the_state(page, demo):
    page.goto("/")
    page.wait_for_selector(MAP_READY)
    county = page.get_by_label("Located in (county or city)")
    assert county.locator("optgroup").count() == 3
    page.get_by_label("State").select_option("VA")
    expect(county.locator("optgroup")).to_have_count(1)
    assert county.locator("optgroup").get_attribute("data-state") == "VA"
    page.get_by_label("State").select_option("")
    expect(county.locator("optgroup")).to_have_count(3)


# 10. Finish: accessibility of every state


@pytest.mark.parametrize(
    "url",
    ["/", "/?q=zzqx", "/?near=20001", "/organizations/", "/types/credit-union/", "/design/"],
)
def test_axe_finds_no_violation_of_any_impact(page, demo, url):
    page.goto(url)
    if url != "/organizations/" and url != "/design/":
        page.wait_for_selector(MAP_READY)
    assert accessibility_violations(page) == []
    assert page.errors == []


def test_axe_finds_nothing_in_the_open_phone_drawer(browser_context, demo):
    page = browser_context(viewport={"width": 390, "height": 844}).new_page()
    page.goto("/organizations/")
    page.get_by_role("link", name=re.compile("^Filters")).click()
    expect(page.locator("[data-drawer]")).to_be_visible()
    assert accessibility_violations(page) == []
