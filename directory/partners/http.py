"""HTTP plumbing for the partner-facing data (API, GeoJSON, CSV export).

- conditional_response(): `ETag` and `Last-Modified` from the data version
  (directory.core.cache) and the representation asked for; If-None-Match and
  If-Modified-Since are answered with 304 by Django's own get_conditional_response,
  before any export is built.
- PublicDataThrottle and check_limit(): per-client rate limits (API_RATE_LIMIT,
  EXPORT_RATE_LIMIT for the CSV, GEOJSON_RATE_LIMIT, MAP_DATA_RATE_LIMIT), counted
  atomically where every process and server sees them (directory.core.limits); a 304
  is not counted. Clients are told apart by
  address as everywhere else (directory.core.clients, TRUSTED_PROXIES), so a client cannot
  pick its own identity.
"""

import hashlib
import json
import math
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework.throttling import BaseThrottle

from directory.core import limits
from directory.core.cache import DataVersion, data_version, remember
from directory.core.clients import client_ip

# Part of every ETag: change it when a representation changes shape, so that copies
# made before the change are not reused.
REPRESENTATION_VERSION = "2"
RATE_SETTINGS = {
    "api": "API_RATE_LIMIT",
    "export": "EXPORT_RATE_LIMIT",
    "geojson": "GEOJSON_RATE_LIMIT",
    "map": "MAP_DATA_RATE_LIMIT",
}
CONDITIONAL_HEADERS = ("If-None-Match", "If-Modified-Since")
# Counts and pages are keyed by the data version, so they are never stale; this only
# bounds the space they take.
PAYLOAD_TIMEOUT = 3600


def representation_etag(request: HttpRequest, version: DataVersion, params=None) -> str:
    """A strong ETag: the same data, address, parameters and settings give the same
    bytes. `params` are what the representation depends on, when that is not simply
    the query string (the filters it applies, say)."""
    key = [
        REPRESENTATION_VERSION,
        version.token,
        request.build_absolute_uri("/"),
        request.path,
        sorted(request.GET.lists()) if params is None else params,
        settings.SITE_URL,
        settings.DATA_LICENSE,
        settings.DATA_LICENSE_URL,
    ]
    digest = hashlib.sha256(json.dumps(key).encode()).hexdigest()[:40]
    return f'"{digest}"'


def conditional_response(
    request: HttpRequest, *, build: Callable[[DataVersion], HttpResponseBase], params=None
) -> HttpResponseBase:
    """A 304 when the client's copy is current, else the response `build` makes for
    this version of the data; both carry the validators. Call it once the request's
    parameters have been checked."""
    # Without the cache, a new version each time: clients download again, never keep a
    # stale copy.
    version = data_version() or DataVersion.new()
    etag = representation_etag(request, version, params)
    last_modified = math.floor(version.changed_at.timestamp())
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        count_deferred_hit(request)
        response = build(version)
    response.headers["ETag"] = etag
    response.headers["Last-Modified"] = http_date(last_modified)
    # Caches may keep a copy but must ask again (cheaply, with the validators) each time.
    patch_cache_control(response, no_cache=True)
    return response


def cached_payload(request: HttpRequest, version: DataVersion, build: Callable):
    """The data `build()` returns for this request (its address, parameters and the
    data version), from the shared cache when another request already built it: a
    page of the API is read, filtered and serialized once per change of the data, then
    only rendered."""
    return remember(
        "payload",
        {"representation": representation_etag(request, version)},
        build,
        version=version,
        timeout=PAYLOAD_TIMEOUT,
    )


def rate_limit(scope: str) -> str | None:
    """The configured rate for a scope of RATE_SETTINGS, like "60/min"; None for no
    limit."""
    return getattr(settings, RATE_SETTINGS[scope]) or None


def cached_count(queryset, *, version: DataVersion, key: str) -> int:
    """queryset.count(), remembered for this version of the data: a partner paging
    through thousands of results does not count them again for every page."""
    return remember(
        "count", {"filters": key}, queryset.count, version=version, timeout=PAYLOAD_TIMEOUT
    )


def describe_rate(rate: str) -> str:
    """A rate such as 60/min in words: "60 requests per minute"."""
    count, period = limits.parse_rate(rate)
    unit = {1: _("second"), 60: _("minute"), 3600: _("hour"), 86400: _("day")}[period]
    return ngettext("%(count)d request per %(unit)s", "%(count)d requests per %(unit)s", count) % {
        "count": count,
        "unit": unit,
    }


class PublicDataThrottle(BaseThrottle):
    """The view's `throttle_scope` ("api" or "export") picks the setting; rates are read
    at each request, so tests and operators can change them without a restart. Counted
    atomically by directory.core.limits, which lets a request through (and logs it)
    when its store fails."""

    decision: limits.Decision | None = None

    def allow_request(self, request, view):
        self.decision = check_limit(view.throttle_scope, request)
        return self.decision.allowed

    def wait(self):
        return self.decision.retry_after if self.decision else None


def check_limit(scope: str, request: HttpRequest) -> limits.Decision:
    """Count the request against the scope's limit (allowed when there is none).

    A conditional request (If-None-Match, If-Modified-Since) is only checked here: it
    counts once conditional_response() finds the client's copy out of date, so polling
    politely for changes costs nothing against the limit."""
    rate = limits.parse_rate(rate_limit(scope))
    if rate is None:
        return limits.Decision(True, 0, 0, 0)
    count, window = rate
    if any(request.headers.get(name) for name in CONDITIONAL_HEADERS):
        decision = limits.peek(scope, client_ip(request), limit=count, window=window)
        request.deferred_limit = (scope, count, window)
    else:
        decision = limits.hit(scope, client_ip(request), limit=count, window=window)
    request.limit_decision = decision
    return decision


def count_deferred_hit(request: HttpRequest) -> None:
    """Count a conditional request that turned out to need the whole answer."""
    deferred = getattr(request, "deferred_limit", None)
    if deferred is None:
        return
    scope, count, window = deferred
    request.deferred_limit = None
    limits.hit(scope, client_ip(request), limit=count, window=window)
