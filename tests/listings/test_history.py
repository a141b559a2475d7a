"""History in the admin reverts and recovers only the admin's own objects
(directory/listings/history.py)."""

import pytest
import reversion
from django.contrib import admin
from django.urls import reverse
from reversion.admin import VersionAdmin
from reversion.models import Version

from directory.contributions import services as contributions
from directory.listings.history import OwnHistoryVersionAdmin
from directory.models import Language, Location, Organization, OrganizationType
from tests.support.factories import LocationFactory, OrganizationFactory, UserFactory
from tests.support.html_forms import form_data

pytestmark = pytest.mark.django_db


def change_url(organization):
    return reverse("admin:directory_organization_change", args=[organization.pk])


def revision_url(organization, version):
    return reverse("admin:directory_organization_revision", args=[organization.pk, version.pk])


@pytest.fixture
def type_with_history():
    """An organization type an organizer may not change, with an older version, and an
    organization whose id is the type's (as any id can be made to match in a probe)."""
    with reversion.create_revision():
        kind = OrganizationType.objects.create(
            slug="probe-type", name="Original name", plural="Originals", sort_order=99
        )
    with reversion.create_revision():
        kind.name = "Name the lead chose"
        kind.save()
    organization = OrganizationFactory(pk=kind.pk)
    return kind, Version.objects.get_for_object(kind).order_by("pk").first(), organization


def test_another_models_version_is_not_reverted_through_an_organizations_history(
    organizer_client, type_with_history
):
    kind, old_version, organization = type_with_history
    url = revision_url(organization, old_version)
    data = form_data(organizer_client.get(change_url(organization)), "organization_form")
    assert organizer_client.get(url).status_code == 404
    assert organizer_client.post(url, data).status_code == 404
    kind.refresh_from_db()
    assert kind.name == "Name the lead chose"


def test_another_models_version_is_not_recovered_through_the_organization_admin(
    organizer_client, type_with_history
):
    kind, old_version, _organization = type_with_history
    url = reverse("admin:directory_organization_recover", args=[old_version.pk])
    assert organizer_client.get(url).status_code == 404
    assert organizer_client.post(url, {}).status_code == 404
    kind.refresh_from_db()
    assert kind.name == "Name the lead chose"


def test_reverting_a_listing_leaves_the_suggestion_its_revision_recorded_alone(
    organizer_client,
):
    suggestion = contributions.submit_listing(
        values={"name": "Riverside Tenants Union", "type": "mutual-aid"},
        location=None,
        submitter=contributions.Submitter(name="", email="", is_member=False),
    )
    organization = suggestion.organization
    contributions.approve(change_request=suggestion, user=UserFactory(is_superuser=True))
    suggested = Version.objects.get_for_object(organization).order_by("pk").first()
    assert suggested.revision.version_set.filter(object_id=str(suggestion.pk)).exists()

    url = revision_url(organization, suggested)
    data = form_data(organizer_client.get(url), "organization_form")
    assert data["status"] == "pending"
    assert organizer_client.post(url, data).status_code == 302

    organization.refresh_from_db()
    assert organization.status == "pending"  # the listing is as it was
    suggestion.refresh_from_db()
    assert suggestion.status == "approved"  # the organizer's decision is not undone


def test_reverting_a_listing_restores_its_locations_and_drops_ones_added_since(
    organizer_client,
):
    with reversion.create_revision():
        organization = OrganizationFactory(name="Harbor Bakery Workers")
        LocationFactory(organization=organization, city="Baltimore", is_primary=True)
    first = Version.objects.get_for_object(organization).get()
    with reversion.create_revision():
        organization.locations.update(city="Renamed")
        reversion.add_to_revision(organization.locations.get())
        LocationFactory(organization=organization, city="Towson", is_primary=False)
        reversion.add_to_revision(organization)

    url = revision_url(organization, first)
    data = form_data(organizer_client.get(url), "organization_form")
    assert organizer_client.post(url, data).status_code == 302
    assert list(Location.objects.filter(organization=organization).values_list("city")) == [
        ("Baltimore",)
    ]


