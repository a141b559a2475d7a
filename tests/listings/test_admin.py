"""A volunteer organizer (not a superuser) curates through the admin."""

import datetime
import re

import pytest
import reversion
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from directory.models import (
    Jurisdiction,
    Language,
    Location,
    Organization,
    PossibleDuplicate,
    Sector,
    SlugRedirect,
)
from tests.support.admin_forms import ADD_URL, new_organization_data
from tests.support.factories import (
    LocationFactory,
    OrganizationFactory,
    UserFactory,
    VerificationRequestFactory,
)
from tests.support.html_forms import form_data

pytestmark = pytest.mark.django_db

CHANGELIST_URL = reverse("admin:directory_organization_changelist")


def change_url(organization):
    return reverse("admin:directory_organization_change", args=[organization.pk])


def errors_of(response) -> str:
    assert response.status_code == 200, "the form should be shown again with errors"
    text = response.content.decode()
    assert "errornote" in text or "errorlist" in text
    return text


def test_the_organizer_group_can_curate_but_not_manage_users(organizer_client):
    assert organizer_client.get(CHANGELIST_URL).status_code == 200
    assert organizer_client.get(ADD_URL).status_code == 200
    assert organizer_client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert organizer_client.get(reverse("admin:directory_organizationtype_add")).status_code == 403


def test_organizer_lifecycle_add_publish_edit_revert_delete_recover(organizer_client):
    public = Client()  # the organizer would see a preview of the draft
    # Add, with a location placed from its ZIP code.
    response = organizer_client.post(ADD_URL, new_organization_data())
    assert response.status_code == 302, response.content.decode()[:3000]
    organization = Organization.objects.get(slug="riverdale-bakers")
    location = organization.locations.get()
    assert (location.city, location.jurisdiction.fips) == ("Riverdale", "24033")
    assert location.point_source == "zip"
    assert location.latitude is not None
    assert organization.states == "MD"  # what the state filter reads
    assert public.get(organization.get_absolute_url()).status_code == 404  # still a draft

    # Publish with the bulk action.
    response = organizer_client.post(
        CHANGELIST_URL, {"action": "publish", "_selected_action": [organization.pk]}, follow=True
    )
    assert "1 organization(s) published" in response.content.decode()
    organization.refresh_from_db()
    assert organization.status == "published"
    assert organization.published_at is not None
    assert public.get(organization.get_absolute_url()).status_code == 200

    # Edit the summary through the change form.
    data = form_data(organizer_client.get(change_url(organization)), "organization_form")
    data["summary"] = "Vandalised summary."
    response = organizer_client.post(change_url(organization), data)
    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.summary == "Vandalised summary."

    # Revert the edit from the history.
    versions = Version.objects.get_for_object(organization)
    before_edit = versions[1]  # newest first: [edit, publish, add]
    revision_url = reverse(
        "admin:directory_organization_revision", args=[organization.pk, before_edit.pk]
    )
    data = form_data(organizer_client.get(revision_url), "organization_form")
    assert data["summary"] == "A worker-owned bakery."
    response = organizer_client.post(revision_url, data)
    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.summary == "A worker-owned bakery."

    # Delete, then recover it with its location.
    delete_url = reverse("admin:directory_organization_delete", args=[organization.pk])
    response = organizer_client.post(delete_url, {"post": "yes"})
    assert response.status_code == 302
    assert not Organization.objects.filter(slug="riverdale-bakers").exists()
    recover_list = organizer_client.get(reverse("admin:directory_organization_recoverlist"))
    assert "Riverdale Bakers Cooperative" in recover_list.content.decode()
    deleted = Version.objects.get_deleted(Organization).get(object_id=str(organization.pk))
    recover_url = reverse("admin:directory_organization_recover", args=[deleted.pk])
    data = form_data(organizer_client.get(recover_url), "organization_form")
    response = organizer_client.post(recover_url, data)
    assert response.status_code == 302
    recovered = Organization.objects.get(slug="riverdale-bakers")
    assert recovered.locations.get().city == "Riverdale"
    assert recovered.states == "MD"


