"""Rendered public pages, kept whole for visitors without a session.

Rendering the home page or the list costs tens of milliseconds of CPU; reading it back
costs well under one. Pages are kept in the "pages" cache (each process's memory, a
bounded number, unless PAGE_CACHE_URL says otherwise), keyed by the shared data
version (directory.core.cache), so no process serves a page from before a change, and
by a digest of the code, so none serves a page from before a deploy.
"""

import functools
import hashlib
import json
from pathlib import Path

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.http import HttpResponse
from django.utils.translation import get_language

from directory.core.cache import cache_get, cache_set, data_version, key_for

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


# What a deploy can change about a rendered page: the code and templates that render it,
# the compiled translations, and the hashed names of the static files it links to.
_CODE_FOLDERS = ("directory", "solidarity", "templates", "locale")
_CODE_SUFFIXES = {".py", ".html", ".txt", ".json", ".mo"}


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
        key = key_for(name, {"query": query}, version)
        cached = cache_get(key, store=caches["pages"])
        if cached is not None:
            headers, content = cached
            return HttpResponse(content, headers=headers)
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if _is_shareable(request, response):
            headers = {name: response[name] for name in _PAGE_HEADERS if response.has_header(name)}
            cache_set(key, (headers, response.content), store=caches["pages"])
        return response

    return wrapped
