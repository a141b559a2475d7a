"""Per-client limits are checked and counted in one atomic step, wherever they are
kept: parallel clients from one address get no more than the limit through
(directory/core/limits.py)."""

import os
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
from django.db import connections
from django.test import Client
from django.urls import reverse

from directory.core import limits

REDIS_URL = "redis://127.0.0.1:6379/0"
PARALLEL = 20


def in_parallel(task, count=PARALLEL):
    def run(number):
        try:
            return task(number)
        finally:
            connections.close_all()  # each thread's own database connection

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


@pytest.fixture
def database_store(monkeypatch):
    """The store a deployment without Redis uses."""
    monkeypatch.setattr(limits, "_memory_cache", lambda: None)


@pytest.fixture
def redis_store(settings):
    server = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        server.ping()
    except redis.RedisError:
        if os.environ.get("CI"):
            pytest.fail("Redis is not running on 127.0.0.1:6379")
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    prefix = f"limits-test-{uuid.uuid4().hex}"
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        },
    }
    yield
    for key in server.scan_iter(f"{prefix}:*"):
        server.delete(key)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("store", ["database_store", "redis_store", None])
def test_parallel_hits_let_exactly_the_limit_through(request, store):
    if store:
        request.getfixturevalue(store)
    decisions = in_parallel(
        lambda _number: limits.hit("api", "203.0.113.7", limit=10, window=60).allowed
    )
    assert decisions.count(True) == 10
    assert not limits.peek("api", "203.0.113.7", limit=10, window=60).allowed
    assert limits.peek("api", "198.51.100.1", limit=10, window=60).allowed


@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_api_clients_from_one_address_get_at_most_the_limit(
    settings, database_store
):
    settings.API_RATE_LIMIT = "7/min"
    url = reverse("directory:api-organization-list")
    statuses = in_parallel(lambda _number: Client(REMOTE_ADDR="203.0.113.8").get(url).status_code)
    assert statuses.count(200) == 7
    assert statuses.count(429) == PARALLEL - 7


@pytest.mark.django_db(transaction=True)
def test_a_token_is_claimed_once_even_in_parallel(database_store):
    claims = in_parallel(lambda _number: limits.claim_once("form-token", "nonce-1", ttl=60))
    assert claims.count(True) == 1


def test_a_failing_store_is_logged_every_time_and_lets_the_request_through(monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise redis.ConnectionError("down")

    monkeypatch.setattr(limits, "_memory_cache", lambda: None)
    monkeypatch.setattr(limits, "_count_in_database", broken)
    for _attempt in range(3):
        assert limits.hit("export", "203.0.113.9", limit=1, window=60).allowed
    assert caplog.text.count("Limit store unavailable") == 3
