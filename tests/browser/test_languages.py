"""Switching the interface language in a real browser keeps the page, its filters and
the map's position; pages render in each offered language without overflowing, and
axe-core finds nothing on the public pages in any shipped language."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from directory.core import languages
from tests.support.accessibility import accessibility_violations
from tests.support.languages import offer

MAP_READY = "[data-map][data-map-state=ready]"
# The pages a resident meets, each with the map when it has one. The listing is the demo
# data's fullest (description, hours, accessibility notes, how to join).
AUDITED_PAGES = {
    "/": True,
    "/organizations/": False,
    "/organizations/anacostia-bread-workers-cooperative-demo/": False,
    "/types/credit-union/": True,
    "/suggest/": False,
    "/no-such-page/": False,
}
# Controls and labels whose text is wider than their box: a long word in French or
# Vietnamese clipped or spilling out of a button.
OVERFLOWING = """() => [...document.querySelectorAll(
    'button, .button, .chip, .badge, .type-badge, label, summary, nav a, .view-switch a')]
  .filter((el) => el.offsetParent !== null && !el.closest('.visually-hidden, [aria-hidden=true]'))
  .filter((el) => el.scrollWidth > el.clientWidth + 1
    || el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .map((el) => el.tagName + '.' + el.className + ' "' + el.textContent.trim() + '"')"""


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo_data")


def test_switching_language_on_a_filtered_map_keeps_filters_position_and_page(
    page, demo, monkeypatch, screenshot
):
    offer(monkeypatch, "es", "vi")
    page.goto("/?state=MD&type=housing-cooperative")
    page.wait_for_selector(MAP_READY)
    # A filter changed on the page itself (pushState), after the server wrote the form.
    page.select_option("#filter-accepting", "yes")
    expect(page).to_have_url(re.compile(r"accepting=yes"))
    expect(page).to_have_url(re.compile(r"#map=\d+/"))
    # The map fits the new results after the filter change: wait until it rests.
    position = None
    for _attempt in range(20):
        page.wait_for_timeout(500)
        current = page.evaluate("() => window.location.hash")
        if current == position:
            break
        position = current
    page.select_option("#language-switcher-select", "es")
    page.get_by_role("button", name="Change language").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    page.wait_for_selector(MAP_READY)
    url = page.url
    assert re.search(r"/es/\?", url), url
    for parameter in ("state=MD", "type=housing-cooperative", "accepting=yes"):
        assert parameter in url
    assert url.endswith(position), (url, position)
    assert page.locator("#filter-state").input_value() == "MD"
    assert page.locator("#filter-accepting").input_value() == "yes"
    assert page.locator("#language-switcher-select").input_value() == "es"
    screenshot(page, "language-switch-es")
    # And back to English, the same way.
    page.select_option("#language-switcher-select", "en")
    page.locator(".language-switcher button").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert "/es/" not in page.url and "state=MD" in page.url
    assert page.errors == []


def test_the_switcher_works_without_javascript(browser_context, demo, monkeypatch):
    offer(monkeypatch, "es")
    page = browser_context(java_script_enabled=False).new_page()
    page.goto("/organizations/?state=VA&page=2")
    page.select_option("#language-switcher-select", "es")
    page.locator(".language-switcher button").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    assert page.url.endswith("/es/organizations/?state=VA&page=2")


@pytest.mark.parametrize("code", ["es", "zh-hans", "vi", "ko", "am", "fr"])
def test_each_language_fits_a_phone(browser_context, demo, monkeypatch, screenshot, code):
    offer(monkeypatch, code)
    page = browser_context(viewport={"width": 390, "height": 844}).new_page()
    for path in ("/", "/organizations/", "/suggest/"):
        page.goto(f"/{code}{path}")
        expect(page.locator("html")).to_have_attribute("lang", code)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 390, f"{path} is {width}px wide in {code}"
    screenshot(page, f"language-{code}-suggest-390")


@pytest.mark.parametrize("code", languages.SHIPPED)
def test_axe_finds_nothing_on_any_page_in_each_shipped_language(browser_context, demo, code):
    """No violation of any impact, experimental rules included (an accessible name that
    does not contain the visible text), at desktop and phone sizes, and no control
    whose text overflows it. Every language at phone size, where longer words have the
    least room; the desktop layout once (the same markup, test_browse_ui audits it
    in English too), so the suite's time stays reasonable."""
    sizes = ((1280, 800), (390, 844)) if code in ("en", "fr") else ((390, 844),)
    for width, height in sizes:
        page = browser_context(viewport={"width": width, "height": height}).new_page()
        page.errors = []
        page.on("pageerror", lambda error, page=page: page.errors.append(str(error)))
        for path, has_map in AUDITED_PAGES.items():
            page.goto(path if code == "en" else f"/{code}{path}")
            expect(page.locator("html")).to_have_attribute("lang", code)
            if has_map:
                page.wait_for_selector(MAP_READY)
            where = f"{code} {path} at {width}px"
            assert accessibility_violations(page, experimental=True) == [], where
            assert page.evaluate(OVERFLOWING) == [], where
        # The phone's filter drawer, open; closed, the results take the page's width.
        if width < 720:
            page.goto("/organizations/" if code == "en" else f"/{code}/organizations/")
            layout, results = page.evaluate(
                "() => ['.list-layout', '.results-column']"
                ".map((selector) => document.querySelector(selector).clientWidth)"
            )
            assert results == layout, f"{code}: the results take {results} of {layout}px"
            page.locator("[data-drawer-open]").click()
            expect(page.locator("[data-drawer]")).to_be_visible()
            assert accessibility_violations(page, experimental=True) == [], code
            assert page.evaluate(OVERFLOWING) == [], code
        assert page.errors == [], code
