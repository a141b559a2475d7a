"""Likely duplicates: detection, flags on every way a listing arrives, the public
warning, and merging in the admin (directory/duplicates.py, contributions.merge)."""

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from reversion.models import Version

from directory.contributions import abuse, duplicates, matching, merge
from directory.models import (
    ChangeRequest,
    DuplicateScan,
    Organization,
    PossibleDuplicate,
    SlugRedirect,
)
from tests.support.admin_forms import ADD_URL, new_organization_data
from tests.support.factories import ChangeRequestFactory, LocationFactory, OrganizationFactory
from tests.support.html_forms import form_data
from tests.support.imports import GOOD_ROW, confirm, csv_upload, preview

pytestmark = pytest.mark.django_db

TAKOMA = (38.9786, -77.0075)


@pytest.mark.parametrize(
    ("name", "normalized"),
    [
        ("The Takoma Bread Co-op, Inc.", "takoma bread coop"),
        ("Takoma Bread Cooperative", "takoma bread coop"),
        ("TAKOMA BREAD COOP LLC", "takoma bread coop"),
        ("Takoma Bread Co op", "takoma bread coop"),
        ("Takoma Bread Co-operative", "takoma bread coop"),
        ("Café Solidaridad Cooperativa", "cafe solidaridad coop"),
        ("Bread & Roses", "bread and roses"),
        ("Coopers' Union", "coopers union"),
        # Look-alike letters and invisible characters (before: two different names).
        ("\u0422akoma Bread Co-op", "takoma bread coop"),  # Cyrillic capital Te
        ("Tak\u043ema Bread Co-op", "takoma bread coop"),  # Cyrillic small o
        ("Ta\u200bkoma Bre\u200dad Co-op", "takoma bread coop"),  # zero-width space, joiner
        ("\uff34\uff41\uff4b\uff4f\uff4d\uff41 Bread Co-op", "takoma bread coop"),  # fullwidth
        ("\U0001d413akoma Bread Co-op", "takoma bread coop"),  # mathematical bold T
        ("Tak0ma Bread Co-op", "takoma bread coop"),  # digit zero
    ],
)
def test_names_are_normalized(name, normalized):
    # Keys are skeletons (UTS #39): not for reading, only for comparing.
    assert matching.normalize_name(name) == matching.normalize_name(normalized)


def test_different_names_keep_different_keys():
    assert matching.normalize_name("Takoma Bread") != matching.normalize_name("Takoma Bead")
    assert (
        matching.normalize_name("\u83ef\u4eba\u4e92\u52a9\u6703")
        == "\u83ef\u4eba\u4e92\u52a9\u6703"
    )


def test_the_words_a_name_is_searched_by_are_read_as_typed():
    assert matching.name_words("The \u0422akoma Bread Co-op, Inc.") == ["takoma", "bread", "coop"]
    assert matching.name_words("Community Market") == ["community", "market"]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("http://www.example.org/bakery/", "https://example.org/bakery"),
        ("HTTPS://Example.org/bakery?utm=1", "https://example.org/bakery#top"),
    ],
)
def test_websites_are_compared_by_host_and_path(a, b):
    assert matching.website_key(a) == matching.website_key(b)


def test_phone_numbers_are_compared_by_their_ten_digits():
    assert matching.phone_key("(202) 555-0143") == matching.phone_key("+1 202.555.0143 ext 4")
    assert matching.phone_key("555-0143") == ""  # too short to compare safely


def identity(name, *, point=TAKOMA, website="", phone="", pk=None):
    return matching.Identity(pk, name, website, phone, (point,) if point else ())


def offset(point, km_north):
    return (point[0] + km_north / 111.2, point[1])