def test_a_typed_point_is_kept_and_marked_as_a_pin(organizer_client):
    data = new_organization_data(
        **{"locations-0-latitude": "38.9601", "locations-0-longitude": "-76.9400"}
    )
    assert organizer_client.post(ADD_URL, data).status_code == 302
    location = Location.objects.get(organization__slug="riverdale-bakers")
    assert (location.latitude, location.longitude) == (38.9601, -76.94)
    assert location.point_source == "pin"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"locations-0-state": "NY"}, "Select a valid choice"),
        ({"locations-0-zip_code": "2073"}, "is not a ZIP code"),
        ({"locations-0-zip_code": "10001"}, "is in NY"),
        (
            {"locations-0-latitude": "-76.94", "locations-0-longitude": "38.96"},
            "look swapped",
        ),
        (
            {"locations-0-latitude": "40.7", "locations-0-longitude": "-74.0"},
            "outside DC, Maryland and Virginia",
        ),
        ({"website": "example.org"}, "starting with http:// or https://"),
        ({"type": "99999"}, "Select a valid choice"),
        ({"phone": "call us!"}, "Enter a phone number"),
    ],
    ids=["state", "zip-malformed", "zip-outside", "swapped", "outside", "url", "type", "phone"],
)
def test_bad_input_is_refused_with_a_message_and_nothing_saved(
    organizer_client, overrides, message
):
    response = organizer_client.post(ADD_URL, new_organization_data(**overrides))
    assert message in errors_of(response)
    assert not Organization.objects.filter(slug="riverdale-bakers").exists()


def test_a_duplicate_slug_is_refused(organizer_client):
    OrganizationFactory(slug="riverdale-bakers")
    response = organizer_client.post(ADD_URL, new_organization_data())
    assert "Organization with this Slug already exists" in errors_of(response)


def test_two_primary_locations_are_refused(organizer_client):
    data = new_organization_data(
        **{
            "locations-TOTAL_FORMS": "2",
            "locations-1-label": "Shop",
            "locations-1-is_primary": "on",
            "locations-1-state": "MD",
            "locations-1-zip_code": "20737",
            "locations-1-precision": "exact",
        }
    )
    response = organizer_client.post(ADD_URL, data)
    assert "Only one location can be the primary location" in errors_of(response)
    assert not Organization.objects.filter(slug="riverdale-bakers").exists()


