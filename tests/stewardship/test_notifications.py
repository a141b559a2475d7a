"""Organizers hear about new suggestions: one email, or one digest per window
(directory/notifications.py, the send_moderation_digest command, email settings)."""

import datetime
import os
import smtplib
import subprocess
import sys
import time

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from directory.contributions import abuse
from directory.models import ChangeRequest
from tests.support.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def suggest(client, django_capture_on_commit_callbacks):
    """Send a suggestion; organizers are notified once its transaction commits."""

    def send(name):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                reverse("directory:suggest"),
                {
                    "name": name,
                    "type": "mutual-aid",
                    "summary": "Neighbours helping neighbours.",
                    "zip_code": "20001",
                    "precision": "hidden",
                    "submitter_email": "private.person@example.net",
                    "started": abuse.started_token(time.time() - 60),
                },
            )

    return send


@pytest.fixture
def volunteers(db):
    UserFactory(organizer=True, email="ana@example.org")
    UserFactory(organizer=True, email="bo@example.org")
    UserFactory(organizer=True, email="", username="no-email")
    UserFactory(organizer=True, email="gone@example.org", is_active=False)
    UserFactory(email="other-staff@example.org")  # not an organizer


def test_one_suggestion_sends_one_email_to_the_organizers(suggest, client, volunteers):
    assert suggest("Shaw Mutual Aid & Friends").status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == ["ana@example.org", "bo@example.org"]
    assert "New listing suggested: Shaw Mutual Aid & Friends" in message.subject
    assert "\n" not in message.subject
    request = ChangeRequest.objects.get()
    assert f"http://testserver/admin/directory/changerequest/{request.pk}/change/" in message.body
    assert "Shaw Mutual Aid & Friends" in message.body  # plain text, not HTML-escaped
    assert "private.person@example.net" not in message.body
    assert request.notified_at is not None


def test_many_suggestions_become_one_digest_per_window(suggest, client, volunteers, settings):
    settings.NOTIFY_DIGEST_MINUTES = 30
    for number in range(5):
        assert suggest(f"Mutual Aid {number}").status_code == 302
    assert len(mail.outbox) == 1  # the first one at once; the rest wait
    call_command("send_moderation_digest", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert len(mail.outbox) == 1  # still inside the window

    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=31)):
        call_command("send_moderation_digest", stdout=open(os.devnull, "w"))  # noqa: SIM115
        assert len(mail.outbox) == 2
        digest = mail.outbox[1]
        assert "4 suggestions waiting for review" in digest.subject
        for number in range(1, 5):
            assert f"Mutual Aid {number}" in digest.body
        suggest("Mutual Aid 6")  # inside the new window: waits
        assert len(mail.outbox) == 2
    assert ChangeRequest.objects.filter(notified_at__isnull=True).count() == 1


def test_organizer_emails_setting_overrides_the_group(suggest, client, volunteers, settings):
    settings.ORGANIZER_EMAILS = ["moderation@example.org"]
    suggest("Mutual Aid")
    assert mail.outbox[0].to == ["moderation@example.org"]


def test_a_failing_mail_server_never_breaks_a_suggestion(
    suggest, client, volunteers, monkeypatch, caplog
):
    def refuse(self, messages):
        raise smtplib.SMTPConnectError(421, "mail server down")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    response = suggest("Mutual Aid")
    assert response.status_code == 302
    assert "What happens next" in client.get(response["Location"]).content.decode()
    assert ChangeRequest.objects.get().notified_at is None
    assert "Could not email organizers" in caplog.text

    monkeypatch.undo()
    call_command("send_moderation_digest", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert len(mail.outbox) == 1  # sent once the server is back
    assert ChangeRequest.objects.get().notified_at is not None


def test_without_any_organizer_address_the_suggestion_is_kept_and_logged(suggest, caplog):
    assert suggest("Mutual Aid").status_code == 302
    assert mail.outbox == []
    assert "no organizer has an email address" in caplog.text


def test_suggested_edits_are_announced_too(client, volunteers, django_capture_on_commit_callbacks):
    organization = OrganizationFactory(name="Takoma Bread Cooperative")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("directory:suggest-edit", args=[organization.slug]),
            {"reason": "closed", "started": abuse.started_token(time.time() - 60)},
        )
    assert "Edit suggested: Takoma Bread Cooperative" in mail.outbox[0].subject


def run_settings(**env) -> str:
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "solidarity.settings",
        "SECRET_KEY": "k" * 20 + "Zq8v0LpR3mX9sT2wY5nB7cF1hJ4dG6aE",
    }
    environment.pop("EMAIL_URL", None)
    environment.update(env)
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS, s.EMAIL_HOST_USER)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True
    )
    return result.stdout.strip().splitlines()[-1]  # the last line: logs go to stdout too


def test_email_goes_to_the_console_in_development_and_smtp_from_email_url_in_production():
    assert run_settings(DEBUG="true").startswith("django.core.mail.backends.console.EmailBackend")
    assert run_settings(
        DEBUG="false", EMAIL_URL="smtp+tls://mailer:secret@mail.example.org:587"
    ) == ("django.core.mail.backends.smtp.EmailBackend mail.example.org 587 True mailer")
