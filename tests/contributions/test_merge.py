"""Issue 11, finding 5: merging two listings through the compare page loses nothing
silently: one place is not pinned twice, a published listing stays on the site, the
newer values (approved edits) win unless the organizer chooses, and a private contact
is copied only when chosen."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from directory.models import Organization, PossibleDuplicate
from tests.support.factories import LocationFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

TAKOMA = (38.9786, -77.0075)


def at(organization, point, **fields):
    return LocationFactory(
        organization=organization,
        state="MD",
        city="Takoma Park",
        zip_code="20912",
        jurisdiction=None,
        latitude=point[0],
        longitude=point[1],
        **fields,
    )


def north(point, km):
    return (point[0] + km / 111.0, point[1])


def pair_of(first, second):
    pair = PossibleDuplicate.objects.create(organization=first, similar_to=second, reasons=["name"])
    return reverse("admin:directory_possibleduplicate_change", args=[pair.pk])


def aged(organization, days):
    Organization.objects.filter(pk=organization.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=days)
    )
    organization.refresh_from_db()


def test_one_place_is_not_pinned_twice(organizer_client):
    survivor = OrganizationFactory(name="Takoma Bread Cooperative", slug="takoma-bread")
    at(survivor, TAKOMA)
    duplicate = OrganizationFactory(name="Takoma Bread Co-op")
    at(duplicate, north(TAKOMA, 0.02))
    at(duplicate, north(TAKOMA, 0.26), is_primary=False, label="Market stall")
    url = pair_of(survivor, duplicate)
    response = organizer_client.post(url, {"keep": survivor.pk, "merge": "Merge"}, follow=True)
    assert "1 location(s) within 50 m of one already here were not added again" in (
        response.content.decode()
    )
    assert sorted(survivor.locations.values_list("label", flat=True)) == ["", "Market stall"]


def test_a_draft_survivor_never_takes_a_published_listing_off_the_site(organizer_client, client):
    draft = OrganizationFactory(name="Takoma Bread Co-op", slug="takoma-draft", status="draft")
    at(draft, TAKOMA)
    published = OrganizationFactory(name="Takoma Bread Cooperative", slug="takoma-bread")
    at(published, north(TAKOMA, 0.3))
    url = pair_of(draft, published)
    response = organizer_client.post(url, {"keep": draft.pk, "merge": "Merge"}, follow=True)
    assert "“Takoma Bread Cooperative” was published, so “Takoma Bread Co-op” is published now" in (
        response.content.decode()
    )
    draft.refresh_from_db()
    assert draft.status == "published"
    old = client.get("/organizations/takoma-bread/")
    assert old.status_code == 301
    assert client.get(old["Location"]).status_code == 200


def test_the_newer_value_wins_by_default_and_the_organizer_can_choose(organizer_client):
    survivor = OrganizationFactory(name="Takoma Bread Cooperative", phone="(301) 555-0100")
    duplicate = OrganizationFactory(name="Takoma Bread Co-op", phone="(301) 555-0199")
    aged(survivor, 30)  # the duplicate had an approved edit since
    url = pair_of(survivor, duplicate)
    page = organizer_client.get(url).content.decode()
    assert "Where they differ, keep which value?" in page
    assert f'name="choice_phone" value="{duplicate.pk}" checked' in page
    organizer_client.post(url, {"keep": survivor.pk, "merge": "Merge"})
    survivor.refresh_from_db()
    assert survivor.phone == "(301) 555-0199", "the newer, approved value is kept"

    other = OrganizationFactory(name="Takoma Bread Coop", phone="(301) 555-0000")
    url = pair_of(survivor, other)
    organizer_client.post(
        url, {"keep": survivor.pk, "merge": "Merge", "choice_phone": str(survivor.pk)}
    )
    survivor.refresh_from_db()
    assert survivor.phone == "(301) 555-0199", "the organizer chose the kept listing's value"


def test_a_private_contact_is_shown_and_copied_only_when_chosen(organizer_client):
    survivor = OrganizationFactory(name="Takoma Bread Cooperative")
    duplicate = OrganizationFactory(
        name="Takoma Bread Co-op",
        internal_contact_name="A Visitor",
        internal_contact_email="visitor@example.org",
    )
    url = pair_of(survivor, duplicate)
    page = organizer_client.get(url).content.decode()
    assert "Internal contact (private)" in page and "visitor@example.org" in page
    assert f'name="choice_internal_contact_email" value="{duplicate.pk}" checked' not in page
    organizer_client.post(url, {"keep": survivor.pk, "merge": "Merge"})
    survivor.refresh_from_db()
    assert survivor.internal_contact_email == "", "never copied silently"

    second = OrganizationFactory(
        name="Takoma Bread Coop", internal_contact_email="owner@example.org"
    )
    url = pair_of(survivor, second)
    organizer_client.post(
        url,
        {"keep": survivor.pk, "merge": "Merge", "choice_internal_contact_email": str(second.pk)},
    )
    survivor.refresh_from_db()
    assert survivor.internal_contact_email == "owner@example.org"
