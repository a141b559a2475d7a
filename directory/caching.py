"""A cache for public data (map data, lists, API pages) that is never stale.

Every cached value is keyed by a *data version*, a number kept in the cache itself and
replaced whenever a listing, a location or a reference table changes (model signals).
A change therefore makes every earlier entry unreachable at once, in every process
that shares the cache, without having to know which keys exist; entries left behind
simply expire. The version is replaced twice: at the change, so the changing request
itself never reads stale data, and again when the transaction commits, because
another request may have cached the not-yet-committed old data in between.

The cache is a speed-up, never a requirement: when the cache backend fails (Redis
down, a full disk), reads fall through to the database and writes to the cache are
skipped, with a warning in the log. Saving a listing never fails because of it.

Use `cached_public_data(name, params, build)` in a view:

    data = cached_public_data("locations-geojson", request.GET, lambda: build_geojson(qs))
"""

import hashlib
import json
import logging
import re
import time
from collections.abc import Callable, Mapping
from typing import Any

from django.core.cache import cache
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.http import QueryDict

from directory.models import (
    Jurisdiction,
    Language,
    Location,
    Organization,
    OrganizationType,
    Sector,
    SocialLink,
)

logger = logging.getLogger(__name__)

DATA_VERSION_KEY = "directory:data-version"
_MISSING = object()
# Models whose changes can alter anything the public sees.
PUBLIC_DATA_MODELS = (
    Organization,
    Location,
    SocialLink,
    OrganizationType,
    Language,
    Sector,
    Jurisdiction,
)
PUBLIC_M2M_FIELDS = (
    Organization.languages.through,
    Organization.sectors.through,
    Organization.service_area.through,
)


# Cache backends raise their own errors (redis.ConnectionError, OSError, pickling
# errors), so the two helpers below catch them all: a cache failure is never fatal.
def _cache_get(key: str, default=None):
    try:
        return cache.get(key, default)
    except Exception:
        logger.warning("Cache read failed for %s; using the database", key, exc_info=True)
        return default


def _cache_set(key: str, value, timeout=DEFAULT_TIMEOUT) -> None:
    try:
        cache.set(key, value, timeout)
    except Exception:
        logger.warning("Cache write failed for %s; not cached", key, exc_info=True)


def _new_version() -> int:
    # A clock value rather than a counter: after the cache is flushed or restarted, a
    # new version can never coincide with a version that old entries still carry.
    return time.time_ns()


def data_version() -> int | None:
    """The current data version, or None when the cache is unavailable."""
    try:
        version = cache.get(DATA_VERSION_KEY)
        if version is None:
            cache.add(DATA_VERSION_KEY, _new_version(), timeout=None)
            version = cache.get(DATA_VERSION_KEY)
    except Exception:
        logger.warning("Cache unavailable; public data is served uncached", exc_info=True)
        return None
    return version


def bump_data_version() -> None:
    """Make every cached public value stale. Safe to call when the cache is down."""
    _cache_set(DATA_VERSION_KEY, _new_version(), timeout=None)


def public_data_key(name: str, params: Mapping, version: int) -> str:
    """A cache key for `name` and the query parameters (their order does not matter)."""
    lists = params.lists() if isinstance(params, QueryDict) else params.items()
    pairs = sorted(
        (key, str(value))
        for key, values in lists
        for value in (values if isinstance(values, list | tuple) else [values])
    )
    digest = hashlib.sha256(json.dumps([name, pairs]).encode()).hexdigest()[:32]
    # Keys stay short and plain (memcached refuses spaces); the digest tells them apart.
    label = re.sub(r"[^\w.-]", "_", name)[:40]
    return f"directory:{version}:{label}:{digest}"


def cached_public_data(
    name: str, params: Mapping, build: Callable[[], Any], *, timeout=DEFAULT_TIMEOUT
):
    """`build()`'s result, from the cache when this data version already has it.

    `params` is the request's QueryDict (or a dict) that the result depends on; put
    anything else it depends on (the language of a rendered page) into `name`. The
    result must be picklable (a rendered body as bytes or str is best)."""
    version = data_version()
    if version is None:
        return build()
    key = public_data_key(name, params, version)
    value = _cache_get(key, _MISSING)
    if value is _MISSING:
        value = build()
        _cache_set(key, value, timeout)
    return value


def _bump_now_and_after_commit(**kwargs) -> None:
    bump_data_version()
    transaction.on_commit(bump_data_version, using=kwargs.get("using"))


for model in PUBLIC_DATA_MODELS:
    post_save.connect(_bump_now_and_after_commit, sender=model, dispatch_uid=f"cache-save-{model}")
    post_delete.connect(
        _bump_now_and_after_commit, sender=model, dispatch_uid=f"cache-delete-{model}"
    )


@receiver(m2m_changed, dispatch_uid="cache-m2m")
def _bump_on_m2m_change(sender, action, **kwargs) -> None:
    if sender in PUBLIC_M2M_FIELDS and action in {"post_add", "post_remove", "post_clear"}:
        _bump_now_and_after_commit(**kwargs)
