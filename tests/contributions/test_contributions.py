"""The public contribution forms: suggest a listing, suggest an edit, and what keeps
them safe (directory/contributions.py, directory/forms.py, directory/abuse.py)."""

import re
import time

import pytest
from django.core.cache import cache
from django.db import DatabaseError
from django.test import Client
from django.urls import reverse

from directory.contributions import abuse
from directory.core import limits
from directory.models import (
    ChangeRequest,
    Organization,
    PossibleDuplicate,
    SlugRedirect,
)
from tests.support.contributions import suggestion
from tests.support.factories import LocationFactory, OrganizationFactory
from tests.support.html_forms import form_data
from tests.support.public_surfaces import PUBLIC_SURFACES, response_text, surfaces_mentioning

pytestmark = pytest.mark.django_db

SUGGEST_URL = reverse("directory:suggest")


def edit_url(organization):
    return reverse("directory:suggest-edit", args=[organization.slug])


def suggest(client, **overrides):
    return client.post(SUGGEST_URL, suggestion(**overrides))


def inline_code(text: str) -> list[str]:
    """Inline scripts, event handlers, style attributes and javascript: URLs: all
    forbidden by the Content-Security-Policy the site will enforce."""
    scripts = re.findall(r"<script(?![^>]*\b(?:src=|type=\"application/json\"))[^>]*>", text)
    handlers = re.findall(r"<[^>]+\son[a-z]+\s*=", text)
    styles = re.findall(r"<[^>]+\sstyle\s*=", text)
    return scripts + handlers + styles + re.findall(r"javascript:", text)


# Suggest a listing --------------------------------------------------------------------


def test_the_suggest_form_is_phone_friendly_and_explains_precision(client):
    response = client.get(SUGGEST_URL)
    text = response.content.decode()
    assert response.status_code == 200
    assert 'name="viewport"' in text
    assert 'inputmode="numeric"' in text and 'type="tel"' in text and 'type="email"' in text
    assert "Mutual aid groups, shelters and groups that meet in people" in text
    assert "I am part of this organization" in text
    assert "Never published" in text
    assert 'tabindex="-1"' in text  # the honeypot is out of the keyboard order
    assert inline_code(text) == []


def test_a_suggestion_becomes_a_pending_listing_and_the_person_is_told_what_happens(client):
    response = suggest(client)
    assert response.status_code == 302
    thanks = client.get(response["Location"]).content.decode()
    assert "What happens next" in thanks and "never published" in thanks

    organization = Organization.objects.get(name="Anacostia Bike Repair Cooperative")
    assert organization.status == "pending"
    assert organization.slug == "anacostia-bike-repair-cooperative"
    assert set(organization.languages.values_list("code", flat=True)) == {"en", "es"}
    assert list(organization.service_area.values_list("fips", flat=True)) == ["11001"]
    location = organization.locations.get()
    assert (location.city, location.state, location.jurisdiction.fips) == (
        "Washington",
        "DC",
        "11001",
    )
    assert location.point_source == "zip" and location.latitude is not None
    request = ChangeRequest.objects.get(organization=organization)
    assert (request.kind, request.status) == ("new", "pending")
    assert (request.submitter_name, request.submitter_email) == (
        "Pat Visitor",
        "pat.private@example.net",
    )
    # A visitor is not the organization's contact.
    assert organization.internal_contact_email == ""


def test_a_member_becomes_the_listings_private_contact(client):
    suggest(client, submitter_is_member="on")
    organization = Organization.objects.get(name="Anacostia Bike Repair Cooperative")
    assert organization.internal_contact_email == "pat.private@example.net"
    assert ChangeRequest.objects.get().submitter_is_member


@pytest.mark.parametrize(("surface", "fetch"), PUBLIC_SURFACES, ids=[s for s, _ in PUBLIC_SURFACES])
def test_a_pending_suggestion_is_on_no_public_surface(client, surface, fetch):
    OrganizationFactory(name="Visible Neighbour Cooperative")  # the pages are not empty
    suggest(client)
    organization = Organization.objects.get(name="Anacostia Bike Repair Cooperative")
    text = response_text(fetch(client, organization))
    assert organization.name not in text
    assert organization.slug not in text


