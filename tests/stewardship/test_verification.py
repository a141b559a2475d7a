"""Keeping listings fresh: verification emails, signed links, flags for organizers
(directory/verification.py and the send_verification_requests command)."""

import datetime
import re
import smtplib

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from directory.contributions import services as contributions
from directory.models import ChangeRequest, VerificationRequest
from directory.stewardship import verification
from tests.support.factories import OrganizationFactory, UserFactory, VerificationRequestFactory
from tests.support.html_forms import form_data

pytestmark = pytest.mark.django_db

LONG_AGO = datetime.date(2020, 1, 1)


def stale(**fields):
    return OrganizationFactory(
        **{"last_verified": LONG_AGO, "internal_contact_email": "contact@example.org", **fields}
    )


def run(*args):
    call_command("send_verification_requests", *args, stdout=open("/dev/null", "w"))  # noqa: SIM115


def links_in(message) -> tuple[str, str]:
    urls = re.findall(r"http://testserver(\S+)", message.body)
    confirm = next(url for url in urls if "/verify/" in url)
    edit = next(url for url in urls if "suggest-edit" in url)
    return confirm, edit


def test_stale_listings_with_a_contact_are_emailed_once(settings):
    settings.ORGANIZER_EMAILS = ["organizers@example.org"]
    due = stale(name="Old Bakery Co-op")
    public_only = stale(
        name="Public Email Co-op", internal_contact_email="", email="hi@example.org"
    )
    stale(name="No Email Co-op", internal_contact_email="")
    OrganizationFactory(name="Fresh Co-op", internal_contact_email="x@example.org")
    stale(name="Draft Co-op", status="draft")

    run()
    assert sorted(message.to[0] for message in mail.outbox) == [
        "contact@example.org",
        "hi@example.org",
    ]
    message = next(message for message in mail.outbox if message.to == ["contact@example.org"])
    assert "Old Bakery Co-op" in message.subject
    assert "/verify/" in message.body and "suggest-edit/?verification=" in message.body
    assert set(VerificationRequest.objects.values_list("organization", flat=True)) == {
        due.pk,
        public_only.pk,
    }

    run()  # the same day: nothing new
    assert len(mail.outbox) == 2


def test_a_dry_run_sends_and_records_nothing():
    stale()
    run("--dry-run")
    assert mail.outbox == [] and not VerificationRequest.objects.exists()


def test_unanswered_requests_are_sent_again_after_the_link_expires(settings):
    stale()
    run()
    with time_machine.travel(timezone.now() + datetime.timedelta(days=31)):
        run()
    assert len(mail.outbox) == 2


def test_the_link_asks_before_confirming_and_one_click_confirms(client):
    organization = stale()
    run()
    confirm_url, _edit = links_in(mail.outbox[0])
    page = client.get(confirm_url)
    assert page.status_code == 200
    assert "Yes, it is still accurate" in page.content.decode()
    organization.refresh_from_db()
    assert (
        organization.last_verified == LONG_AGO
    )  # opening the link (a mail scanner) changes nothing

    done = client.post(confirm_url)
    assert "marked as verified today" in done.content.decode()
    organization.refresh_from_db()
    assert organization.last_verified == timezone.localdate()
    request = VerificationRequest.objects.get()
    assert request.answer == "confirmed" and request.answered_at is not None
    revision = Version.objects.get_for_object(organization).first().revision
    assert "Confirmed still accurate by its contact" in revision.comment
    assert (
        "Checked by organizers in" in client.get(organization.get_absolute_url()).content.decode()
    )


