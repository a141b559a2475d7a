"""The data version, and the one way to keep a value built from public data.

The *data version* stands for the state of everything the public can see. It lives in
the shared cache, so every process agrees on it, as a random token and the time it was
made. Whenever public data changes (directory.listings.signals decides what counts),
`bump_after_change()` replaces it at once, so the changing request never reads stale
values, and again when the transaction commits, because another request may have
cached the not-yet-committed old data in between. Thousands of changes in one
transaction (an import, a delete) cost two cache writes, not thousands: a change bumps
at once only when the version was read since the last bump. Writes that send no
signals (bulk inserts) call `bump()` themselves.

Every value kept from public data is keyed by the version, so a change makes all of
them unreachable at once, in every process, without knowing which keys exist; old
entries simply expire. HTTP validators (ETag, Last-Modified) are built from it too.

The cache is a speed-up, never a requirement, and it fails one way everywhere: a cache
error is logged as a warning and the value is built from the database; writes to the
cache are skipped. When the version cannot be read, nothing is cached and validators
change on every request (clients download again, never keep a stale copy).
"""

import datetime
import hashlib
import json
import logging
import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.http import QueryDict
from django.utils import timezone
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

VERSION_KEY = "directory:data-version"
# What cache backends raise when their store is unreachable or broken.
CACHE_ERRORS = (DatabaseError, OSError, RedisError)
_MISSING = object()


@dataclass(frozen=True)
class DataVersion:
    token: str
    changed_at: datetime.datetime

    @classmethod
    def new(cls) -> "DataVersion":
        return cls(token=uuid.uuid4().hex, changed_at=timezone.now())


def cache_get(key: str, default=None, *, store=cache):
    """store.get(key), or `default` (logged) when the cache fails."""
    try:
        return store.get(key, default)
    except CACHE_ERRORS:
        logger.warning("Cache read failed for %s; using the database", key, exc_info=True)
        return default


def cache_set(key: str, value, timeout=DEFAULT_TIMEOUT, *, store=cache) -> None:
    """store.set(...), skipped (logged) when the cache fails."""
    try:
        store.set(key, value, timeout)
    except CACHE_ERRORS:
        logger.warning("Cache write failed for %s; not kept", key, exc_info=True)


def _encode(version: DataVersion) -> tuple[str, float]:
    return version.token, version.changed_at.timestamp()


def _decode(stored) -> DataVersion:
    token, changed = stored
    return DataVersion(token, datetime.datetime.fromtimestamp(changed, tz=datetime.UTC))


# Set on a database connection when this thread read the version since its last bump.
_READ_SINCE_BUMP = "directory_version_read_since_bump"


def data_version() -> DataVersion | None:
    """The current data version; None when the cache cannot be reached."""
    setattr(connections[DEFAULT_DB_ALIAS], _READ_SINCE_BUMP, True)
    try:
        stored = cache.get(VERSION_KEY)
        if stored is None:
            # add(), not set(): two processes starting at once agree on one version.
            cache.add(VERSION_KEY, _encode(DataVersion.new()), timeout=None)
            stored = cache.get(VERSION_KEY)
    except CACHE_ERRORS:
        logger.warning("Cache unavailable: public data is served uncached", exc_info=True)
        return None
    return _decode(stored) if stored else None


def bump() -> None:
    """Make every kept public value stale, now. Safe to call when the cache is down."""
    cache_set(VERSION_KEY, _encode(DataVersion.new()), timeout=None)


def bump_after_change(*, using: str | None = None) -> None:
    """Public data changed in the current transaction: bump now, unless nothing read the
    version since this transaction's last bump, and once when it commits."""
    alias = using or DEFAULT_DB_ALIAS
    connection = connections[alias]
    scheduled = connection.in_atomic_block and any(
        entry[1] is bump for entry in connection.run_on_commit
    )
    if not scheduled or getattr(connection, _READ_SINCE_BUMP, True):
        bump()
        setattr(connection, _READ_SINCE_BUMP, False)
    if not scheduled:
        transaction.on_commit(bump, using=alias, robust=True)


def key_for(name: str, params: Mapping, version: DataVersion) -> str:
    """A cache key for `name`, the query parameters (their order does not matter) and
    the data version."""
    lists = params.lists() if isinstance(params, QueryDict) else params.items()
    pairs = sorted(
        (key, str(value))
        for key, values in lists
        for value in (values if isinstance(values, list | tuple) else [values])
    )
    digest = hashlib.sha256(json.dumps([name, pairs]).encode()).hexdigest()[:32]
    # Keys stay short and plain (memcached refuses spaces); the digest tells them apart.
    label = re.sub(r"[^\w.-]", "_", name)[:40]
    return f"directory:{version.token}:{label}:{digest}"


def remember(
    name: str,
    params: Mapping,
    build: Callable[[], Any],
    *,
    version: DataVersion | None = _MISSING,
    timeout=DEFAULT_TIMEOUT,
    store=cache,
):
    """`build()`'s result, kept in `store` for this data version and these parameters.

    `params` are what the result depends on (a request's QueryDict, or a dict); put
    anything else it depends on into `name`. The result must be picklable. Errors
    `build` raises are not kept; a failing cache means building."""
    if version is _MISSING:
        version = data_version()
    if version is None:
        return build()
    key = key_for(name, params, version)
    value = cache_get(key, _MISSING, store=store)
    if value is _MISSING:
        value = build()
        cache_set(key, value, timeout, store=store)
    return value


def cached_public_data(
    name: str, params: Mapping, build: Callable[[], Any], *, timeout=DEFAULT_TIMEOUT
):
    """remember() in the shared cache at the current data version."""
    return remember(name, params, build, timeout=timeout)
