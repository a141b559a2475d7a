"""Validators (ETag, Last-Modified, 304) and per-client rate limits (429) on the partner
endpoints, with the limits kept in a cache every process shares."""

import os
import uuid

import pytest
import redis
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.http import http_date

from directory.models import RateLimitCounter
from directory.partners import csv_export as exports
from tests.support.factories import OrganizationFactory
from tests.support.transactions import run_commit_callbacks

pytestmark = pytest.mark.django_db

CSV_URL = reverse("directory:export-organizations-csv")
LIST_URL = reverse("directory:api-organization-list")
GEOJSON_URL = reverse("directory:api-organization-geojson")
DETAIL_URL = reverse("directory:api-organization-detail", kwargs={"slug": "takoma-bread"})
ENDPOINTS = [CSV_URL, LIST_URL, GEOJSON_URL, DETAIL_URL]
REDIS_URL = "redis://127.0.0.1:6379/0"


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("path", ENDPOINTS)
def test_a_repeat_with_the_etag_or_date_is_an_empty_304(client, published_organization, path):
    first = client.get(path)
    assert first.status_code == 200
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('"') and first["Cache-Control"] == "no-cache"

    by_etag = client.get(path, headers={"if-none-match": etag})
    assert (by_etag.status_code, by_etag.content) == (304, b"")
    assert (by_etag["ETag"], by_etag["Last-Modified"]) == (etag, last_modified)
    by_date = client.get(path, headers={"if-modified-since": last_modified})
    assert by_date.status_code == 304
    long_ago = http_date(978307200)  # 2001-01-01
    assert client.get(path, headers={"if-modified-since": long_ago}).status_code == 200


def test_a_304_is_answered_before_any_export_is_built(
    client, published_organization, monkeypatch, django_assert_max_num_queries
):
    etag = client.get(CSV_URL)["ETag"]

    def must_not_run(*args, **kwargs):
        raise AssertionError("the export was built for a 304")

    monkeypatch.setattr(exports, "stream_csv", must_not_run)
    with django_assert_max_num_queries(2):
        assert client.get(CSV_URL, headers={"if-none-match": etag}).status_code == 304


def test_other_filters_options_or_hosts_have_other_etags(client, published_organization):
    etags = {
        client.get(CSV_URL)["ETag"],
        client.get(CSV_URL, {"state": "MD"})["ETag"],
        client.get(CSV_URL, {"bom": "1"})["ETag"],
        client.get(CSV_URL, headers={"host": "localhost"})["ETag"],
        client.get(LIST_URL)["ETag"],
        client.get(LIST_URL, {"page_size": "5"})["ETag"],
    }
    assert len(etags) == 6
    assert client.get(CSV_URL, {"state": "MD"})["ETag"] in etags, "stable for the same request"


def test_an_old_etag_gets_the_new_data_after_a_change(client, published_organization):
    run_commit_callbacks()
    etag = client.get(CSV_URL)["ETag"]
    location = published_organization.locations.get()
    location.city = "Silver Spring"
    location.save()
    run_commit_callbacks()
    response = client.get(CSV_URL, headers={"if-none-match": etag})
    assert response.status_code == 200
    assert response["ETag"] != etag
    assert b"Silver Spring" in body(response)


def test_a_request_with_bad_filters_is_a_400_even_with_a_known_etag(client, published_organization):
    etag = client.get(LIST_URL, {"state": "NY"}).get("ETag")
    assert etag is None
    known = client.get(LIST_URL)["ETag"]
    response = client.get(LIST_URL, {"state": "NY"}, headers={"if-none-match": known})
    assert response.status_code == 400


def test_the_export_allows_its_limit_then_says_429_with_retry_after(
    client, settings, published_organization
):
    settings.EXPORT_RATE_LIMIT = "2/min"
    assert [client.get(CSV_URL).status_code for _ in range(2)] == [200, 200]
    response = client.get(CSV_URL)
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert (
        "Too many requests from your address. The limit for the CSV export is 2 requests "
        "per minute." in text
    )
    assert "Try again in" in text
    assert client.get(GEOJSON_URL).status_code == 200, "the GeoJSON has its own limit"
    assert client.get(LIST_URL).status_code == 200, "the API has its own limit"


def test_the_geojson_has_its_own_limit(client, settings, published_organization):
    settings.GEOJSON_RATE_LIMIT = "1/min"
    assert client.get(GEOJSON_URL).status_code == 200
    response = client.get(GEOJSON_URL)
    assert response.status_code == 429
    assert "The limit for the GeoJSON export is 1 request per minute." in response.json()["detail"]
    assert client.get(CSV_URL).status_code == 200


@pytest.mark.parametrize("scope", ["API_RATE_LIMIT", "EXPORT_RATE_LIMIT", "MAP_DATA_RATE_LIMIT"])
def test_polling_with_a_current_etag_does_not_count_against_the_limit(
    client, settings, published_organization, scope
):
    settings.API_RATE_LIMIT = settings.EXPORT_RATE_LIMIT = settings.MAP_DATA_RATE_LIMIT = "3/min"
    url = {"API_RATE_LIMIT": LIST_URL, "EXPORT_RATE_LIMIT": CSV_URL}.get(
        scope, reverse("directory:location-map-data")
    )
    etag = client.get(url)["ETag"]
    for _ in range(10):
        assert client.get(url, headers={"if-none-match": etag}).status_code == 304
    assert client.get(url).status_code == 200, "two requests of three counted"
    assert client.get(url, headers={"if-none-match": '"stale"'}).status_code == 200
    assert client.get(url).status_code == 429
    assert client.get(url, headers={"if-none-match": etag}).status_code == 429