@pytest.mark.parametrize(
    ("a", "b", "reason"),
    [
        (
            identity("Takoma Bread Co-op, Inc."),
            identity("The Takoma Bread Cooperative", point=offset(TAKOMA, 0.3)),
            "similar_name_nearby",
        ),
        (
            identity("Takoma Bread Cooperative"),
            identity("Takoma Bread Cooperative Bakery", point=offset(TAKOMA, 0.1)),
            "similar_name_nearby",
        ),
        (
            identity("Takoma Bread"),
            identity("Bread Workers", point=offset(TAKOMA, 30), website="https://example.org/b/"),
            None,
        ),
        (
            identity("Takoma Bread", website="http://www.example.org/b"),
            identity("Bread Workers", point=offset(TAKOMA, 30), website="https://example.org/b/"),
            "same_website",
        ),
        (
            identity("Takoma Bread", phone="(301) 555-0100"),
            identity("Bread Workers", point=None, phone="301.555.0100"),
            "same_phone",
        ),
        (identity("Shaw Mutual Aid", point=None), identity("Shaw Mutual Aid"), "same_name"),
    ],
)
def test_duplicates_are_found_by_name_and_place_website_or_phone(a, b, reason):
    match = matching.compare(a, b)
    assert (match.reasons[0] if match else None) == reason


@pytest.mark.parametrize(
    "neighbour",
    [
        identity("Takoma Park Credit Union", point=offset(TAKOMA, 0.05)),
        identity("Takoma Housing Cooperative", point=offset(TAKOMA, 0.2)),
        identity("Takoma Bread Cooperative", point=offset(TAKOMA, 1.0)),  # same name, 1 km away
    ],
)
def test_distinct_neighbours_are_not_flagged(neighbour):
    assert matching.compare(identity("Takoma Bread Cooperative"), neighbour) is None


def listing(name, point=TAKOMA, **fields):
    organization = OrganizationFactory(name=name, **fields)
    if point:
        LocationFactory(
            organization=organization,
            state="MD",
            city="Takoma Park",
            zip_code="20912",
            jurisdiction=None,
            latitude=point[0],
            longitude=point[1],
        )
    return organization


def pairs():
    return {
        frozenset((pair.organization.name, pair.similar_to.name))
        for pair in PossibleDuplicate.objects.select_related("organization", "similar_to")
    }


def test_flagging_finds_the_normalized_name_nearby_and_not_the_neighbours():
    first = listing("Takoma Bread Co-op, Inc.")
    listing("The Takoma Bread Cooperative", point=offset(TAKOMA, 0.25))
    listing("Takoma Park Credit Union", point=offset(TAKOMA, 0.05))
    listing("Silver Spring Bread Cooperative", point=offset(TAKOMA, 5))
    assert duplicates.flag_duplicates([first.pk]) == 1
    assert pairs() == {frozenset({"Takoma Bread Co-op, Inc.", "The Takoma Bread Cooperative"})}
    pair = PossibleDuplicate.objects.get()
    assert pair.reasons == ["similar_name_nearby"]
    assert 0.2 < pair.distance_km < 0.3


def test_the_bulk_index_finds_the_same_pairs_as_the_queries(monkeypatch):
    created = [
        listing("Takoma Bread Co-op"),
        listing("Takoma Bread Cooperative", point=offset(TAKOMA, 0.2)),
        listing("Bread Workers", point=offset(TAKOMA, 40), website="https://example.org/x"),
        listing("Bakers United", point=None, website="http://www.example.org/x/"),
        listing("Phone Twin", point=offset(TAKOMA, 60), phone="(301) 555-0111"),
        listing("Other Phone Twin", point=None, phone="301 555 0111"),
        listing("Shaw Mutual Aid", point=None),
        listing("Shaw Mutual Aid", point=offset(TAKOMA, 20)),
        listing("Unrelated Co-op", point=offset(TAKOMA, 80)),
    ]
    ids = [organization.pk for organization in created]
    duplicates.flag_duplicates(ids, force=True)
    by_queries = pairs()
    PossibleDuplicate.objects.all().delete()
    monkeypatch.setattr(duplicates, "BULK_THRESHOLD", 0)
    duplicates.flag_duplicates(ids, force=True)
    assert pairs() == by_queries
    assert len(by_queries) == 4


