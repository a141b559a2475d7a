"""Organizers preview a listing that is not public (directory/browse/preview.py): the
detail page as the public would see it, for them alone."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from directory.models import Jurisdiction
from tests.support.factories import LocationFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    organization = OrganizationFactory(
        name="Quiet Pantry Mutual Aid", slug="quiet-pantry", status="draft"
    )
    LocationFactory(
        organization=organization,
        street_address="4321 Secret Ave NE",
        city="Washington",
        state="DC",
        zip_code="20019",
        jurisdiction=Jurisdiction.objects.get(fips="11001"),
        latitude=38.894321,
        longitude=-76.951234,
        precision="approximate",
    )
    return organization


@pytest.mark.parametrize(
    ("status", "label"),
    [("draft", "Draft"), ("pending", "Pending review"), ("archived", "Archived")],
)
def test_staff_preview_a_listing_that_is_not_public(organizer_client, draft, status, label):
    draft.status = status
    draft.save()
    response = organizer_client.get(draft.get_absolute_url())
    assert response.status_code == 200
    text = response.content.decode()
    assert f"Preview: not public ({label})" in text
    assert '<meta name="robots" content="noindex">' in text
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex"
    assert reverse("admin:directory_organization_change", args=[draft.pk]) in text


def test_the_admins_view_on_site_link_opens_the_preview(organizer_client, draft):
    change = organizer_client.get(reverse("admin:directory_organization_change", args=[draft.pk]))
    view_on_site = change.context["original"].get_absolute_url()
    assert organizer_client.get(view_on_site).status_code == 200


def test_the_preview_shows_locations_as_the_public_would_see_them(organizer_client, draft):
    text = organizer_client.get(draft.get_absolute_url()).content.decode()
    assert "Quiet Pantry Mutual Aid" in text
    assert "Secret Ave" not in text and "20019" not in text
    assert "38.894321" not in text and "-76.951234" not in text
    assert "38.89" in text, "the rounded point, as the public map would have it"


def test_everyone_else_gets_404(client, draft):
    assert client.get(draft.get_absolute_url()).status_code == 404

    visitor = UserFactory(is_staff=False)
    client.force_login(visitor)
    assert client.get(draft.get_absolute_url()).status_code == 404, "signed in, not staff"

    staff_without_rights = UserFactory()  # staff, but may not view organizations
    client.force_login(staff_without_rights)
    assert client.get(draft.get_absolute_url()).status_code == 404

    staff_without_rights.user_permissions.add(Permission.objects.get(codename="view_organization"))
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_the_shared_page_cache_never_serves_a_preview(organizer_client, draft):
    assert organizer_client.get(draft.get_absolute_url()).status_code == 200
    assert organizer_client.get(draft.get_absolute_url()).status_code == 200
    anonymous = Client()
    response = anonymous.get(draft.get_absolute_url())
    assert response.status_code == 404
    assert "Quiet Pantry" not in response.content.decode()


def test_a_published_listing_has_no_preview_banner_and_stays_cacheable(organizer_client, draft):
    draft.status = "published"
    draft.save()
    staff_page = organizer_client.get(draft.get_absolute_url())
    assert "Preview: not public" not in staff_page.content.decode()
    assert "no-store" not in staff_page.get("Cache-Control", "")
    public_page = Client().get(draft.get_absolute_url())
    assert "Preview: not public" not in public_page.content.decode()
    assert "no-store" not in public_page.get("Cache-Control", "")
    assert 'content="noindex"' not in public_page.content.decode()