def test_an_expired_link_says_so_and_offers_the_edit_form(client):
    organization = stale()
    run()
    confirm_url, edit_url = links_in(mail.outbox[0])
    with time_machine.travel(timezone.now() + datetime.timedelta(days=31)):
        response = client.post(confirm_url)
        text = response.content.decode()
        assert response.status_code == 410
        assert "This link has expired" in text
        assert f'href="{reverse("directory:suggest-edit", args=[organization.slug])}"' in text
        edit_page = client.get(edit_url).content.decode()
        assert "has expired" in edit_page
    organization.refresh_from_db()
    assert organization.last_verified == LONG_AGO


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-3] + "abc",
        lambda token: "x" + token,
        lambda token: token.split(":")[0] + ":AAAAAA:" + token.split(":")[-1],
        lambda token: "not-a-token",
    ],
    ids=["signature", "payload", "timestamp", "garbage"],
)
def test_a_tampered_link_is_refused_and_offers_the_edit_form(client, tamper):
    organization = stale()
    run()
    confirm_url, edit_url = links_in(mail.outbox[0])
    token = confirm_url.rstrip("/").split("/")[-1]
    response = client.post(confirm_url.replace(token, tamper(token)))
    text = response.content.decode()
    assert response.status_code == 400
    assert "This link is not valid" in text
    assert f'href="{reverse("directory:suggest-edit", args=[organization.slug])}"' in text
    edit_page = client.get(edit_url.replace(token, tamper(token))).content.decode()
    assert "is not valid" in edit_page
    organization.refresh_from_db()
    assert organization.last_verified == LONG_AGO


def test_a_link_for_one_listing_does_not_work_for_another(client):
    stale(name="First Co-op")
    other = stale(name="Second Co-op", internal_contact_email="second@example.org")
    run()
    confirm_url, _edit = links_in(mail.outbox[0])
    token = confirm_url.rstrip("/").split("/")[-1]
    forged = reverse("directory:verify", args=[other.slug, token])
    assert client.post(forged).status_code == 400


def test_the_edit_link_is_pre_authorized_and_its_approval_verifies(client, organizer_client):
    organization = stale(phone="(301) 555-0100")
    run()
    _confirm, edit_url = links_in(mail.outbox[0])
    page = client.get(edit_url)
    assert "as this listing" in page.content.decode()
    data = form_data(page, "suggest-edit-form")
    data.update(reason="wrong", phone="(301) 555-0199", started="")  # no fill-time check
    assert client.post(edit_url.split("?")[0], data).status_code == 302

    request = ChangeRequest.objects.get()
    assert request.from_verified_contact and request.submitter_is_member
    # Organizers can answer the address the email went to; nobody else saw it.
    assert request.submitter_email == "contact@example.org"
    assert VerificationRequest.objects.get().answer == "edit"
    review = reverse("admin:directory_changerequest_change", args=[request.pk])
    organizer_client.post(review, {"approve": "Approve"})
    organization.refresh_from_db()
    assert organization.phone == "(301) 555-0199"
    assert organization.last_verified == timezone.localdate()


def test_silent_contacts_are_flagged_for_organizers_once_and_never_archived(
    settings, organizer_client
):
    settings.ARCHIVE_AFTER_MONTHS = 3
    organizer = UserFactory(organizer=True, email="volunteer@example.org")
    silent = stale(name="Silent Co-op")
    VerificationRequestFactory(
        organization=silent, sent_at=timezone.now() - datetime.timedelta(days=100)
    )
    answered = stale(name="Answered Co-op", internal_contact_email="a@example.org")
    VerificationRequestFactory(
        organization=answered,
        sent_at=timezone.now() - datetime.timedelta(days=100),
        answered_at=timezone.now(),
        answer="edit",
    )
    run()
    flags = [message for message in mail.outbox if organizer.email in message.to]
    assert len(flags) == 1
    assert "Silent Co-op" in flags[0].body and "Answered Co-op" not in flags[0].body
    assert "Nothing has been archived" in flags[0].body
    silent.refresh_from_db()
    assert silent.status == "published"
    assert VerificationRequest.objects.filter(
        organization=silent, flagged_at__isnull=False
    ).exists()

    text = organizer_client.get(reverse("admin:index")).content.decode()
    assert "Listings whose contact has not answered</a></th><td>1<" in text
    queue = organizer_client.get(
        reverse("admin:directory_verificationrequest_changelist"), {"attention": "yes"}
    )
    assert [request.organization for request in queue.context["cl"].result_list] == [silent]

    mail.outbox.clear()
    run()
    assert not [message for message in mail.outbox if organizer.email in message.to]