def test_suggest_then_approve_publishes_without_the_private_details(client, organizer):
    suggest(client)
    organization = Organization.objects.get(name="Anacostia Bike Repair Cooperative")
    assert surfaces_mentioning(client, organization) == []

    moderator = Client()
    moderator.force_login(organizer)
    request = ChangeRequest.objects.get(organization=organization)
    review = reverse("admin:directory_changerequest_change", args=[request.pk])
    assert moderator.post(review, {"approve": "Approve"}).status_code == 302

    organization.refresh_from_db()
    assert organization.status == "published"
    assert set(surfaces_mentioning(client, organization)) >= {"list", "search", "detail page"}
    detail = client.get(organization.get_absolute_url()).content.decode()
    assert "pat.private@example.net" not in detail and "Pat Visitor" not in detail


def test_a_dropped_pin_alone_places_the_listing(client):
    suggest(client, zip_code="", street_address="", latitude="38.8690", longitude="-76.9770")
    location = location_of("Anacostia Bike Repair Cooperative")
    assert (location.latitude, location.longitude) == (38.869, -76.977)
    assert location.point_source == "pin"
    assert location.state == "DC" and location.jurisdiction.fips == "11001"
    assert location.zip_code == ""


def test_a_pin_and_a_zip_code_keep_the_pin(client):
    suggest(client, latitude="38.8700", longitude="-76.9800")
    location = location_of("Anacostia Bike Repair Cooperative")
    assert (location.latitude, location.longitude, location.point_source) == (38.87, -76.98, "pin")


def test_a_hidden_group_can_be_listed_by_service_area_alone(client):
    suggest(client, zip_code="", street_address="", precision="hidden", service_area=["24031"])
    organization = Organization.objects.get(name="Anacostia Bike Repair Cooperative")
    assert not organization.locations.exists()
    assert list(organization.service_area.values_list("fips", flat=True)) == ["24031"]


def location_of(name):
    return Organization.objects.get(name=name).locations.get()


@pytest.mark.parametrize(
    ("type_slug", "chosen", "expected"),
    [
        ("mutual-aid", "", "approximate"),  # nothing chosen: the type's default
        ("worker-cooperative", "", "exact"),
        ("mutual-aid", "exact", "exact"),  # a choice is kept
    ],
)
def test_a_location_without_a_chosen_precision_follows_its_type(
    client, type_slug, chosen, expected
):
    page = client.get(SUGGEST_URL).content.decode()
    assert not re.search(r'<input[^>]*name="precision"[^>]*checked', page), "nothing pre-chosen"
    data = suggestion(type=type_slug, precision=chosen)
    if not chosen:
        del data["precision"]  # an unticked radio button is not sent
    assert client.post(SUGGEST_URL, data).status_code == 302
    assert location_of("Anacostia Bike Repair Cooperative").precision == expected


@pytest.mark.parametrize(
    ("overrides", "field_label", "message"),
    [
        ({"name": ""}, "Name", "This field is required"),
        ({"type": "bakery"}, "Type of organization", "Select a valid choice"),
        ({"summary": ""}, "Summary", "This field is required"),
        ({"name": "x" * 201}, "Name", "at most 200 characters"),
        ({"website": "example.org"}, "Website", "starting with http:// or https://"),
        ({"website": "javascript:alert(1)"}, "Website", "starting with http:// or https://"),
        ({"phone": "call us!"}, "Phone", "Enter a phone number"),
        ({"zip_code": "2002"}, "ZIP code", "Enter a 5-digit ZIP code"),
        ({"zip_code": "10001"}, "ZIP code", "This directory covers DC, Maryland and Virginia"),
        ({"zip_code": "", "service_area": [], "street_address": ""}, "ZIP code", "drop a pin"),
        ({"latitude": "40.7", "longitude": "-74.0"}, "Latitude", "outside DC, Maryland"),
        ({"latitude": "38.9"}, "Latitude", "both a latitude and a longitude"),
        ({"summary": "Great <b>bakery</b>"}, "Summary", "without HTML tags"),
        (
            {"how_to_join": "https://a.example http://b.example www.c.example http://d.example"},
            "How to join",
            "at most 3 web addresses",
        ),
        ({"submitter_email": ""}, "Your email", "This field is required"),
        ({"submitter_email": "not-an-email"}, "Your email", "Enter a valid email address"),
        ({"languages": ["xx"]}, "Languages it serves people in", "Select a valid choice"),
        ({"precision": "everywhere"}, "How much of the location to show", "Select a valid choice"),
    ],
)
def test_errors_name_the_field_and_keep_what_was_typed(client, overrides, field_label, message):
    response = suggest(client, **overrides)
    text = response.content.decode()
    assert response.status_code == 200
    summary = text[text.index("error-summary") :]
    assert re.search(rf"{re.escape(field_label)}: [^<]*{re.escape(message)}", summary), summary[
        :800
    ]
    kept = form_data(response, "suggest-form")
    for name in ("summary", "how_to_join", "submitter_name"):
        if name not in overrides:
            assert kept[name] == suggestion()[name]
    assert not Organization.objects.exists()


