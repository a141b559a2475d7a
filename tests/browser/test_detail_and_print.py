"""The detail page and the printable resource sheet in a real browser: share, the way
back to the results, a 15-row sheet on at most two Letter pages with every public phone
and address, screenshots at three sizes and axe-core with no violation of any impact."""

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from directory.models import AcceptingMembers, MembershipModel, Precision
from tests.support.accessibility import accessibility_violations
from tests.support.factories import LocationFactory, OrganizationFactory, organization_type

SIZES = {"1280x800": (1280, 800), "390x844": (390, 844), "360x740": (360, 740)}
STREETS = ["Georgia Ave NW", "14th St NW", "Kennedy St NW", "Rhode Island Ave NE", "H St NE"]


def shots(browser_context, screenshot, url, name, *, media="screen"):
    for size, (width, height) in SIZES.items():
        page = browser_context(viewport={"width": width, "height": height}).new_page()
        page.emulate_media(media=media)
        page.goto(url)
        page.wait_for_load_state("networkidle")
        screenshot(page, f"{name}-{size}")
        # Long names, addresses and links wrap: nothing scrolls sideways.
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (name, size)
        page.close()


@pytest.fixture
def bakery(transactional_db):
    organization = OrganizationFactory(
        name="Anacostia Bread Workers Cooperative",
        slug="anacostia-bread",
        summary="A worker-owned bakery baking bread for Ward 8 since 1998.",
        description="We bake sourdough and rye six days a week.\n\nWe train new bakers.",
        phone="(202) 555-0143",
        email="hello@example.org",
        website="https://example.org/anacostia-bread-workers-cooperative-bakery-and-training-kitchen",
        accepting_members=AcceptingMembers.YES,
        membership_model=MembershipModel.WORKERS,
        member_count=14,
        year_founded=1998,
        how_to_join="Work three trial shifts, then the members vote.",
        eligibility="Anyone over 18 who can work 20 hours a week.",
        languages=["en", "es"],
        sectors=["food"],
        service_area=["11001"],
    )
    LocationFactory(
        organization=organization,
        label="Bakery",
        street_address="1500 Good Hope Rd SE",
        zip_code="20020",
        hours="Tue-Sun 7am-3pm",
        accessibility="Step-free entrance.",
    )
    return organization


@pytest.fixture
def fifteen(transactional_db):
    """Fifteen worker co-ops with full contact details (three with a second location,
    two approximate, one hidden) and three credit unions the filter leaves out."""
    organizations = []
    for number in range(15):
        organization = OrganizationFactory(
            name=f"Columbia Heights Community Cooperative {number + 1}",
            phone=f"(202) 555-01{number:02d}",
            website=f"https://example.org/columbia-heights-community-cooperative-{number + 1}",
            accepting_members=AcceptingMembers.YES if number % 2 else AcceptingMembers.UNKNOWN,
            languages=["en", "es", "vi"] if number % 3 == 0 else ["en", "es"],
        )
        precision = {3: Precision.APPROXIMATE, 7: Precision.APPROXIMATE, 11: Precision.HIDDEN}
        LocationFactory(
            organization=organization,
            label="Main location",
            street_address=f"{1000 + number * 17} {STREETS[number % 5]}",
            zip_code="20010",
            hours="Mon-Fri 9am-6pm; Sat 10am-2pm",
            precision=precision.get(number, Precision.EXACT),
        )
        if number in (0, 5, 10):
            LocationFactory(
                organization=organization,
                is_primary=False,
                label="Second shop",
                street_address=f"{200 + number} Kennedy St NW",
                zip_code="20011",
                hours="Sat 9am-1pm",
            )
        organizations.append(organization)
    for number in range(3):
        OrganizationFactory(
            name=f"Excluded Credit Union {number}", type=organization_type("credit-union")
        )
    return organizations


