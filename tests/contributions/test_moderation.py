"""Organizers review suggestions in the admin (directory/moderation_admin.py and the
decisions in directory/contributions.py)."""

import datetime

import pytest
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from directory.models import ChangeRequest, Organization
from tests.support.factories import (
    ChangeRequestFactory,
    LocationFactory,
    OrganizationFactory,
    UserFactory,
)
from tests.support.html_forms import form_data

pytestmark = pytest.mark.django_db

QUEUE_URL = reverse("admin:directory_changerequest_changelist")


def review_url(change_request):
    return reverse("admin:directory_changerequest_change", args=[change_request.pk])


def snapshot(organization):
    organization = Organization.objects.get(pk=organization.pk)
    fields = model_to_dict(organization, exclude=["languages", "sectors", "service_area"])
    fields["languages"] = sorted(organization.languages.values_list("code", flat=True))
    fields["locations"] = list(organization.locations.values())
    return fields


@pytest.fixture
def listing():
    organization = OrganizationFactory(
        name="Takoma Bread Cooperative",
        slug="takoma-bread",
        phone="(301) 555-0100",
        summary="Bread baked by its workers.",
        languages=["en"],
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
        point_source="pin",
    )
    return organization


def test_the_queue_lists_new_listings_and_edits_newest_first(organizer_client, listing):
    now = datetime.datetime.now(datetime.UTC)
    older = ChangeRequestFactory(organization=listing, created_at=now - datetime.timedelta(days=2))
    pending = OrganizationFactory(name="Suggested Co-op", status="pending")
    newer = ChangeRequestFactory(
        organization=pending, kind="new", reason="", created_at=now - datetime.timedelta(hours=1)
    )
    decided = ChangeRequestFactory(
        organization=listing, status="rejected", decided_at=now, decision_note="Spam"
    )
    response = organizer_client.get(QUEUE_URL)
    shown = list(response.context["cl"].result_list)
    assert shown == [newer, older]  # pending only, newest first
    assert decided in organizer_client.get(QUEUE_URL, {"status": "all"}).context["cl"].result_list


def test_the_admin_index_counts_what_needs_attention(organizer_client, listing):
    ChangeRequestFactory(organization=listing)
    ChangeRequestFactory(organization=listing, reason="closed")
    ChangeRequestFactory(organization=OrganizationFactory(status="pending"), kind="new", reason="")
    OrganizationFactory(last_verified=None)  # stale
    text = organizer_client.get(reverse("admin:index")).content.decode()
    dashboard = text[text.index('id="moderation-dashboard"') :]
    assert "Suggested new listings</a></th><td>1<" in dashboard
    assert "Suggested edits and problem reports</a></th><td>2<" in dashboard
    assert "Published listings not verified recently</a></th><td>1<" in dashboard


def test_the_queue_page_does_not_grow_queries_with_rows(
    organizer_client, listing, django_assert_max_num_queries
):
    for _ in range(30):
        ChangeRequestFactory(organization=listing)
    with django_assert_max_num_queries(15):
        response = organizer_client.get(QUEUE_URL)
    assert len(response.context["cl"].result_list) == 30


def test_the_review_page_shows_a_field_by_field_diff(organizer_client, listing):
    request = ChangeRequestFactory(
        organization=listing,
        proposed={"phone": "(301) 555-0199", "languages": ["en", "es"], "zip_code": "20910"},
        message="They moved.",
        submitter_email="pat@example.net",
    )
    response = organizer_client.get(review_url(request))
    rows = {row.field: row for row in response.context["diff"]}
    assert (rows["phone"].current, rows["phone"].proposed) == ("(301) 555-0100", "(301) 555-0199")
    assert (rows["languages"].current, rows["languages"].proposed) == (
        "English",
        "English, Spanish",
    )
    assert (rows["zip_code"].current, rows["zip_code"].proposed) == ("20912", "20910")
    text = response.content.decode()
    assert "They moved." in text and "pat@example.net" in text
    assert 'name="approve"' in text and 'name="reject"' in text