def test_a_recover_link_for_a_listing_that_exists_again_says_so(organizer_client):
    with reversion.create_revision():
        organization = OrganizationFactory(name="Back Again Co-op")
    version = Version.objects.get_for_object(organization).get()
    url = reverse("admin:directory_organization_recover", args=[version.pk])
    response = organizer_client.get(url, follow=True)
    assert response.redirect_chain[-1][0] == change_url(organization)
    assert "it was recovered already" in response.content.decode()
    assert Organization.objects.filter(pk=organization.pk).count() == 1


def test_every_versioned_admin_keeps_to_its_own_objects():
    versioned = [
        model_admin
        for model_admin in admin.site._registry.values()
        if isinstance(model_admin, VersionAdmin)
    ]
    assert len(versioned) >= 2  # organizations and organization types
    assert all(isinstance(model_admin, OwnHistoryVersionAdmin) for model_admin in versioned)


def history_url(organization):
    return reverse("admin:directory_organization_history", args=[organization.pk])


def history_rows(organizer_client, organization) -> list[str]:
    """Each version's row of the history page as text, newest last."""
    import re

    page = organizer_client.get(history_url(organization)).content.decode()
    body = page[page.index('id="change-history"') :]
    rows = re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)[1:]
    return [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in rows]


def test_the_history_shows_each_versions_changes_field_by_field(organizer_client):
    with reversion.create_revision():
        organization = OrganizationFactory(
            name="Harbor Bakery Workers", summary="Bread.", accepting_members="unknown"
        )
        LocationFactory(organization=organization, label="Bakery", city="Baltimore")
    data = form_data(organizer_client.get(change_url(organization)), "organization_form")
    data.update(
        summary="Bread & <b>pies</b>.",
        accepting_members="yes",
        type=str(OrganizationType.objects.get(slug="mutual-aid").pk),
        languages=[
            str(pk)
            for pk in Language.objects.filter(code__in=["en", "es"]).values_list("pk", flat=True)
        ],
        **{"locations-0-hours": "Mon-Fri 7-3"},
    )
    response = organizer_client.post(change_url(organization), data)
    assert response.status_code == 302, response.content.decode()[:2000]

    page = organizer_client.get(history_url(organization)).content.decode()
    assert "<b>pies" not in page, "values are text"
    latest, first = history_rows(organizer_client, organization)  # newest first
    assert "First version" in first
    assert "Summary : Bread. → Bread &amp; &lt;b&gt;pies&lt;/b&gt;." in latest
    assert "Accepting new members : Unknown → Yes" in latest
    assert "Type : Worker cooperative → Mutual aid group" in latest
    names = ", ".join(
        sorted(str(language) for language in Language.objects.filter(code__in=["en", "es"]))
    )
    assert f"Languages served : — → {names}" in latest
    assert "Location “Bakery”: Hours : — → Mon-Fri 7-3" in latest
    assert "Updated" not in latest, "no timestamps or derived columns"
    assert "Summary [en]" not in latest, "the English column is the field itself"


def test_the_history_names_locations_added_and_removed(organizer_client):
    with reversion.create_revision():
        organization = OrganizationFactory(name="Harbor Bakery Workers")
        LocationFactory(organization=organization, label="Bakery", city="Baltimore")
    with reversion.create_revision():
        organization.locations.all().delete()
        LocationFactory(organization=organization, label="Pantry", city="Towson")
        reversion.add_to_revision(organization)
    latest = history_rows(organizer_client, organization)[0]
    assert "Added : — → Location “Pantry”" in latest
    assert "Removed : Location “Bakery” → —" in latest


def test_the_history_page_does_not_grow_queries_with_versions(organizer_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with reversion.create_revision():
        organization = OrganizationFactory(name="Harbor Bakery Workers")
        LocationFactory(organization=organization, label="Bakery")

    def edit(number):
        with reversion.create_revision():
            organization.summary = f"Edit {number}"
            organization.save()
            organization.languages.set(Language.objects.all()[number % 5 : number % 5 + 3])
            reversion.add_to_revision(organization.locations.get())

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert organizer_client.get(history_url(organization)).status_code == 200
        return len(captured)

    for number in range(3):
        edit(number)
    few = queries()
    for number in range(3, 20):
        edit(number)
    assert queries() <= few + 2  # a language or two not seen before, read once