def test_a_failing_mail_server_records_nothing_and_is_retried(monkeypatch, caplog):
    stale()

    def refuse(self, messages):
        raise smtplib.SMTPServerDisconnected("mail server down")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    run()
    assert not VerificationRequest.objects.exists()
    assert "Could not send the verification request" in caplog.text
    monkeypatch.undo()
    run()
    assert VerificationRequest.objects.count() == 1 and len(mail.outbox) == 1


def test_tokens_round_trip_only_for_their_listing():
    request = VerificationRequestFactory()
    token = verification.make_token(request)
    assert verification.read_token(token, organization=request.organization) == request
    with pytest.raises(verification.LinkInvalid):
        verification.read_token(token, organization=OrganizationFactory())


# Each link works once for "still accurate" and once for an edit ----------------------


def test_the_still_accurate_button_works_once(client):
    organization = stale()
    run()
    confirm_url, _edit = links_in(mail.outbox[0])
    assert "marked as verified today" in client.post(confirm_url).content.decode()
    # Before: the same link confirmed again on every click (three revisions).
    again = client.post(confirm_url)
    assert again.status_code == 200
    text = again.content.decode()
    assert "This link was used on" in text and "Yes, it is still accurate" not in text
    client.post(confirm_url)
    comments = [
        version.revision.comment for version in Version.objects.get_for_object(organization)
    ]
    assert sum("Confirmed still accurate" in comment for comment in comments) == 1
    assert VerificationRequest.objects.get().confirmed_at is not None
    # The edit button still works once after a confirmation.
    assert "Something has changed: suggest an edit" in client.get(confirm_url).content.decode()


def test_the_edit_link_sends_one_edit_then_limits_apply_as_to_anyone(client, settings):
    # Before: one token sent 12 edits, each skipping the fill time and the rate limit.
    settings.CONTRIBUTION_RATE_LIMIT = 0  # ordinary suggestions are all over the limit
    organization = stale(phone="(301) 555-0100")
    run()
    confirm_url, edit_url = links_in(mail.outbox[0])
    data = form_data(client.get(edit_url), "suggest-edit-form")
    data.update(reason="wrong", phone="(301) 555-0199", started="")
    assert client.post(edit_url.split("?")[0], data).status_code == 302

    page = client.get(edit_url).content.decode()
    assert "An edit was already sent through the link in your email" in page
    assert "as this listing" not in page
    data.update(phone="(301) 555-0142")
    assert client.post(edit_url.split("?")[0], data).status_code == 429
    assert ChangeRequest.objects.filter(organization=organization).count() == 1
    assert "An edit was sent through this link on" in client.get(confirm_url).content.decode()


def test_of_two_edits_sent_at_once_through_one_link_only_one_counts():
    organization = stale()
    request = VerificationRequestFactory(organization=organization, email="contact@example.org")
    first, second = (
        VerificationRequest.objects.get(pk=request.pk) for _ in range(2)
    )  # both read before either was sent
    send = {
        "organization": organization,
        "reason": "wrong",
        "proposed": {"phone": "(301) 555-0199"},
        "message": "",
        "duplicate_of_text": "",
        "submitter": contributions.Submitter(name="", email="", is_member=True),
    }
    contributions.submit_change_request(**send, verification=first)
    with pytest.raises(ValidationError, match="works once"):
        contributions.submit_change_request(**send, verification=second)
    assert ChangeRequest.objects.count() == 1


def test_the_edit_form_never_shows_the_internal_contact(client):
    stale(email="public@example.org")
    run()
    _confirm, edit_url = links_in(mail.outbox[0])
    page = client.get(edit_url).content.decode()
    assert "as this listing" in page
    assert "contact@example.org" not in page