def test_the_primary_location_can_move_to_another_location(organizer_client):
    organization = OrganizationFactory()
    first = LocationFactory(organization=organization, is_primary=True)
    second = LocationFactory(organization=organization, is_primary=False, label="Branch")
    data = form_data(organizer_client.get(change_url(organization)), "organization_form")
    index = {data[f"locations-{i}-id"]: i for i in range(2)}
    data.pop(f"locations-{index[str(first.pk)]}-is_primary")
    data[f"locations-{index[str(second.pk)]}-is_primary"] = "on"
    response = organizer_client.post(change_url(organization), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.is_primary and not first.is_primary


def test_the_first_location_becomes_primary_when_none_is_chosen(organizer_client):
    data = new_organization_data()
    data.pop("locations-0-is_primary")
    assert organizer_client.post(ADD_URL, data).status_code == 302
    assert Location.objects.get(organization__slug="riverdale-bakers").is_primary


def test_bulk_actions_archive_pend_and_verify(organizer_client):
    organizations = OrganizationFactory.create_batch(3, status="published", last_verified=None)
    selected = [organization.pk for organization in organizations]
    organizer_client.post(CHANGELIST_URL, {"action": "mark_verified", "_selected_action": selected})
    assert set(Organization.objects.values_list("last_verified", flat=True)) == {
        datetime.date.today()
    }
    organizer_client.post(
        CHANGELIST_URL, {"action": "move_to_pending", "_selected_action": selected}
    )
    assert set(Organization.objects.values_list("status", flat=True)) == {"pending"}
    organizer_client.post(CHANGELIST_URL, {"action": "archive", "_selected_action": selected})
    assert set(Organization.objects.values_list("status", flat=True)) == {"archived"}
    # Every bulk change is in the history.
    assert Version.objects.get_for_object(organizations[0]).count() == 3


def test_geocode_action_fills_from_zip_and_keeps_pins(organizer_client):
    unplaced = LocationFactory(
        latitude=None, longitude=None, city="", jurisdiction=None, zip_code="20010", point_source=""
    )
    pinned = LocationFactory(zip_code="20010", latitude=38.93, longitude=-77.03, point_source="pin")
    selected = [unplaced.organization.pk, pinned.organization.pk]
    response = organizer_client.post(
        CHANGELIST_URL, {"action": "geocode_from_zip", "_selected_action": selected}, follow=True
    )
    assert "1 location(s) placed from their ZIP code; 1 pinned point(s) kept" in (
        response.content.decode()
    )
    unplaced.refresh_from_db()
    pinned.refresh_from_db()
    assert unplaced.city == "Washington" and unplaced.jurisdiction.fips == "11001"
    assert unplaced.point_source == "zip"
    assert (pinned.latitude, pinned.longitude) == (38.93, -77.03)


@pytest.mark.parametrize(
    ("query", "filters", "expected"),
    [
        ("", {"status__exact": "draft"}, {"Draft Co-op"}),
        ("", {"state": "VA"}, {"Richmond Co-op"}),
        # As the dashboard counts them: published listings only (issue 11).
        ("", {"verification": "stale"}, {"Stale Co-op"}),
        ("", {"accepting_members__exact": "no"}, {"Richmond Co-op"}),
        ("Richmond", {}, {"Richmond Co-op"}),
        ("23220", {}, {"Richmond Co-op"}),
        ("bakery", {}, {"Draft Co-op"}),
    ],
)
def test_changelist_filters_and_search(organizer_client, query, filters, expected):
    draft = OrganizationFactory(
        name="Draft Co-op", status="draft", last_verified=None, description="A bakery."
    )
    LocationFactory(organization=draft)
    OrganizationFactory(name="Stale Co-op", last_verified=datetime.date(2020, 1, 1))
    richmond = OrganizationFactory(name="Richmond Co-op", accepting_members="no")
    LocationFactory(
        organization=richmond,
        city="Richmond",
        state="VA",
        zip_code="23220",
        jurisdiction=None,
        latitude=37.55,
        longitude=-77.46,
    )
    response = organizer_client.get(CHANGELIST_URL, {"q": query, **filters})
    shown = {organization.name for organization in response.context["cl"].result_list}
    assert shown == expected


def test_changelist_queries_do_not_grow_with_rows(organizer_client, django_assert_max_num_queries):
    for _ in range(30):
        LocationFactory()
    with django_assert_max_num_queries(25):
        response = organizer_client.get(CHANGELIST_URL)
    assert len(response.context["cl"].result_list) == 30


def test_the_change_form_has_a_map_for_each_location(organizer_client):
    location = LocationFactory()
    response = organizer_client.get(change_url(location.organization))
    text = response.content.decode()
    assert 'id="location-map-config"' in text
    assert "leaflet/leaflet.js" in text
    assert "directory/admin/location-map.js" in text


def test_a_superuser_sees_the_same_admin(client):
    admin_user = UserFactory(is_superuser=True)
    client.force_login(admin_user)
    assert client.get(ADD_URL).status_code == 200


def test_an_unreachable_street_geocoder_still_saves_and_says_the_point_is_approximate(
    organizer_client, settings
):
    settings.GEOCODER = "nominatim"
    settings.GEOCODER_DOMAIN = "127.0.0.1:9"  # nothing listens there
    settings.GEOCODER_TIMEOUT = 1
    response = organizer_client.post(ADD_URL, new_organization_data(), follow=True)
    assert "only approximate" in response.content.decode()
    location = Location.objects.get(organization__slug="riverdale-bakers")
    assert location.point_source == "zip"


def test_a_new_zip_code_brings_its_city_county_and_point(organizer_client):
    """Issue 11, finding 6: 20737 -> 21201 used to keep Riverdale and its point."""
    location = LocationFactory(
        city="Riverdale",
        state="MD",
        zip_code="20737",
        jurisdiction=Jurisdiction.objects.get(fips="24033"),
        latitude=38.96,
        longitude=-76.92,
        point_source="zip",
    )
    url = change_url(location.organization)
    form = form_data(organizer_client.get(url), "organization_form")
    form["locations-0-zip_code"] = "21201"
    assert organizer_client.post(url, form).status_code == 302
    location.refresh_from_db()
    assert (location.city, location.jurisdiction.fips) == ("Baltimore", "24510")
    assert location.latitude > 39.2 and location.point_source == "zip"


def test_a_new_zip_code_keeps_an_organizers_pin(organizer_client):
    location = LocationFactory(
        city="Riverdale",
        state="MD",
        zip_code="20737",
        jurisdiction=Jurisdiction.objects.get(fips="24033"),
        latitude=38.96,
        longitude=-76.92,
        point_source="pin",
    )
    url = change_url(location.organization)
    form = form_data(organizer_client.get(url), "organization_form")
    form["locations-0-zip_code"] = "20740"
    assert organizer_client.post(url, form).status_code == 302
    location.refresh_from_db()
    assert (location.latitude, location.longitude, location.point_source) == (38.96, -76.92, "pin")
    assert location.city == "College Park"


def test_fill_from_zip_codes_mends_a_city_and_county_that_contradict_the_zip(
    organizer_client,
):
    location = LocationFactory(
        city="Riverdale",
        state="MD",
        zip_code="21201",
        jurisdiction=Jurisdiction.objects.get(fips="24033"),
        latitude=38.96,
        longitude=-76.92,
        point_source="zip",
    )
    organizer_client.post(
        CHANGELIST_URL,
        {"action": "geocode_from_zip", "_selected_action": [location.organization.pk]},
    )
    location.refresh_from_db()
    assert (location.city, location.jurisdiction.fips) == ("Baltimore", "24510")
    assert location.latitude > 39.2


def test_organizers_delete_listings_with_pairs_redirects_and_verification_emails(
    organizer_client, client
):
    """Issue 11, finding 7: each of these used to make deleting fail."""
    survivor = OrganizationFactory(name="Survivor Co-op", slug="survivor")
    LocationFactory(organization=survivor)
    with reversion.create_revision():
        survivor.save()
    other = OrganizationFactory(name="Other Co-op")
    PossibleDuplicate.objects.create(
        organization=survivor, similar_to=other, reasons=["phone"], status="dismissed"
    )
    SlugRedirect.objects.create(old_slug="merged-away", organization=survivor)
    VerificationRequestFactory(organization=survivor)
    assert client.get("/organizations/merged-away/").status_code == 301

    delete_url = reverse("admin:directory_organization_delete", args=[survivor.pk])
    page = organizer_client.get(delete_url).content.decode()
    assert "Cannot delete" not in page
    response = organizer_client.post(delete_url, {"post": "yes"})
    assert response.status_code == 302
    assert not Organization.objects.filter(pk=survivor.pk).exists()
    assert not PossibleDuplicate.objects.exists()
    assert client.get("/organizations/merged-away/").status_code == 404

    deleted = Version.objects.get_deleted(Organization).get(object_id=str(survivor.pk))
    recover_url = reverse("admin:directory_organization_recover", args=[deleted.pk])
    data = form_data(organizer_client.get(recover_url), "organization_form")
    assert organizer_client.post(recover_url, data).status_code == 302
    assert client.get("/organizations/merged-away/").status_code == 301, "the redirect came back"


def test_the_queue_is_titled_as_organizers_call_it(organizer_client):
    text = organizer_client.get(reverse("admin:directory_changerequest_changelist")).content
    text = text.decode()
    assert "<h1>Suggestions to review</h1>" in text
    assert "<title>Suggestions to review |" in text
    assert "Select suggestion to change" not in text


def test_not_verified_lists_what_the_dashboard_counts(organizer_client):
    long_ago = datetime.date(2020, 1, 1)
    for status in ("published", "published", "draft", "pending", "archived"):
        OrganizationFactory(status=status, last_verified=long_ago)
    OrganizationFactory(status="published", last_verified=None)  # never verified
    OrganizationFactory(status="published")  # verified today

    index = organizer_client.get(reverse("admin:index")).content.decode()
    dashboard = index[index.index('id="moderation-dashboard"') :]
    counted = int(
        re.search(r"Published listings not verified recently</a></th><td>(\d+)<", dashboard)[1]
    )
    link = re.search(r'<a href="([^"]+)">Published listings not verified recently', dashboard)[1]
    listed = organizer_client.get(link.replace("&amp;", "&")).context["cl"]
    filtered = organizer_client.get(CHANGELIST_URL, {"verification": "stale"}).context["cl"]
    assert counted == listed.result_count == filtered.result_count == 3
    assert {organization.status for organization in filtered.result_list} == {"published"}


def test_organizers_add_languages_and_sectors_and_remove_a_wrong_redirect(organizer):
    assert not organizer.is_superuser
    assert organizer.groups.filter(name="Organizers").exists()
    client = Client()
    client.force_login(organizer)
    for url, values in (
        (reverse("admin:directory_language_add"), {"name": "Mam", "code": "mam"}),
        (reverse("admin:directory_sector_add"), {"name": "Childcare", "slug": "childcare"}),
    ):
        data = {**form_data(client.get(url), None), **values}
        response = client.post(url, data)
        assert response.status_code == 302, re.findall(
            r"errorlist[^>]*>(.*?)</ul>", errors_of(response)
        )
    assert Language.objects.filter(code="mam").exists()
    assert Sector.objects.filter(slug="childcare").exists()

    redirect = SlugRedirect.objects.create(
        old_slug="wrong-merge", organization=OrganizationFactory()
    )
    delete_url = reverse("admin:directory_slugredirect_delete", args=[redirect.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 302
    assert not SlugRedirect.objects.exists()
    assert Client().get("/organizations/wrong-merge/").status_code == 404


def test_a_zip_code_without_a_state_is_enough_for_a_location(organizer_client):
    data = new_organization_data()
    data["locations-0-state"] = ""
    response = organizer_client.post(ADD_URL, data)
    assert response.status_code == 302, errors_of(response)
    location = Organization.objects.get(slug="riverdale-bakers").locations.get()
    assert (location.state, location.city) == ("MD", "Riverdale")
