"""Switching the interface language in a real browser keeps the page, its filters and
the map's position; pages render in each offered language without overflowing."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.support.languages import offer

MAP_READY = "[data-map][data-map-state=ready]"


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