def test_approving_applies_exactly_the_proposed_fields_as_one_revision(
    organizer_client, organizer, listing, client
):
    before = snapshot(listing)
    request = ChangeRequestFactory(
        organization=listing, proposed={"phone": "(301) 555-0199", "languages": ["en", "es"]}
    )
    response = organizer_client.post(review_url(request), {"approve": "Approve"})
    assert response.status_code == 302

    after = snapshot(listing)
    assert after["phone"] == "(301) 555-0199"
    assert after["languages"] == ["en", "es"]
    unchanged = {key for key in before if key not in {"phone", "languages", "updated_at"}}
    assert {key: after[key] for key in unchanged} == {key: before[key] for key in unchanged}

    request.refresh_from_db()
    assert (request.status, request.decided_by) == ("approved", organizer)
    version = Version.objects.get_for_object(listing).first()
    assert version.revision == request.revision
    assert version.revision.user == organizer
    assert f"suggestion #{request.pk}" in version.revision.comment
    history = organizer_client.get(
        reverse("admin:directory_organization_history", args=[listing.pk])
    ).content.decode()
    assert f"suggestion #{request.pk}" in history
    assert "(301) 555-0199" in client.get(listing.get_absolute_url()).content.decode()


def test_an_organizer_can_correct_the_proposal_before_approving(organizer_client, listing):
    request = ChangeRequestFactory(
        organization=listing,
        proposed={"phone": "301-555-01999", "limited_equity": False, "summary": "Fresh bread."},
    )
    data = form_data(organizer_client.get(review_url(request)), "review-form")
    assert data["phone"] == "301-555-01999" and data["summary"] == "Fresh bread."
    data.update(phone="(301) 555-0199", approve="Approve")
    assert organizer_client.post(review_url(request), data).status_code == 302
    listing.refresh_from_db()
    assert listing.phone == "(301) 555-0199" and listing.summary == "Fresh bread."
    request.refresh_from_db()
    assert request.applied["phone"] == "(301) 555-0199"


def test_an_invalid_correction_is_refused_with_the_field_named(organizer_client, listing):
    request = ChangeRequestFactory(organization=listing, proposed={"phone": "(301) 555-0199"})
    response = organizer_client.post(review_url(request), {"approve": "Approve", "phone": "call!"})
    assert response.status_code == 200
    assert "Enter a phone number" in response.content.decode()
    listing.refresh_from_db()
    assert listing.phone == "(301) 555-0100"
    assert ChangeRequest.objects.get().status == "pending"


def test_an_address_change_places_the_location_again(organizer_client, listing):
    listing.locations.update(point_source="zip")
    request = ChangeRequestFactory(
        organization=listing, proposed={"street_address": "8000 Flower Ave", "zip_code": "20910"}
    )
    page = organizer_client.get(review_url(request)).content.decode()
    assert "Placed again from the new address" in page
    organizer_client.post(review_url(request), {"approve": "Approve"})
    location = listing.locations.get()
    assert (location.street_address, location.zip_code, location.city) == (
        "8000 Flower Ave",
        "20910",
        "Silver Spring",
    )
    assert location.point_source == "zip" and location.jurisdiction.fips == "24031"


def test_an_address_change_keeps_an_organizers_pin_and_says_so(organizer_client, listing):
    request = ChangeRequestFactory(
        organization=listing, proposed={"street_address": "8000 Flower Ave", "zip_code": "20910"}
    )
    page = organizer_client.get(review_url(request)).content.decode()
    assert "Point on the map" in page
    assert "Kept where it was placed by hand" in page
    organizer_client.post(review_url(request), {"approve": "Approve"})
    location = listing.locations.get()
    assert (location.latitude, location.longitude, location.point_source) == (
        38.9786,
        -77.0075,
        "pin",
    )
    assert location.city == "Silver Spring", "the new ZIP code still brings its city"


