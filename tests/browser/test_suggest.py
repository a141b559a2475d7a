"""A person suggests a listing on a phone-sized screen, by keyboard alone."""

from playwright.sync_api import expect

from directory.models import ChangeRequest, Organization

PHONE = {"viewport": {"width": 390, "height": 844}}


def tab_to(page, selector, *, limit=80):
    """Press Tab until the element matching `selector` has focus; fail if the
    honeypot ever takes focus on the way."""
    for _ in range(limit):
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
        assert page.evaluate("document.activeElement.name") != "homepage"
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_person_suggests_a_listing_by_keyboard_on_a_phone(browser_context, screenshot):
    page = browser_context(**PHONE).new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto("/suggest/")
    assert no_sideways_scroll(page)

    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Enter")
    tab_to(page, "#id_name")
    page.keyboard.type("Columbia Heights Mutual Aid")
    page.keyboard.press("Tab")
    page.keyboard.type("Mutual")  # picks "Mutual aid group" in the type list
    page.keyboard.press("Tab")
    page.keyboard.type("Neighbours sharing groceries and rides every week.")
    tab_to(page, "#id_languages_1")  # Spanish
    page.keyboard.press("Space")
    tab_to(page, "#id_zip_code")
    page.keyboard.type("20010")
    tab_to(page, "input[name='precision']")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # Hidden: no pin, found by its service area
    tab_to(page, "#id_submitter_name")
    page.keyboard.type("Rosa")
    tab_to(page, "#id_submitter_is_member")  # the email is forgotten on purpose
    page.keyboard.press("Space")
    tab_to(page, "button[type='submit']")
    page.keyboard.press("Enter")

    # The problem is named, focus is on it, and nothing typed was lost.
    expect(page.locator("#error-summary")).to_be_focused()
    assert "Your email: This field is required." in page.inner_text("#error-summary")
    assert page.input_value("#id_name") == "Columbia Heights Mutual Aid"
    assert page.is_checked("#id_languages_1") and page.is_checked("#id_precision_2")
    screenshot(page, "suggest-error-390px")
    tab_to(page, "#id_submitter_email")
    page.keyboard.type("rosa@example.net")
    tab_to(page, "button[type='submit']")
    page.keyboard.press("Enter")

    page.wait_for_url("**/suggest/thanks/")
    assert "What happens next" in page.inner_text("main")
    assert no_sideways_scroll(page)
    screenshot(page, "suggest-thanks-390px")
    organization = Organization.objects.get(name="Columbia Heights Mutual Aid")
    assert (organization.status, organization.type.slug) == ("pending", "mutual-aid")
    assert list(organization.languages.values_list("code", flat=True)) == ["es"]
    assert organization.locations.get().precision == "hidden"
    request = ChangeRequest.objects.get()
    assert (request.submitter_email, request.submitter_is_member) == ("rosa@example.net", True)
    assert errors == []


def test_the_pin_can_be_placed_by_keyboard(browser_context):
    page = browser_context(**PHONE).new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto("/suggest/")
    page.focus("#id_zip_code")
    tab_to(page, "#pin-picker summary")
    page.keyboard.press("Enter")  # opens the map
    tab_to(page, "#pin-map")
    page.keyboard.press("ArrowUp")
    tab_to(page, "#pin-centre")
    page.keyboard.press("Enter")
    latitude = float(page.input_value("#id_latitude"))
    longitude = float(page.input_value("#id_longitude"))
    assert 36.5 < latitude < 39.8 and -83.7 < longitude < -75
    assert "Pin placed at" in page.inner_text("#pin-status")
    assert no_sideways_scroll(page)
    tab_to(page, "#pin-clear")
    page.keyboard.press("Enter")
    assert page.input_value("#id_latitude") == ""
    assert errors == []
