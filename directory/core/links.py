"""Absolute addresses: the one way to write a link that leaves a request.

Canonical URLs, sitemaps, exports, API links, emails and share links are written from
SITE_URL, the site's public address, so they never follow whatever Host header a
request carried. Only when SITE_URL is empty (a development machine without it) does a
request's own address stand in.
"""

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse


def site_url(request: HttpRequest | None = None) -> str:
    """Scheme and host of the site, without a final slash."""
    if settings.SITE_URL or request is None:
        return settings.SITE_URL.rstrip("/")
    return request.build_absolute_uri("/").rstrip("/")


def absolute_url(path: str, request: HttpRequest | None = None) -> str:
    """The absolute address of a path on this site ("/organizations/x/")."""
    return site_url(request) + path


def slug_path_parts(url_name: str) -> tuple[str, str]:
    """The path of `url_name` for a slug, as the text before and after the slug, so
    that thousands of rows need no reverse() each."""
    before, _slug, after = reverse(url_name, kwargs={"slug": "SLUG"}).rpartition("SLUG")
    return before, after


def slug_url_parts(url_name: str, request: HttpRequest | None = None) -> tuple[str, str]:
    """As slug_path_parts(), with the site's scheme and host before."""
    before, after = slug_path_parts(url_name)
    return site_url(request) + before, after