def test_clearing_an_apply_box_skips_that_field(organizer_client, listing):
    listing.website = "https://takoma-bread.example"
    listing.save()
    request = ChangeRequestFactory(
        organization=listing,
        proposed={"website": "https://wrong.example", "phone": "(301) 555-0199"},
    )
    form = form_data(organizer_client.get(review_url(request)), "review-form")
    assert form["website"] == "https://wrong.example"
    form["website"] = ""
    response = organizer_client.post(review_url(request), {**form, "approve": "Approve"})
    assert response.status_code == 302
    listing.refresh_from_db()
    assert listing.website == "https://takoma-bread.example", "cleared: skipped, not wiped"
    assert listing.phone == "(301) 555-0199"


def test_rejecting_needs_a_reason_and_leaves_the_listing_untouched(organizer_client, listing):
    before = snapshot(listing)
    request = ChangeRequestFactory(organization=listing, proposed={"name": "Vandalised"})
    response = organizer_client.post(review_url(request), {"reject": "Reject"})
    assert "Say why it is rejected" in response.content.decode()
    assert ChangeRequest.objects.get().status == "pending"

    response = organizer_client.post(
        review_url(request), {"reject": "Reject", "decision_note": "Not true."}
    )
    assert response.status_code == 302
    assert snapshot(listing) == before
    request.refresh_from_db()
    assert (request.status, request.decision_note) == ("rejected", "Not true.")
    revision = Version.objects.get_for_object(listing).first().revision
    assert f"Rejected suggestion #{request.pk}: Not true." == revision.comment


def test_an_approved_closed_report_archives_the_listing(organizer_client, listing):
    request = ChangeRequestFactory(organization=listing, reason="closed")
    page = organizer_client.get(review_url(request)).content.decode()
    assert "Approve and archive the listing" in page
    organizer_client.post(review_url(request), {"approve": "Approve"})
    listing.refresh_from_db()
    assert listing.status == "archived"
    assert Client().get(listing.get_absolute_url()).status_code == 404


def test_approving_a_new_listing_publishes_it(organizer_client, client):
    pending = OrganizationFactory(name="Suggested Co-op", status="pending", last_verified=None)
    request = ChangeRequestFactory(
        organization=pending, kind="new", reason="", submitter_is_member=True
    )
    page = organizer_client.get(review_url(request))
    assert "Approve and publish" in page.content.decode()
    assert ("Name", "Suggested Co-op") in page.context["listing_rows"]
    organizer_client.post(review_url(request), {"approve": "Approve"})
    pending.refresh_from_db()
    assert pending.status == "published" and pending.published_at is not None
    assert pending.last_verified == datetime.date.today()  # told by the organization itself
    assert client.get(pending.get_absolute_url()).status_code == 200


def test_rejecting_a_new_listing_deletes_it_recoverably(organizer_client):
    pending = OrganizationFactory(name="Spam Co-op", status="pending")
    request = ChangeRequestFactory(organization=pending, kind="new", reason="")
    organizer_client.post(review_url(request), {"reject": "Reject", "decision_note": "Spam"})
    assert not Organization.objects.filter(name="Spam Co-op").exists()
    request.refresh_from_db()
    assert request.status == "rejected" and request.organization is None
    assert request.organization_name == "Spam Co-op"
    assert "Spam Co-op" in organizer_client.get(review_url(request)).content.decode()


def test_bulk_publishing_a_suggested_listing_closes_its_suggestion(organizer_client, organizer):
    pending = OrganizationFactory(name="Suggested Co-op", status="pending")
    request = ChangeRequestFactory(organization=pending, kind="new", reason="")
    assert request in organizer_client.get(QUEUE_URL).context["cl"].result_list
    organizer_client.post(
        reverse("admin:directory_organization_changelist"),
        {"action": "publish", "_selected_action": [pending.pk]},
    )
    assert Client().get(pending.get_absolute_url()).status_code == 200
    request.refresh_from_db()
    assert (request.status, request.decided_by) == ("approved", organizer)
    assert request.get_status_display() != "Waiting for review"
    assert request not in organizer_client.get(QUEUE_URL).context["cl"].result_list
    page = organizer_client.get(review_url(request)).content.decode()
    assert 'name="approve"' not in page and 'name="reject"' not in page
    assert "Published by an organizer from the listing itself." in page
    publishing = Version.objects.get_for_object(pending).first().revision
    decision = Version.objects.get_for_object(request).first().revision
    assert decision == publishing, "recorded in the revision that published"


