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


def conflict(client, organization, form):
    response = client.post(change_url(organization), form)
    assert response.status_code == 200, "the form is shown again"
    return response


def test_the_second_save_is_refused_with_every_change_of_the_other_person(
    organization, two_organizers
):
    alice, bea = two_organizers
    alices_form = open_form(alice, organization)
    beas_form = open_form(bea, organization)

    alices_form["summary"] = "Summary by Alice."
    alices_form["locations-0-hours"] = "Mon-Fri 8-4"
    assert alice.post(change_url(organization), alices_form).status_code == 302

    beas_form["summary"] = "Summary by Bea."
    beas_form["phone"] = "(202) 555-0199"
    text = conflict(bea, organization, beas_form).content.decode()
    assert "alice saved this organization" in text
    assert "Nothing of yours is saved yet" in text
    assert "Summary: now “Summary by Alice.” (was “A worker-owned bakery.”)" in text
    assert "Keep mine instead: “Summary by Bea.”" in text
    assert "Hours: now “Mon-Fri 8-4” (was “(empty)”)" in text, "a location's field too"
    history = reverse("admin:directory_organization_history", args=[organization.pk])
    assert f'href="{history}"' in text
    organization.refresh_from_db()
    assert organization.summary == "Summary by Alice.", "nothing of Bea's was written"
    assert organization.phone == ""


def test_saving_again_keeps_the_other_persons_changes_and_mine_elsewhere(
    organization, two_organizers
):
    """The issue's scenario: a location's hours changed by one person survive the
    other's second save of the summary."""
    alice, bea = two_organizers
    alices_form = open_form(alice, organization)
    beas_form = open_form(bea, organization)
    alices_form["locations-0-hours"] = "Mon-Fri 8-4"
    alices_form["summary"] = "Summary by Alice."
    alice.post(change_url(organization), alices_form)
    beas_form["summary"] = "Summary by Bea."
    beas_form["phone"] = "(202) 555-0199"
    again = form_data(conflict(bea, organization, beas_form), "organization_form")

    assert again["locations-0-hours"] == "Mon-Fri 8-4"
    assert again["summary"] == "Summary by Alice."
    assert again["phone"] == "(202) 555-0199", "Bea's other edit is still in the form"
    assert bea.post(change_url(organization), again).status_code == 302
    organization.refresh_from_db()
    assert organization.summary == "Summary by Alice."
    assert organization.phone == "(202) 555-0199"
    assert organization.locations.get().hours == "Mon-Fri 8-4"


def test_keep_mine_instead_is_an_explicit_choice_per_field(organization, two_organizers):
    alice, bea = two_organizers
    alices_form = open_form(alice, organization)
    beas_form = open_form(bea, organization)
    alices_form["summary"] = "Summary by Alice."
    alices_form["locations-0-hours"] = "Mon-Fri 8-4"
    alice.post(change_url(organization), alices_form)
    beas_form["summary"] = "Summary by Bea."
    beas_form["locations-0-hours"] = "Weekends"
    warned = conflict(bea, organization, beas_form)

    again = form_data(warned, "organization_form")
    again["edit_keep_mine"] = "summary"
    assert bea.post(change_url(organization), again).status_code == 302
    organization.refresh_from_db()
    assert organization.summary == "Summary by Bea.", "ticked: Bea's value"
    assert organization.locations.get().hours == "Mon-Fri 8-4", "not ticked: Alice's value"


def test_a_zip_change_elsewhere_is_listed_with_the_city_it_brought(organization, two_organizers):
    alice, bea = two_organizers
    alices_form = open_form(alice, organization)
    beas_form = open_form(bea, organization)
    alices_form["locations-0-zip_code"] = "21201"
    alices_form["locations-0-city"] = ""
    alices_form["locations-0-state"] = "MD"
    alices_form["locations-0-jurisdiction"] = ""
    assert alice.post(change_url(organization), alices_form).status_code == 302
    beas_form["summary"] = "Summary by Bea."
    warned = conflict(bea, organization, beas_form)
    text = warned.content.decode()
    assert "ZIP code: now “21201”" in text
    assert "City: now “Baltimore”" in text
    again = form_data(warned, "organization_form")
    assert bea.post(change_url(organization), again).status_code == 302
    location = organization.locations.get()
    assert (location.zip_code, location.city) == ("21201", "Baltimore")


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