def test_html_is_refused_in_every_text_field(client):
    text_fields = ["name", "summary", "how_to_join", "street_address", "submitter_name"]
    response = suggest(client, **dict.fromkeys(text_fields, "<script>alert(1)</script>"))
    errors = response.context["form"].errors
    assert set(text_fields) <= set(errors)
    assert not Organization.objects.exists()


def test_text_that_only_looks_odd_is_kept_as_text(client):
    suggest(client, summary="Prices < market rate & 2 > 1, open 9-5 <3")
    assert Organization.objects.get().summary == "Prices < market rate & 2 > 1, open 9-5 <3"


# Spam resistance ----------------------------------------------------------------------


def test_the_honeypot_blocks_and_nothing_is_saved(client):
    response = suggest(client, homepage="http://spam.example")
    assert "This looks automated" in response.content.decode()
    assert not Organization.objects.exists()


def test_a_form_sent_too_fast_is_blocked_then_accepted_when_resent(client, settings):
    settings.CONTRIBUTION_MIN_FILL_SECONDS = 5
    response = suggest(client, started=abuse.started_token())
    assert "faster than a person usually types" in response.content.decode()
    assert not Organization.objects.exists()
    # The page carries a new clock; a person who checks and resends later gets through.
    resend = form_data(response, "suggest-form")
    assert resend["name"] == "Anacostia Bike Repair Cooperative"
    resend["started"] = abuse.started_token(time.time() - 10)
    assert client.post(SUGGEST_URL, resend).status_code == 302


STALE_FORM = "was open for a long time or was already sent"


@pytest.mark.parametrize("started", ["", "forged:token", abuse.started_token()[:-2] + "xx"])
def test_a_missing_or_forged_start_time_is_blocked(client, started):
    response = suggest(client, started=started)
    assert STALE_FORM in response.content.decode()
    assert not Organization.objects.exists()


def test_a_form_page_works_for_one_post_only(client):
    """One page, one suggestion: the same token sent again (a script replaying one
    served form, or a double click) is not taken a second time."""
    data = suggestion()
    assert client.post(SUGGEST_URL, data).status_code == 302
    again = client.post(SUGGEST_URL, {**data, "name": "Another Cooperative"})
    assert STALE_FORM in again.content.decode()
    assert Organization.objects.count() == 1
    # The page shown again carries a fresh token: the person can still send it.
    resend = form_data(again, "suggest-form")
    assert resend["started"] != data["started"]
    resend["started"] = abuse.started_token(time.time() - 10)
    assert client.post(SUGGEST_URL, resend).status_code == 302


def test_a_form_page_expires_after_some_hours(client, settings):
    settings.CONTRIBUTION_FORM_HOURS = 6
    served = abuse.started_token(time.time() - 7 * 3600)
    response = suggest(client, started=served)
    assert STALE_FORM in response.content.decode()
    assert not Organization.objects.exists()
    fresh = abuse.started_token(time.time() - 5 * 3600)
    assert suggest(client, started=fresh).status_code == 302