def test_the_api_limit_is_a_429_in_json_and_counts_per_client(client, settings):
    settings.API_RATE_LIMIT = "3/hour"
    for _ in range(3):
        assert client.get(LIST_URL).status_code == 200
    response = client.get(LIST_URL)
    assert response.status_code == 429
    assert response.json()["detail"].startswith(
        "Too many requests from your address. The limit for the API is 3 requests per hour."
    )
    assert int(response["Retry-After"]) == 3599, "the rest of the hour's window"
    assert client.get(LIST_URL, REMOTE_ADDR="198.51.100.7").status_code == 200


def test_a_forged_forwarded_for_header_does_not_escape_the_limit(client, settings):
    settings.API_RATE_LIMIT = "1/min"
    assert client.get(LIST_URL).status_code == 200
    forged = client.get(LIST_URL, headers={"x-forwarded-for": "203.0.113.99"})
    assert forged.status_code == 429


def test_behind_a_trusted_proxy_the_forwarded_client_is_counted(client, settings):
    settings.API_RATE_LIMIT = "1/min"
    settings.TRUSTED_PROXIES = 1
    first = {"x-forwarded-for": "203.0.113.1"}
    assert client.get(LIST_URL, headers=first).status_code == 200
    assert client.get(LIST_URL, headers=first).status_code == 429
    assert client.get(LIST_URL, headers={"x-forwarded-for": "203.0.113.2"}).status_code == 200


def test_an_empty_rate_turns_the_limit_off(client, settings):
    settings.API_RATE_LIMIT = ""
    assert {client.get(LIST_URL).status_code for _ in range(5)} == {200}


def test_with_the_database_cache_limits_are_counted_apart_from_cached_data(client, settings):
    """Counters live in their own table, where every process sees them, and a cache
    that culls its entries cannot drop them; the address itself is never stored."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "partners_test_cache",
            "OPTIONS": {"MAX_ENTRIES": 5, "CULL_FREQUENCY": 1},
        },
    }
    call_command("createcachetable", verbosity=0)
    settings.API_RATE_LIMIT = "2/min"
    assert [client.get(LIST_URL).status_code for _ in range(2)] == [200, 200]
    for number in range(20):  # fill the cache well past its size: it culls everything
        caches["default"].set(f"filler-{number}", "x" * 100)
    assert client.get(LIST_URL).status_code == 429
    counter = RateLimitCounter.objects.get(key__startswith="limit:api:")
    assert counter.count == 3
    assert "127.0.0.1" not in counter.key
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM partners_test_cache")
        keys = {key for (key,) in cursor.fetchall()}
    assert not any("limit:" in key for key in keys), keys


@pytest.fixture
def redis_cache(settings):
    server = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        server.ping()
    except redis.RedisError:
        if os.environ.get("CI"):
            pytest.fail("Redis is not running on 127.0.0.1:6379")
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    prefix = f"partners-test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    yield server, prefix
    for key in server.scan_iter(f"{prefix}:*"):
        server.delete(key)


def test_redis_keeps_limits_where_every_process_sees_them(client, settings, redis_cache):
    server, prefix = redis_cache
    settings.EXPORT_RATE_LIMIT = "2/min"
    assert [client.get(CSV_URL).status_code for _ in range(2)] == [200, 200]
    assert client.get(CSV_URL).status_code == 429
    # Another connection (as another process has) finds the counter on the server.
    keys = {key.decode() for key in server.scan_iter(f"{prefix}:1:limit:export:*")}
    assert len(keys) == 1, keys
    assert "127.0.0.1" not in next(iter(keys))
    assert int(server.get(next(iter(keys)))) == 3
    assert not RateLimitCounter.objects.exists()


def test_when_the_cache_is_down_the_api_still_answers(client, settings, published_organization):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    response = client.get(LIST_URL)
    assert response.status_code == 200
    assert response.json()["count"] == 1
    assert response["ETag"]


def count_queries(client, query) -> tuple[int, int]:
    """(organizations counted in the answer, COUNT queries the request ran)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST_URL, query)
    counts = [query for query in queries.captured_queries if "COUNT(" in query["sql"]]
    return response.json()["count"], len(counts)


def test_paging_through_results_counts_them_once_per_version_of_the_data(client):
    for _ in range(5):
        OrganizationFactory()
    run_commit_callbacks()
    assert count_queries(client, {"page_size": 2}) == (5, 1)
    assert count_queries(client, {"page_size": 2, "page": 2}) == (5, 0)
    assert count_queries(client, {"page_size": 2, "state": "DC"}) == (0, 1), "other filters"
    OrganizationFactory()
    run_commit_callbacks()
    assert count_queries(client, {"page_size": 2, "page": 3}) == (6, 1)
