"""Imports at size: a confirmation's queries grow with the rows it writes, never with
the listings already there, and a large file is flagged and recorded exactly as a
listing-by-listing check would."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from reversion.models import Revision, Version

from directory.contributions import duplicates
from directory.models import DuplicateScan, Location, Organization, PossibleDuplicate
from tests.support import real_world
from tests.support.factories import OrganizationFactory
from tests.support.imports import confirm, csv_upload, preview

pytestmark = pytest.mark.django_db


def spreadsheet(numbers) -> list[dict]:
    """Rows shaped like real lists, with a slug each (so no row asks for a free one)
    and, on every third, languages, a sector and a service area."""
    rows = []
    for number in numbers:
        row = {**real_world.row(number), "slug": f"listing-{number}"}
        if number % 3 == 0:
            row.update(languages="en;es", sectors="arts-media", service_area="24033")
        rows.append(row)
    return rows


def confirmed(client, rows) -> int:
    """Preview and confirm `rows`; the number of queries the confirmation made."""
    response = preview(client, csv_upload(rows))
    assert not response.context["plan"].has_errors
    with CaptureQueriesContext(connection) as queries:
        assert confirm(client, response).status_code == 302
    return len(queries)


def pairs() -> set[tuple[frozenset, tuple]]:
    return {
        (frozenset((pair.organization.slug, pair.similar_to.slug)), tuple(pair.reasons))
        for pair in PossibleDuplicate.objects.select_related("organization", "similar_to")
    }


def test_confirming_costs_two_queries_for_each_listing_written(organizer_client, monkeypatch):
    # Larger imports check duplicates against an index of every listing: use it here.
    monkeypatch.setattr(duplicates, "BULK_THRESHOLD", 0)
    OrganizationFactory.create_batch(5)
    ten = confirmed(organizer_client, spreadsheet(range(10)))
    sixty = confirmed(organizer_client, spreadsheet(range(10, 70)))
    assert Organization.objects.count() == 75
    # Fifty more rows: one INSERT for each listing and one for its location, no more.
    assert sixty - ten <= 2 * 50


def test_a_large_import_flags_what_listing_by_listing_checks_flag(organizer_client, monkeypatch):
    existing = OrganizationFactory(website="http://www.example5.org/")  # row 5's site
    rows = spreadsheet(range(60))
    # The same names again at the same ZIP codes, written differently.
    rows += [
        {
            **row,
            "slug": f"{row['slug']}-again",
            "name": f"The {row['name']}, Inc.",
            "website": "",
            "phone": "",
        }
        for row in spreadsheet(range(0, 60, 7))
    ]
    monkeypatch.setattr(duplicates, "BULK_THRESHOLD", 0)
    confirmed(organizer_client, rows)
    by_index = pairs()

    PossibleDuplicate.objects.all().delete()
    DuplicateScan.objects.all().delete()
    monkeypatch.setattr(duplicates, "BULK_THRESHOLD", 10_000)
    duplicates.flag_duplicates(Organization.objects.values_list("pk", flat=True))
    assert pairs() == by_index
    assert (frozenset({"listing-5", existing.slug}), ("same_website",)) in by_index
    assert (frozenset({"listing-7", "listing-7-again"}), ("similar_name_nearby",)) in by_index


def test_each_listing_written_is_recorded_once_with_its_location_and_relations(
    organizer_client,
):
    confirmed(organizer_client, spreadsheet(range(60)))
    revision = Revision.objects.get()
    organization = Organization.objects.get(slug="listing-0")
    version = Version.objects.get_for_object(organization).get()
    assert version.revision == revision
    assert sorted(version.field_dict["languages"]) == sorted(
        organization.languages.values_list("pk", flat=True)
    )
    assert len(version.field_dict["languages"]) == 2
    location = organization.locations.get()
    assert Version.objects.get_for_object(location).get().revision == revision
    assert revision.version_set.count() == 2 * 60
    assert organization.states == "DC MD"  # its location in DC, its service area in MD
    assert Location.objects.count() == 60