def test_the_rate_limit_stops_an_address_with_a_friendly_page(settings):
    settings.CONTRIBUTION_RATE_LIMIT = 2
    cache.clear()
    client = Client(REMOTE_ADDR="203.0.113.9")
    other_person = Client(REMOTE_ADDR="198.51.100.7")
    for number in range(2):
        assert suggest(client, name=f"Cooperative {number}").status_code == 302
    limited = suggest(client, name="Cooperative 3")
    text = limited.content.decode()
    assert limited.status_code == 429
    assert "Please wait a little before sending more" in text
    assert form_data(limited, "suggest-form")["name"] == "Cooperative 3"  # nothing lost
    assert client.get(SUGGEST_URL).context["limited"]  # warned before typing again
    assert Organization.objects.count() == 2
    assert suggest(other_person, name="Cooperative 4").status_code == 302


def test_a_failing_limit_store_never_blocks_a_suggestion(client, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise DatabaseError("database is locked")

    # The store the deployment default uses: the database.
    monkeypatch.setattr(limits, "_memory_cache", lambda: None)
    monkeypatch.setattr(limits, "_count_in_database", broken)
    monkeypatch.setattr(limits, "_read_in_database", broken)
    monkeypatch.setattr(limits, "_claim_in_database", broken)
    assert suggest(client).status_code == 302
    assert Organization.objects.count() == 1
    assert "Limit store unavailable" in caplog.text


def test_csrf_is_required(published_organization):
    browser = Client(enforce_csrf_checks=True)
    assert browser.post(SUGGEST_URL, suggestion()).status_code == 403
    page = browser.get(SUGGEST_URL)
    data = {
        **suggestion(),
        "csrfmiddlewaretoken": form_data(page, "suggest-form")["csrfmiddlewaretoken"],
    }
    assert browser.post(SUGGEST_URL, data).status_code == 302
    assert browser.post(edit_url(published_organization), {"reason": "closed"}).status_code == 403


@pytest.mark.parametrize("url_name", ["suggest", "suggest-edit", "verify"])
@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"name=" + b"x" * 100_000, "application/x-www-form-urlencoded"),
        (b"\x00\x01\xff\xfe binary \x89PNG", "application/octet-stream"),
        (b"name=%00%FF%FEcoop&type=worker-cooperative", "application/x-www-form-urlencoded"),
        (b"--xyz\r\nnot really multipart", "multipart/form-data"),
        (b"name=" + b"y" * 3_000_000, "application/x-www-form-urlencoded"),
    ],
    ids=["oversized", "binary", "binary-in-form", "broken-multipart", "huge"],
)
def test_an_oversized_or_binary_post_is_a_400(
    client, published_organization, url_name, body, content_type
):
    urls = {
        "suggest": SUGGEST_URL,
        "suggest-edit": edit_url(published_organization),
        "verify": reverse("directory:verify", args=[published_organization.slug, "token"]),
    }
    response = client.generic("POST", urls[url_name], body, content_type=content_type)
    assert response.status_code == 400
    assert "could not be sent" in response.content.decode()


def test_an_unreadable_post_is_a_400_even_before_the_csrf_check(published_organization):
    browser = Client(enforce_csrf_checks=True)
    response = browser.generic(
        "POST", SUGGEST_URL, b"\x00\xff\xfe binary", content_type="application/octet-stream"
    )
    assert response.status_code == 400
    oversized = browser.post(SUGGEST_URL, {"name": "x" * 100_000})
    assert oversized.status_code == 400


def test_a_file_upload_is_a_400(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        SUGGEST_URL, {**suggestion(), "logo": SimpleUploadedFile("a.png", b"PNG")}
    )
    assert response.status_code == 400
    assert "does not take files" in response.content.decode()


# XSS ----------------------------------------------------------------------------------

# Payloads the plain-text rule lets through (they contain no "<" before a letter):
# they must still reach every reader as inert text.
TEXT_PAYLOADS = {
    "name": '" onmouseover="alert(1)',
    "summary": "'; alert(document.cookie); //",
    "how_to_join": "javascript:alert(1) {{ 7|add:7 }} {% debug %}",
    "phone": "(202) 555-0190",
    "street_address": "\" autofocus onfocus=\"alert('x')",
    "submitter_name": '"><img src=x onerror=alert(1)',
}


