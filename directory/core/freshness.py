"""When the public directory data last changed, for HTTP validators (ETag, Last-Modified).

A version stamp lives in the shared Django cache, so every process agrees on it. Saves,
deletes and many-to-many changes of the models behind public pages replace the stamp
once the transaction commits (once per transaction, however many rows it touched). The
latest `Organization.updated_at` is folded in as well, so writes that send no signals
(bulk_create, as generate_listings does) still change the version.

If the cache loses the stamp, or cannot be reached, a new version is made: clients then
download once more, and never keep a copy that is out of date.
"""

import datetime
import logging
import uuid
from dataclasses import dataclass

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.models import Max
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from redis.exceptions import RedisError

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

# Not directory.core.cache's DATA_VERSION_KEY: that one holds a number, this a stamp.
STAMP_KEY = "directory:freshness-stamp"
# Models whose changes can alter anything the public sees (directory.core.cache uses it too).
PUBLIC_DATA_MODELS = (
    Organization,
    Location,
    SocialLink,
    OrganizationType,
    Language,
    Sector,
    Jurisdiction,
)
CACHE_ERRORS = (DatabaseError, OSError, RedisError)


@dataclass(frozen=True)
class DataVersion:
    token: str
    changed_at: datetime.datetime


def _new_stamp() -> tuple[str, float]:
    return uuid.uuid4().hex, timezone.now().timestamp()


def current() -> DataVersion:
    """The version of the public data now; one cache read and one indexed query."""
    try:
        stamp = cache.get(STAMP_KEY)
        if stamp is None:
            cache.add(STAMP_KEY, _new_stamp(), timeout=None)
            stamp = cache.get(STAMP_KEY)
    except CACHE_ERRORS:
        logger.warning("Cache unavailable: data version falls back to a new stamp", exc_info=True)
        stamp = None
    token, changed = stamp or _new_stamp()
    changed_at = datetime.datetime.fromtimestamp(changed, tz=datetime.UTC)
    latest_update = Organization.objects.aggregate(latest=Max("updated_at"))["latest"]
    if latest_update is not None:
        token = f"{token}:{latest_update.timestamp()}"
        changed_at = max(changed_at, latest_update)
    return DataVersion(token=token, changed_at=changed_at)


def bump() -> None:
    """Record that public data changed now."""
    try:
        cache.set(STAMP_KEY, _new_stamp(), timeout=None)
    except CACHE_ERRORS:
        logger.warning("Cache unavailable: could not record a data change", exc_info=True)


def _data_changed(sender, using=None, action=None, **kwargs):
    if action is not None and not action.startswith("post_"):
        return  # m2m_changed fires before a change too
    alias = using or DEFAULT_DB_ALIAS
    # Deleting or importing thousands of rows sends thousands of signals: bump once,
    # when the transaction commits (at once outside a transaction).
    pending = connections[alias].run_on_commit if connections[alias].in_atomic_block else ()
    if any(entry[1] is bump for entry in pending):
        return
    transaction.on_commit(bump, using=alias, robust=True)


def connect_signals() -> None:
    """Called from DirectoryConfig.ready()."""
    for model in PUBLIC_DATA_MODELS:
        post_save.connect(_data_changed, sender=model, dispatch_uid=f"freshness-save-{model}")
        post_delete.connect(_data_changed, sender=model, dispatch_uid=f"freshness-del-{model}")
    for field in ("languages", "sectors", "service_area"):
        through = getattr(Organization, field).through
        m2m_changed.connect(_data_changed, sender=through, dispatch_uid=f"freshness-m2m-{field}")