def test_a_suggestion_is_flagged_and_the_person_is_asked_is_it_one_of_these(client):
    existing = listing("Takoma Bread Cooperative", website="https://example.org/takoma-bread")
    hidden = listing("Takoma Bread Co-op (pending)", status="pending", point=offset(TAKOMA, 0.1))
    data = {
        "name": "Takoma Bread Co-op",
        "type": "worker-cooperative",
        "summary": "Bread.",
        "website": "https://www.example.org/takoma-bread/",
        "zip_code": "20912",
        "precision": "exact",
        "submitter_email": "pat@example.net",
        "started": abuse.started_token(time.time() - 60),
    }
    response = client.post(reverse("directory:suggest"), data)
    text = response.content.decode()
    assert response.status_code == 200
    assert "Is it one of these?" in text
    assert f'href="{existing.get_absolute_url()}"' in text
    assert hidden.name not in text and hidden.slug not in text  # pending stays private
    assert not ChangeRequest.objects.exists()

    # Sent again from that page (whose form carries a new one-time token).
    resend = {**form_data(response, "suggest-form"), "not_a_duplicate": "on"}
    response = client.post(reverse("directory:suggest"), resend)
    assert response.status_code == 302
    suggested = Organization.objects.get(name="Takoma Bread Co-op")
    flagged = PossibleDuplicate.objects.involving(suggested)
    assert {pair.other(suggested) for pair in flagged} == {existing}


def test_an_import_flags_duplicates(organizer_client):
    OrganizationFactory(name="Hyattsville Printers Co-op", website="https://example.org/printers/")
    response = confirm(organizer_client, preview(organizer_client, csv_upload([GOOD_ROW])))
    assert response.status_code == 302
    assert pairs() == {
        frozenset({"Hyattsville Printers Co-op", "Hyattsville Printers Cooperative"})
    }


def test_an_admin_save_flags_duplicates_and_the_change_form_shows_them(organizer_client):
    existing = OrganizationFactory(name="Riverdale Bakers Co-op", phone="301.555.0100")
    response = organizer_client.post(ADD_URL, new_organization_data())
    assert response.status_code == 302
    added = Organization.objects.get(slug="riverdale-bakers")
    assert pairs() == {frozenset({"Riverdale Bakers Co-op", "Riverdale Bakers Cooperative"})}
    page = organizer_client.get(
        reverse("admin:directory_organization_change", args=[added.pk])
    ).content.decode()
    panel = page[page.index('id="moderation-panel"') :]
    assert existing.name in panel and "Compare and merge" in panel


def test_saving_without_changing_identity_does_not_check_again(organizer_client):
    organizations = [
        listing(f"Unique Listing {number}", point=offset(TAKOMA, number)) for number in range(40)
    ]
    selected = [organization.pk for organization in organizations]
    duplicates.flag_duplicates(selected)
    scanned = dict(DuplicateScan.objects.values_list("organization_id", "scanned_at"))
    changelist = reverse("admin:directory_organization_changelist")
    with CaptureQueriesContext(connection) as queries:
        organizer_client.post(changelist, {"action": "mark_verified", "_selected_action": selected})
    checks = [query["sql"] for query in queries if "duplicate" in query["sql"].lower()]
    assert len(checks) == 1  # one look at the stored fingerprints, no candidate search
    assert dict(DuplicateScan.objects.values_list("organization_id", "scanned_at")) == scanned


def test_merging_moves_locations_and_history_and_redirects_the_old_slug(
    organizer_client, organizer, client
):
    survivor = listing("Takoma Bread Cooperative", slug="takoma-bread", languages=["en"])
    duplicate = listing(
        "Takoma Bread Co-op",
        slug="takoma-bread-coop",
        point=offset(TAKOMA, 0.2),
        languages=["es"],
        phone="(301) 555-0100",
    )
    LocationFactory(organization=duplicate, is_primary=False, label="Market stall")
    waiting = ChangeRequestFactory(organization=duplicate, proposed={"summary": "x"})
    duplicates.flag_duplicates([duplicate.pk])
    pair = PossibleDuplicate.objects.get()
    compare = reverse("admin:directory_possibleduplicate_change", args=[pair.pk])
    page = organizer_client.get(compare)
    assert page.context["suggested_keep"] == survivor
    assert "Takoma Bread Co-op" in page.content.decode()

    response = organizer_client.post(compare, {"keep": str(survivor.pk), "merge": "Merge"})
    assert response.status_code == 302
    assert not Organization.objects.filter(pk=duplicate.pk).exists()
    survivor.refresh_from_db()
    assert survivor.locations.count() == 3
    assert survivor.locations.filter(is_primary=True).count() == 1
    assert sorted(survivor.languages.values_list("code", flat=True)) == ["en", "es"]
    assert survivor.phone == "(301) 555-0100"  # filled from the duplicate
    waiting.refresh_from_db()
    assert waiting.organization == survivor
    assert not PossibleDuplicate.objects.exists()

    old = client.get("/organizations/takoma-bread-coop/")
    assert old.status_code == 301 and old["Location"] == "/organizations/takoma-bread/"
    redirect = SlugRedirect.objects.get(old_slug="takoma-bread-coop")
    assert (redirect.organization, redirect.created_by) == (survivor, organizer)

    revision = Version.objects.get_for_object(survivor).first().revision
    assert "Merged “Takoma Bread Co-op” (/organizations/takoma-bread-coop/)" in revision.comment
    assert revision.user == organizer
    deleted = Version.objects.get_deleted(Organization)
    assert deleted.filter(object_id=str(duplicate.pk)).exists()  # recoverable