def test_xss_payloads_are_shown_as_text_to_the_public_and_moderators(client, organizer):
    data = suggestion(**TEXT_PAYLOADS)
    data["submitter_name"] = "Name &quot;onerror&quot;"
    assert client.post(SUGGEST_URL, data).status_code == 302
    organization = Organization.objects.get()
    request = ChangeRequest.objects.get()
    moderator = Client()
    moderator.force_login(organizer)
    review = moderator.get(reverse("admin:directory_changerequest_change", args=[request.pk]))
    review_text = review.content.decode()
    assert 'onmouseover="alert(1)' not in review_text
    assert "&quot; onmouseover=&quot;alert(1)" in review_text
    assert "{{ 7|add:7 }}" in review_text and "14" not in review_text.split("How to join")[1][:200]
    moderator.post(
        reverse("admin:directory_changerequest_change", args=[request.pk]), {"approve": "1"}
    )
    detail = client.get(organization.get_absolute_url()).content.decode()
    assert 'onmouseover="alert(1)' not in detail
    assert "&quot; onmouseover=&quot;alert(1)" in detail
    assert "&#x27;; alert(document.cookie); //" in detail
    assert 'href="javascript:' not in detail
    listing = client.get(reverse("directory:organization-list")).content.decode()
    assert "&quot; onmouseover=&quot;alert(1)" in listing


# Suggest an edit ----------------------------------------------------------------------


@pytest.fixture
def listing():
    organization = OrganizationFactory(
        name="Takoma Bread Cooperative",
        slug="takoma-bread",
        phone="(301) 555-0100",
        website="https://example.org/takoma-bread",
        summary="Bread baked by its workers.",
        languages=["en"],
        internal_contact_email="contact@example.org",
        internal_notes="Board is divided.",
    )
    LocationFactory(
        organization=organization,
        street_address="7000 Carroll Ave",
        city="Takoma Park",
        state="MD",
        zip_code="20912",
        jurisdiction=None,
        latitude=38.9786,
        longitude=-77.0075,
    )
    return organization


def test_the_edit_form_is_prefilled_with_todays_public_values(client, listing):
    response = client.get(edit_url(listing))
    data = form_data(response, "suggest-edit-form")
    assert data["name"] == "Takoma Bread Cooperative"
    assert data["phone"] == "(301) 555-0100"
    assert data["languages"] == "en"
    assert data["street_address"] == "7000 Carroll Ave"
    assert data["zip_code"] == "20912"
    text = response.content.decode()
    assert "contact@example.org" not in text and "Board is divided" not in text
    assert inline_code(text) == []
    for reason in (
        "Some information is wrong",
        "It has closed",
        "It is listed twice",
        "Something else",
    ):
        assert reason in text


def test_a_hidden_address_is_not_prefilled(client, listing):
    listing.locations.update(precision="approximate")
    data = form_data(client.get(edit_url(listing)), "suggest-edit-form")
    assert data["street_address"] == "" and data["zip_code"] == ""
    assert data["city"] == "Takoma Park"


def test_a_suggested_edit_stores_only_what_changed_and_changes_nothing(client, listing):
    data = form_data(client.get(edit_url(listing)), "suggest-edit-form")
    data.update(reason="wrong", phone="(301) 555-0199", message="New number since May.")
    data["languages"] = ["en", "es"]
    data["started"] = abuse.started_token(time.time() - 60)
    response = client.post(edit_url(listing), data)
    assert response.status_code == 302
    assert "What happens next" in client.get(response["Location"]).content.decode()

    request = ChangeRequest.objects.get()
    assert request.kind == "edit" and request.reason == "wrong"
    assert request.proposed == {"phone": "(301) 555-0199", "languages": ["en", "es"]}
    assert request.message == "New number since May."
    listing.refresh_from_db()
    assert listing.phone == "(301) 555-0100"
    assert list(listing.languages.values_list("code", flat=True)) == ["en"]
    assert "(301) 555-0199" not in client.get(listing.get_absolute_url()).content.decode()