def test_publishing_a_suggested_listing_from_its_page_closes_its_suggestion(organizer_client):
    pending = OrganizationFactory(name="Suggested Co-op", status="pending")
    LocationFactory(organization=pending)
    request = ChangeRequestFactory(organization=pending, kind="new", reason="")
    url = reverse("admin:directory_organization_change", args=[pending.pk])
    data = form_data(organizer_client.get(url), "organization_form")
    data["status"] = "published"
    assert organizer_client.post(url, data).status_code == 302
    request.refresh_from_db()
    assert request.status == "approved"


def test_rejecting_a_new_listing_published_meanwhile_never_deletes_it(organizer_client):
    # Published while the suggestion still waited (before publishing closed suggestions,
    # or by a merge that kept it).
    live = OrganizationFactory(name="Suggested Co-op", status="published")
    request = ChangeRequestFactory(organization=live, kind="new", reason="")
    page = organizer_client.get(review_url(request)).content.decode()
    assert "This listing is no longer waiting for review: it is Published already" in page

    organizer_client.post(review_url(request), {"reject": "Reject", "decision_note": "Late."})
    request.refresh_from_db()
    assert request.status == "rejected"
    live.refresh_from_db()
    assert live.status == "published"
    assert Client().get(live.get_absolute_url()).status_code == 200, "still live"


def test_a_decided_suggestion_cannot_be_decided_again(organizer_client, listing):
    request = ChangeRequestFactory(organization=listing, proposed={"phone": "(301) 555-0199"})
    organizer_client.post(review_url(request), {"reject": "Reject", "decision_note": "No"})
    page = organizer_client.get(review_url(request)).content.decode()
    assert 'name="approve"' not in page
    assert organizer_client.post(review_url(request), {"approve": "Approve"}).status_code == 403
    listing.refresh_from_db()
    assert listing.phone == "(301) 555-0100"


def test_staff_without_moderation_rights_cannot_see_or_decide(client, listing):
    client.force_login(UserFactory())  # staff, no group
    request = ChangeRequestFactory(organization=listing)
    assert client.get(QUEUE_URL).status_code == 403
    assert client.post(review_url(request), {"approve": "Approve"}).status_code == 403
    assert ChangeRequest.objects.get().status == "pending"


def test_nobody_adds_or_deletes_suggestions_in_the_admin(organizer_client, listing):
    request = ChangeRequestFactory(organization=listing)
    add = reverse("admin:directory_changerequest_add")
    delete = reverse("admin:directory_changerequest_delete", args=[request.pk])
    assert organizer_client.get(add).status_code == 403
    assert organizer_client.post(delete, {"post": "yes"}).status_code == 403


XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_stored_payloads_are_text_in_the_queue_review_and_public_page(organizer_client, client):
    # Text stored before the plain-text rule (an import, an old record) must still be
    # inert wherever it is shown.
    organization = OrganizationFactory(name=f"Co-op {XSS}", summary=XSS, how_to_join=XSS)
    LocationFactory(organization=organization, street_address=XSS, hours=XSS)
    request = ChangeRequestFactory(
        organization=organization,
        proposed={"summary": f"new {XSS}", "hours": XSS, "name": XSS},
        message=XSS,
        submitter_name=XSS,
    )
    for response in (
        organizer_client.get(QUEUE_URL),
        organizer_client.get(review_url(request)),
        organizer_client.get(reverse("admin:index")),
        client.get(organization.get_absolute_url()),
    ):
        text = response.content.decode()
        assert response.status_code == 200
        assert "<script>alert" not in text
        assert "<img src=x" not in text
    review = organizer_client.get(review_url(request)).content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in review
