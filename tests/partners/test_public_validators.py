"""Validators (ETag, Last-Modified) and stored documents follow public data only, and
what a stream of distinct map requests can store is bounded."""

import time

import pytest
from django.core.cache import caches
from django.urls import reverse

from directory.contributions import abuse
from directory.models import Organization
from tests.support.factories import LocationFactory, OrganizationFactory
from tests.support.transactions import run_commit_callbacks

pytestmark = pytest.mark.django_db

DATA_URLS = [
    reverse("directory:api-organization-list"),
    reverse("directory:export-organizations-csv"),
    reverse("directory:api-organization-geojson"),
    reverse("directory:location-map-data"),
]


def validators(client):
    return {
        url: (response["ETag"], response["Last-Modified"])
        for url in DATA_URLS
        for response in [client.get(url)]
    }


def test_a_pending_suggestion_does_not_change_any_validator(client):
    LocationFactory(organization__name="Published Cooperative")
    run_commit_callbacks()
    before = validators(client)
    time.sleep(1.1)  # Last-Modified has one-second resolution
    response = client.post(
        reverse("directory:suggest"),
        {
            "name": "Brand New Suggested Cooperative",
            "type": "worker-cooperative",
            "summary": "Waiting for review.",
            "zip_code": "20001",
            "precision": "exact",
            "submitter_email": "someone@example.net",
            "started": abuse.started_token(time.time() - 60),
        },
    )
    assert response.status_code == 302
    run_commit_callbacks()
    assert Organization.objects.filter(status="pending").exists()
    assert validators(client) == before


def test_a_draft_edited_in_the_admin_changes_no_validator(admin_client, client):
    LocationFactory()
    draft = OrganizationFactory(status="draft", name="Draft Cooperative")
    run_commit_callbacks()
    before = validators(client)
    draft.internal_notes = "Called them on Tuesday."
    draft.save()
    run_commit_callbacks()
    assert validators(client) == before


def test_publishing_changes_every_validator(client):
    LocationFactory()
    draft = OrganizationFactory(status="draft")
    LocationFactory(organization=draft)
    run_commit_callbacks()
    before = validators(client)
    draft.status = "published"
    draft.save()
    run_commit_callbacks()
    after = validators(client)
    assert all(after[url][0] != before[url][0] for url in DATA_URLS)


def test_distinct_map_areas_never_fill_the_shared_cache(client, settings):
    """Each bbox is another document; they are kept in each process's bounded memory,
    not in the cache every process shares (where rate-limit counters and data versions
    used to be culled by them)."""
    settings.MAP_DATA_RATE_LIMIT = ""
    LocationFactory.create_batch(5)
    url = reverse("directory:location-map-data")
    shared = caches["default"]
    client.get(url)  # the whole map: shared by every process
    entries_with_the_whole_map = len(shared._cache)
    for step in range(60):
        west = -77.2 + step * 0.001
        assert client.get(url, {"bbox": f"{west},38.8,-76.9,39.1"}).status_code == 200
    assert len(shared._cache) == entries_with_the_whole_map
    documents = caches["documents"]
    assert 0 < len(documents._cache) <= settings.CACHES["documents"]["OPTIONS"]["MAX_ENTRIES"]


def test_the_map_data_has_a_rate_limit(client, settings):
    settings.MAP_DATA_RATE_LIMIT = "3/min"
    url = reverse("directory:location-map-data")
    statuses = [client.get(url).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = client.get(url)
    assert int(limited["Retry-After"]) > 0
    assert "limit" in limited.json()["detail"]