def test_a_merge_chain_keeps_old_addresses_working(organizer):

    first = listing("Alpha Co-op", slug="alpha")
    second = listing("Alpha Cooperative", slug="alpha-2")
    third = listing("Alpha Cooperative Inc", slug="alpha-3")
    merge.merge(duplicate=first, survivor=second, user=organizer)
    merge.merge(duplicate=second, survivor=third, user=organizer)
    assert set(SlugRedirect.objects.values_list("old_slug", "organization__slug")) == {
        ("alpha", "alpha-3"),
        ("alpha-2", "alpha-3"),
    }


def test_a_pending_suggestion_merged_into_a_listing_closes_its_request(organizer):

    survivor = listing("Takoma Bread Cooperative")
    pending = listing("Takoma Bread Co-op", status="pending")
    request = ChangeRequestFactory(organization=pending, kind="new", reason="")
    merge.merge(duplicate=pending, survivor=survivor, user=organizer)
    request.refresh_from_db()
    assert (request.status, request.organization) == ("merged", survivor)


def test_dismissed_pairs_are_never_flagged_again(organizer_client):
    first = listing("Takoma Bread Cooperative")
    listing("Takoma Bread Co-op", point=offset(TAKOMA, 0.1))
    duplicates.flag_duplicates([first.pk])
    pair = PossibleDuplicate.objects.get()
    compare = reverse("admin:directory_possibleduplicate_change", args=[pair.pk])
    assert organizer_client.post(compare, {"dismiss": "1"}).status_code == 302
    duplicates.flag_duplicates([first.pk], force=True)
    pair.refresh_from_db()
    assert pair.status == "dismissed"
    assert PossibleDuplicate.objects.open().count() == 0


def test_merging_needs_a_choice_and_delete_rights(client, organizer_client):
    from tests.support.factories import UserFactory

    listing("Takoma Bread Cooperative")
    second = listing("Takoma Bread Co-op", point=offset(TAKOMA, 0.1))
    duplicates.flag_duplicates([second.pk])
    pair = PossibleDuplicate.objects.get()
    compare = reverse("admin:directory_possibleduplicate_change", args=[pair.pk])
    response = organizer_client.post(compare, {"merge": "Merge"})
    assert "Choose which listing to keep" in response.content.decode()
    client.force_login(UserFactory())
    assert client.post(compare, {"keep": str(second.pk), "merge": "1"}).status_code == 403
    assert Organization.objects.count() == 2


def test_the_candidate_search_loads_only_real_candidates(monkeypatch):
    # Many listings share a host (example.org, facebook.com): matching on the host
    # alone used to load every one of them for each check.
    for number in range(30):
        listing(
            f"Neighbour {number}",
            point=offset(TAKOMA, 50 + number),
            website=f"https://example.org/n{number}",
        )
    twin = listing("Bakers", point=None, website="https://example.org/bakery/")
    loaded = []
    real_identities = duplicates.identities
    monkeypatch.setattr(
        duplicates, "identities", lambda found: loaded.extend(found) or real_identities(found)
    )
    matches = duplicates.find_matches(
        identity("Takoma Bread", point=None, website="http://www.example.org/bakery")
    )
    assert [match.organization_id for match in matches] == [twin.pk]
    assert len(loaded) <= 2
