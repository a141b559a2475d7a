"""Per-client limits, counted atomically where every process sees them.

Each limit allows `limit` requests per client in a fixed window of `window` seconds.
`hit()` counts a request and says whether it is within the limit in one atomic step
(Redis INCR; or one INSERT ... ON CONFLICT DO UPDATE ... RETURNING in the database), so
twenty parallel requests against a limit of ten let exactly ten through.

Where the counts live: in Redis when the shared cache is Redis; in the process's memory
when the cache is (development and tests: one process, where LocMemCache counts under
a lock); otherwise in the database (directory.models.limits). Never in a cache that
culls entries by itself, so no cached document can push a counter out. A store that
fails lets the request through (an outage must not take the site down) and is logged
every time it happens.

Clients are told apart by a keyed hash of their address (directory.core.clients); no
address is stored.
"""

import datetime
import hashlib
import hmac
import logging
import math
import time
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# Old windows are removed from the database about once per this many counts.
PURGE_EVERY = 200
_counts_since_purge = 0


@dataclass(frozen=True)
class Decision:
    allowed: bool
    count: int
    limit: int
    retry_after: int  # seconds until the window ends


def client_key(ident: str) -> str:
    """A keyed hash of the client's address: counts never hold the address itself."""
    digest = hmac.new(settings.SECRET_KEY.encode(), (ident or "unknown").encode(), hashlib.sha256)
    return digest.hexdigest()[:24]


def _window(window: int) -> tuple[int, int]:
    """(index of the current window, seconds left in it)."""
    now = time.time()
    return int(now // window), max(1, math.ceil(window - now % window))


def _redis_cache() -> RedisCache | None:
    cache = caches["default"]
    return cache if isinstance(cache, RedisCache) else None


def _memory_cache() -> LocMemCache | None:
    cache = caches["default"]
    return cache if isinstance(cache, LocMemCache) else None


def _count_in_memory(cache: LocMemCache, key: str, ttl: int) -> int:
    cache.add(key, 0, timeout=ttl + 1)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=ttl + 1)
        return 1


def _count_in_redis(cache: RedisCache, key: str, ttl: int) -> int:
    client = cache._cache.get_client(key, write=True)
    full_key = cache.make_and_validate_key(key)
    with client.pipeline() as pipe:
        pipe.incr(full_key)
        pipe.expire(full_key, ttl + 1)
        count, _expiry_set = pipe.execute()
    return int(count)


def _read_in_redis(cache: RedisCache, key: str) -> int:
    client = cache._cache.get_client(key)
    return int(client.get(cache.make_and_validate_key(key)) or 0)


def _table() -> str:
    return apps.get_model("directory", "RateLimitCounter")._meta.db_table


def _count_in_database(key: str, ttl: int) -> int:
    global _counts_since_purge
    quote = connection.ops.quote_name
    table, key_column, count_column = quote(_table()), quote("key"), quote("count")
    expires_at = timezone.now() + datetime.timedelta(seconds=ttl + 1)
    # One statement: counting and reading the count cannot interleave with another
    # request's (SQLite 3.35+ and PostgreSQL both have UPSERT ... RETURNING). Only
    # quoted names are formatted in; every value is a parameter.
    sql = (
        f"INSERT INTO {table} ({key_column}, {count_column}, {quote('expires_at')}) "  # noqa: S608
        f"VALUES (%s, 1, %s) ON CONFLICT ({key_column}) "
        f"DO UPDATE SET {count_column} = {table}.{count_column} + 1 RETURNING {count_column}"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [key, expires_at])
        (count,) = cursor.fetchone()
    _counts_since_purge += 1
    if _counts_since_purge >= PURGE_EVERY:
        _counts_since_purge = 0
        apps.get_model("directory", "RateLimitCounter").objects.filter(
            expires_at__lt=timezone.now()
        ).delete()
    return count


def _read_in_database(key: str) -> int:
    counter = apps.get_model("directory", "RateLimitCounter")
    row = counter.objects.filter(key=key, expires_at__gte=timezone.now()).values("count").first()
    return row["count"] if row else 0


def _key(scope: str, ident: str, window: int) -> str:
    index, _left = _window(window)
    return f"limit:{scope}:{client_key(ident)}:{window}:{index}"


def hit(scope: str, ident: str, *, limit: int, window: int) -> Decision:
    """Count one request of `ident` against the limit and say whether it is allowed."""
    key = _key(scope, ident, window)
    _index, left = _window(window)
    try:
        if cache := _redis_cache():
            count = _count_in_redis(cache, key, left)
        elif cache := _memory_cache():
            count = _count_in_memory(cache, key, left)
        else:
            count = _count_in_database(key, left)
    except (RedisError, DatabaseError, OSError):
        logger.warning(
            "Limit store unavailable: %s request let through uncounted", scope, exc_info=True
        )
        return Decision(True, 0, limit, left)
    return Decision(count <= limit, count, limit, left)


def peek(scope: str, ident: str, *, limit: int, window: int) -> Decision:
    """Whether `ident` has requests left in this window, without counting one."""
    key = _key(scope, ident, window)
    _index, left = _window(window)
    try:
        if cache := _redis_cache():
            count = _read_in_redis(cache, key)
        elif cache := _memory_cache():
            count = cache.get(key, 0)
        else:
            count = _read_in_database(key)
    except (RedisError, DatabaseError, OSError):
        logger.warning("Limit store unavailable: %s not checked", scope, exc_info=True)
        return Decision(True, 0, limit, left)
    return Decision(count < limit, count, limit, left)


def claim_once(scope: str, ident: str, *, ttl: int) -> bool:
    """True the first time `ident` is claimed within `ttl` seconds, False after (a
    one-time token). A failing store is logged and the claim granted."""
    key = f"once:{scope}:{client_key(ident)}"
    try:
        if cache := _redis_cache():
            client = cache._cache.get_client(key, write=True)
            return bool(client.set(cache.make_and_validate_key(key), 1, nx=True, ex=ttl))
        if cache := _memory_cache():
            return cache.add(key, 1, timeout=ttl)
        return _claim_in_database(key, ttl)
    except (RedisError, DatabaseError, OSError):
        logger.warning("Limit store unavailable: %s claim granted", scope, exc_info=True)
        return True


def _claim_in_database(key: str, ttl: int) -> bool:
    counter = apps.get_model("directory", "RateLimitCounter")
    now = timezone.now()
    with transaction.atomic():
        # An expired claim of the same key no longer counts.
        counter.objects.filter(key=key, expires_at__lt=now).delete()
        _row, created = counter.objects.get_or_create(
            key=key, defaults={"count": 1, "expires_at": now + datetime.timedelta(seconds=ttl)}
        )
    return created


PERIODS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600, "d": 86400, "day": 86400}


def parse_rate(rate: str | None) -> tuple[int, int] | None:
    """ "120/min" as (120, 60); None for no limit."""
    if not rate:
        return None
    count, period = rate.split("/")
    return int(count), PERIODS[period]