def test_the_detail_page_screenshots_and_accessibility(page, bakery, browser_context, screenshot):
    page.goto(bakery.get_absolute_url())
    expect(page.get_by_role("heading", name="Contact")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Get directions")).first).to_be_visible()
    assert accessibility_violations(page) == []
    assert page.errors == []
    shots(browser_context, screenshot, bakery.get_absolute_url(), "detail")


def test_a_hidden_location_page_is_accessible_and_gives_no_directions(page, screenshot):
    organization = OrganizationFactory(name="Ward 7 Tenant Defense", phone="(202) 555-0199")
    LocationFactory(
        organization=organization, precision=Precision.HIDDEN, street_address="9 Quiet Ct"
    )
    page.goto(organization.get_absolute_url())
    expect(page.get_by_text("Location not shown publicly.")).to_be_visible()
    hrefs = page.locator("a").evaluate_all("(links) => links.map((a) => a.href)")
    assert not [href for href in hrefs if "Quiet" in href or "google.com/maps" in href]
    assert "9 Quiet Ct" not in page.content()
    assert accessibility_violations(page) == []
    screenshot(page, "detail-hidden-location-1280x800")


def test_share_copies_the_link_where_there_is_no_share_sheet(browser_context, bakery, live_server):
    context = browser_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(bakery.get_absolute_url())
    button = page.get_by_role("button", name="Copy link")
    button.click()
    expect(page.get_by_role("status")).to_have_text("Link copied.")
    assert page.evaluate("navigator.clipboard.readText()") == (
        f"{live_server.url}/organizations/anacostia-bread/"
    )


def test_back_to_results_returns_to_the_filtered_list_it_came_from(page, bakery):
    OrganizationFactory(name="Another Bakery")
    page.goto("/organizations/?type=worker-cooperative&language=es")
    page.get_by_role("link", name="Anacostia Bread Workers Cooperative").first.click()
    page.wait_for_url(re.compile("/organizations/anacostia-bread/"))
    back = page.get_by_role("link", name="Back to results")
    expect(back).to_have_attribute("href", "/organizations/?type=worker-cooperative&language=es")
    back.click()
    page.wait_for_url(re.compile(r"/organizations/\?type=worker-cooperative&language=es$"))
    assert page.errors == []


def test_opened_directly_the_way_back_is_the_list(page, bakery):
    page.goto(bakery.get_absolute_url())
    expect(page.locator("a[data-back-link]")).to_have_attribute("href", "/organizations/")


def test_fifteen_results_print_on_at_most_two_letter_pages_with_every_phone_and_address(
    page, fifteen, browser_context, screenshot
):
    url = "/print/?type=worker-cooperative&state=DC"
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(r"Resource sheet: 15 organizations")
    )
    assert page.locator(".sheet-entry").count() == 15
    expect(page.get_by_role("button", name="Print this sheet")).to_be_visible()
    assert accessibility_violations(page) == []
    assert page.errors == []

    pdf = PdfReader(io.BytesIO(page.pdf(format="Letter")))
    assert len(pdf.pages) <= 2
    text = re.sub(r"\s+", " ", " ".join(sheet.extract_text() for sheet in pdf.pages))
    for organization in fifteen:
        assert organization.phone in text, organization.phone
        for location in organization.locations.all():
            if location.precision == Precision.EXACT:
                assert location.street_address in text, location.street_address
            else:
                assert location.street_address not in text, location.street_address
    assert "Excluded Credit Union" not in text
    assert "Print this sheet" not in text  # the toolbar is not printed

    shots(browser_context, screenshot, url, "print-sheet")
    shots(browser_context, screenshot, url, "print-sheet-as-printed", media="print")


@pytest.mark.parametrize(
    ("url", "name"), [("/no-such-page/", "error-404"), ("/suggest/thanks/", "suggest-thanks")]
)
def test_message_pages_are_a_card_with_a_way_on(page, browser_context, screenshot, url, name):
    page.goto(url)
    expect(page.locator(".message-page h1")).to_be_visible()
    assert accessibility_violations(page) == []
    shots(browser_context, screenshot, url, name)
