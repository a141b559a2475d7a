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

or `@cached_public_page` on a public HTML view, which keeps the whole rendered answer
for visitors who carry no session (everyone but signed-in organizers), per address,
query string and language.
"""

import functools
import hashlib
import json
import logging
import re
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache, caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.http import HttpResponse, QueryDict
from django.utils.translation import get_language

from directory.core.freshness import PUBLIC_DATA_MODELS
from directory.models import Organization

logger = logging.getLogger(__name__)

DATA_VERSION_KEY = "directory:data-version"
_MISSING = object()
PUBLIC_M2M_FIELDS = (
    Organization.languages.through,
    Organization.sectors.through,
    Organization.service_area.through,
)


# Cache backends raise their own errors (redis.ConnectionError, OSError, pickling
# errors), so the two helpers below catch them all: a cache failure is never fatal.
def _cache_get(key: str, default=None, *, store=cache):
    try:
        return store.get(key, default)
    except Exception:
        logger.warning("Cache read failed for %s; using the database", key, exc_info=True)
        return default


def _cache_set(key: str, value, timeout=DEFAULT_TIMEOUT, *, store=cache) -> None:
    try:
        store.set(key, value, timeout)
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


# Headers a view sets that are part of the page. Everything the middleware adds (security
# headers, Vary, cookies) is added again to every answer, cached or not.
_PAGE_HEADERS = ("Content-Type", "Content-Language", "Cache-Control", "Link")


def _is_personal(request) -> bool:
    """A request whose page may differ from everyone else's: a session (signed-in
    organizers, a suggestion in progress) or a message waiting to be shown."""
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME in cookies or CookieStorage.cookie_name in cookies


def _is_shareable(request, response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        # A page that rendered a CSRF token belongs to one visitor.
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and "private" not in response.get("Cache-Control", "")
        and "no-store" not in response.get("Cache-Control", "")
    )


# What a deploy can change about a rendered page: the code and templates that render it
# and the hashed names of the static files it links to.
_CODE_FOLDERS = ("directory", "solidarity", "templates")
_CODE_SUFFIXES = {".py", ".html", ".txt", ".json"}


@functools.cache
def code_version() -> str:
    """A digest of the code, templates and static file manifest this process runs with,
    so that pages cached by an earlier release are never served after a deploy."""
    digest = hashlib.sha256()
    base = Path(settings.BASE_DIR)
    files = [
        path
        for folder in _CODE_FOLDERS
        for path in sorted((base / folder).rglob("*"))
        if path.suffix in _CODE_SUFFIXES and path.is_file()
    ]
    files.append(Path(settings.STATIC_ROOT) / "staticfiles.json")
    for path in files:
        if path.is_file():
            # Named relative to the project, so every server of a release agrees.
            label = path.relative_to(base) if path.is_relative_to(base) else path.name
            digest.update(str(label).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def cached_public_page(view):
    """Serve a public GET view's rendered answer from the cache until the data changes.

    Rendering the home page or the list costs tens of milliseconds of CPU; reading it
    back costs well under one. Pages are kept in the "pages" cache (each process's
    memory, a bounded number, unless PAGE_CACHE_URL says otherwise); the data version
    in the key comes from the shared cache, so no process serves a page from before a
    change. The key holds the scheme and host (pages carry absolute
    links), the path, the query string (names in any order) and the active language, so
    every distinct page is cached once per data version. Only complete 200 answers
    without cookies are kept; a failing cache means the page is rendered."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or _is_personal(request):
            return view(request, *args, **kwargs)
        version = data_version()
        if version is None:
            return view(request, *args, **kwargs)
        name = (
            f"page {request.scheme}://{request.get_host()}{request.path} {get_language()} "
            f"{code_version()}"
        )
        # Parameter names in any order, but each one's values in the order sent: the
        # last of a repeated single-valued parameter is the one that applies.
        query = json.dumps(sorted(request.GET.lists()))
        key = public_data_key(name, {"query": query}, version)
        cached = _cache_get(key, store=caches["pages"])
        if cached is not None:
            headers, content = cached
            return HttpResponse(content, headers=headers)
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if _is_shareable(request, response):
            headers = {name: response[name] for name in _PAGE_HEADERS if response.has_header(name)}
            _cache_set(key, (headers, response.content), store=caches["pages"])
        return response

    return wrapped


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