def test_a_hidden_address_counts_as_changed_only_when_typed(client, listing):
    listing.locations.update(precision="hidden")
    data = form_data(client.get(edit_url(listing)), "suggest-edit-form")
    data.update(
        reason="wrong",
        street_address="12 New Street",
        started=abuse.started_token(time.time() - 60),
    )
    assert client.post(edit_url(listing), data).status_code == 302
    assert ChangeRequest.objects.get().proposed == {"street_address": "12 New Street"}


def test_a_closed_report_needs_no_values(client, listing):
    response = client.post(
        edit_url(listing),
        {
            "reason": "closed",
            "message": "Shut in March.",
            "started": abuse.started_token(time.time() - 60),
        },
    )
    assert response.status_code == 302
    request = ChangeRequest.objects.get()
    assert (request.reason, request.proposed) == ("closed", {})


def test_a_duplicate_report_points_at_the_other_listing(client, listing):
    other = OrganizationFactory(name="Takoma Bread Co-op", slug="takoma-bread-2")
    data = form_data(client.get(edit_url(listing)), "suggest-edit-form")
    data.update(
        reason="duplicate",
        duplicate_of=f"https://directory.example.org/organizations/{other.slug}/",
        started=abuse.started_token(time.time() - 60),
    )
    assert client.post(edit_url(listing), data).status_code == 302
    request = ChangeRequest.objects.get()
    assert request.duplicate_of == other
    pair = PossibleDuplicate.objects.get()
    assert {pair.organization, pair.similar_to} == {listing, other}
    assert "reported" in pair.reasons


@pytest.mark.parametrize(
    ("overrides", "field_label", "message"),
    [
        ({"reason": "wrong"}, "Tell us more", "Change at least one of the details"),
        ({"reason": ""}, "What is the problem?", "This field is required"),
        ({"reason": "duplicate"}, "If it is listed twice", "Tell us which listing"),
        ({"reason": "wrong", "zip_code": "99999"}, "ZIP code", "does not exist"),
        (
            {"reason": "wrong", "type": "other", "limited_equity": "on"},
            "Limited-equity",
            "Only housing",
        ),
        ({"reason": "wrong", "year_founded": "3000"}, "Year founded", "less than or equal to 2100"),
        ({"reason": "wrong", "description": "<a href=x>click</a>"}, "Description", "without HTML"),
    ],
)
def test_edit_form_errors_name_the_field(client, listing, overrides, field_label, message):
    data = form_data(client.get(edit_url(listing)), "suggest-edit-form")
    data.update(started=abuse.started_token(time.time() - 60), **overrides)
    response = client.post(edit_url(listing), data)
    text = response.content.decode()
    summary = text[text.index("error-summary") :]
    assert re.search(rf"{re.escape(field_label)}[^:<]*: [^<]*{re.escape(message)}", summary), (
        summary[:1200]
    )
    assert form_data(response, "suggest-edit-form")["name"] == "Takoma Bread Cooperative"
    assert not ChangeRequest.objects.exists()


@pytest.mark.parametrize("status", ["draft", "pending", "archived"])
def test_only_published_listings_take_suggested_edits(client, status):
    organization = OrganizationFactory(status=status)
    assert client.get(edit_url(organization)).status_code == 404
    assert client.post(edit_url(organization), {"reason": "closed"}).status_code == 404


def test_the_public_page_links_to_the_edit_form(client, listing):
    text = client.get(listing.get_absolute_url()).content.decode()
    assert f'href="{edit_url(listing)}"' in text
    assert f'href="{SUGGEST_URL}"' in text


def test_a_merged_slug_redirects_to_the_listing_it_became(client, listing):
    SlugRedirect.objects.create(old_slug="takoma-bread-old", old_name="Old", organization=listing)
    detail = client.get("/organizations/takoma-bread-old/")
    assert detail.status_code == 301 and detail["Location"] == listing.get_absolute_url()
    form = client.get("/organizations/takoma-bread-old/suggest-edit/")
    assert form.status_code == 301 and form["Location"] == edit_url(listing)
    listing.status = "archived"
    listing.save()
    assert client.get("/organizations/takoma-bread-old/").status_code == 404
