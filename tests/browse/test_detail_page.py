"""The detail page as a resident uses it: a contact card, directions only to public
addresses, joining as readable text, when it was last checked, share, and a way back
to the results it was opened from."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from directory.models import AcceptingMembers, MembershipModel, Precision
from tests.support.factories import LocationFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bakery(db):
    organization = OrganizationFactory(
        name="Shaw Bakers",
        slug="shaw-bakers",
        phone="(202) 555-0143",
        email="hello@example.org",
        website="https://example.org/shaw",
        accepting_members=AcceptingMembers.YES,
        membership_model=MembershipModel.WORKERS,
        member_count=12,
        how_to_join="Come to a Tuesday meeting.",
        eligibility="Anyone who works two shifts a week.",
        last_verified=datetime.date(2026, 3, 10),
        languages=["en", "es"],
    )
    LocationFactory(
        organization=organization,
        label="Bakery",
        street_address="1500 7th St NW",
        zip_code="20001",
        hours="Tue-Sun 7-3",
    )
    return organization


def detail(client, organization, **params):
    response = client.get(organization.get_absolute_url(), params)
    assert response.status_code == 200
    return response.content.decode()


def back_link(text):
    return re.search(r'<a href="([^"]*)" data-back-link', text).group(1)


def test_the_contact_card_links_phone_email_website_and_directions(client, bakery):
    text = detail(client, bakery)
    card = text[text.index('class="card contact-card"') : text.index("detail-verified")]
    assert 'href="tel:2025550143"' in card
    assert 'href="mailto:hello@example.org"' in card
    assert 'href="https://example.org/shaw"' in card
    assert (
        'href="https://www.google.com/maps/dir/?api=1&amp;destination='
        '1500+7th+St+NW%2C+Washington%2C+DC+20001"' in card
    )
    assert "Get directions" in card


@pytest.mark.parametrize("precision", [Precision.APPROXIMATE, Precision.HIDDEN])
def test_approximate_and_hidden_locations_get_no_directions_and_no_address(client, precision):
    organization = OrganizationFactory(name="Safe Haven")
    LocationFactory(
        organization=organization,
        precision=precision,
        street_address="77 Secret Lane",
        zip_code="20009",
        latitude=38.91234,
        longitude=-77.04321,
    )
    text = detail(client, organization)
    assert "google.com/maps" not in text
    assert "Get directions" not in text
    for secret in ("77 Secret Lane", "Secret+Lane", "20009", "38.91234", "-77.04321"):
        assert secret not in text
    assert "Contact the organization" in text or "Location not shown publicly" in text


def test_joining_is_written_as_sentences_not_a_list_of_names_and_values(client, bakery):
    text = detail(client, bakery)
    assert "<dl>" not in text
    assert "This organization is accepting new members." in text
    assert "Ownership: Owned by its workers." in text
    assert "It has 12 members." in text
    assert re.search(r"How to join</h3>\s*<p>Come to a Tuesday meeting.</p>", text)
    assert re.search(r"Who can join</h3>\s*<p>Anyone who works two shifts a week.</p>", text)


@time_machine.travel(datetime.date(2026, 5, 1))
def test_it_says_in_words_when_organizers_last_checked_it(client, bakery):
    text = detail(client, bakery)
    assert "Checked by organizers in March 2026." in text
    assert "may be out of date" not in text


@time_machine.travel(datetime.date(2028, 5, 1))
def test_an_old_check_warns_to_call_before_going(client, bakery):
    text = detail(client, bakery)
    assert "Checked by organizers in March 2026." in text
    assert "It may be out of date: call before you go." in text


def test_share_offers_the_canonical_address_to_the_script(client, bakery, settings):
    settings.SITE_URL = "https://directory.example.org"
    text = detail(client, bakery)
    assert 'data-share-url="https://directory.example.org/organizations/shaw-bakers/"' in text
    assert 'data-share-title="Shaw Bakers"' in text
    # Shown by the script only (it needs the Web Share API or the clipboard).
    assert re.search(r'class="detail-share" data-share hidden', text)
    assert "directory/detail.js" in text
    assert "<script>" not in text


@pytest.mark.parametrize(
    "results",
    [
        "/organizations/?type=credit-union&state=MD&page=2",
        "/?language=es&near=20001&radius=5",
        "/types/worker-cooperative/?accepting=yes",
        "/organizations/",
    ],
)
def test_back_to_results_keeps_the_filters_it_came_from(client, bakery, results):
    text = detail(client, bakery, **{"from": results})
    assert back_link(text) == results.replace("&", "&amp;")
    assert "Back to results" in text


@pytest.mark.parametrize(
    "elsewhere",
    [
        "https://evil.example/organizations/",
        "//evil.example/organizations/",
        "/\\evil.example/",
        "javascript:alert(1)",
        "/admin/",
        "/organizations/shaw-bakers/",
        "/export/organizations.csv",
        "organizations/",
        "/organizations/\n",
        "/" + "a" * 3000,
    ],
)
def test_back_to_results_never_leads_off_the_results_pages(client, bakery, elsewhere):
    text = detail(client, bakery, **{"from": elsewhere})
    assert back_link(text) == reverse("directory:organization-list")
    assert "All organizations" in text
    assert "evil.example" not in text


def test_the_page_keeps_its_structured_data(client, bakery):
    text = detail(client, bakery)
    assert '"@type": "LocalBusiness"' in text
    assert '"streetAddress": "1500 7th St NW"' in text
    assert '"telephone": "(202) 555-0143"' in text
    assert '"knowsLanguage": ["English", "Spanish"]' in text
