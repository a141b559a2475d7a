"""A listing's contact answers the verification email in a real browser: one click
confirms, the link then says it was used, and the edit form hides the address the email
went to (directory/stewardship/)."""

import datetime

from playwright.sync_api import expect

from directory.models import VerificationRequest
from directory.stewardship import verification
from tests.support.factories import OrganizationFactory

PHONE = {"viewport": {"width": 390, "height": 844}}


def verification_links():
    organization = OrganizationFactory(
        name="Riverdale Bakers Cooperative",
        last_verified=datetime.date(2020, 1, 1),
        internal_contact_email="board-chair@private.example",
    )
    request = VerificationRequest.objects.create(
        organization=organization, email=verification.contact_email(organization)
    )
    return organization, verification.confirm_path(request), verification.edit_path(request)


def test_the_contact_confirms_with_one_click_and_the_link_then_says_it_was_used(
    browser_context, screenshot
):
    # Before: the page's no-referrer policy made the browser send "Origin: null" with the
    # button's POST, so Django's CSRF check refused every confirmation with a 403.
    organization, confirm_url, _edit_url = verification_links()
    page = browser_context(**PHONE).new_page()
    page.goto(confirm_url)
    page.get_by_role("button", name="Yes, it is still accurate").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("marked as verified today")
    organization.refresh_from_db()
    assert organization.last_verified == datetime.date.today()

    page.goto(confirm_url)
    expect(page.get_by_text("This link was used on")).to_be_visible()
    expect(page.get_by_role("button", name="Yes, it is still accurate")).to_have_count(0)
    screenshot(page, "verify-used-390px")


def test_the_edit_form_from_the_email_never_shows_the_address_it_was_sent_to(browser_context):
    _organization, _confirm_url, edit_url = verification_links()
    page = browser_context().new_page()
    page.goto(edit_url)
    expect(page.get_by_text("You are answering our email")).to_be_visible()
    assert "board-chair@private.example" not in page.content()
    assert page.input_value("#id_submitter_email") == ""
