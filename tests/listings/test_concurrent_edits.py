"""Two organizers edit the same listing: the second save is told, with the difference,
instead of silently overwriting the first (directory/concurrency.py)."""

import pytest
from django.test import Client
from django.urls import reverse

from directory.models import Organization
from tests.support.factories import LocationFactory, UserFactory
from tests.support.html_forms import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def organization(db):
    location = LocationFactory(organization__summary="A worker-owned bakery.")
    return location.organization


@pytest.fixture
def two_organizers(db):
    clients = []
    for name in ("alice", "bea"):
        client = Client()
        client.force_login(UserFactory(username=name, organizer=True))
        clients.append(client)
    return clients


def change_url(organization):
    return reverse("admin:directory_organization_change", args=[organization.pk])


def open_form(client, organization):
    return form_data(client.get(change_url(organization)), "organization_form")


def test_the_second_save_is_refused_with_the_difference_and_a_link_to_the_history(
    organization, two_organizers
):
    alice, bea = two_organizers
    alices_form = open_form(alice, organization)
    beas_form = open_form(bea, organization)

    alices_form["summary"] = "Summary by Alice."
    assert alice.post(change_url(organization), alices_form).status_code == 302

    beas_form["summary"] = "Summary by Bea."
    beas_form["phone"] = "(202) 555-0199"
    response = bea.post(change_url(organization), beas_form)
    assert response.status_code == 200, "the form is shown again"
    text = response.content.decode()
    assert "alice saved this organization" in text
    assert "Your changes are not saved yet" in text
    assert "Summary: saved now “Summary by Alice.”; yours “Summary by Bea.”" in text
    assert "Phone: saved now “(empty)”; yours “(202) 555-0199”" in text
    history = reverse("admin:directory_organization_history", args=[organization.pk])
    assert f'href="{history}"' in text
    organization.refresh_from_db()
    assert organization.summary == "Summary by Alice.", "nothing of Bea's was written"
    assert organization.phone == ""


def test_saving_again_after_the_warning_keeps_the_second_version_on_purpose(
    organization, two_organizers
):
    alice, bea = two_organizers
    alices_form = open_form(alice, organization)
    beas_form = open_form(bea, organization)
    alices_form["summary"] = "Summary by Alice."
    alice.post(change_url(organization), alices_form)
    beas_form["summary"] = "Summary by Bea."
    warned = bea.post(change_url(organization), beas_form)

    again = form_data(warned, "organization_form")
    assert again["summary"] == "Summary by Bea.", "Bea's edits are still in the form"
    assert bea.post(change_url(organization), again).status_code == 302
    organization.refresh_from_db()
    assert organization.summary == "Summary by Bea."


def test_a_change_to_locations_only_is_detected_too(organization, two_organizers):
    alice, bea = two_organizers
    alices_form = open_form(alice, organization)
    beas_form = open_form(bea, organization)
    alices_form["locations-0-hours"] = "Mon-Fri 8-4"
    assert alice.post(change_url(organization), alices_form).status_code == 302

    response = bea.post(change_url(organization), beas_form)
    assert response.status_code == 200
    assert "its locations or links may have changed" in response.content.decode()
    assert organization.locations.get().hours == "Mon-Fri 8-4"


def test_saves_one_after_another_are_not_conflicts(organization, two_organizers):
    alice, bea = two_organizers
    form = open_form(alice, organization)
    form["summary"] = "First."
    assert alice.post(change_url(organization), form).status_code == 302
    form = open_form(bea, organization)
    form["summary"] = "Second."
    assert bea.post(change_url(organization), form).status_code == 302
    assert Organization.objects.get(pk=organization.pk).summary == "Second."


def test_adding_an_organization_needs_no_version(organizer_client):
    form = form_data(
        organizer_client.get(reverse("admin:directory_organization_add")), "organization_form"
    )
    assert "edit_version" not in form
