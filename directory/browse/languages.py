"""Choosing the interface language: the switch, the JavaScript catalogue, and the
alternate addresses of a page in every offered language (hreflang)."""

import functools
import hashlib
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import Resolver404, resolve, translate_url
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.views import i18n
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from directory.core import languages as core_languages
from directory.core.languages import DATA_URL_NAMES, DOMAINS, catalogue_path
from directory.core.links import absolute_url


# The switch is a form on every page. Without a CSRF token the pages stay the same for
# every visitor (so the page cache can keep them); the worst a forged post can do is
# change someone's interface language, which the switcher on every page changes back.
@csrf_exempt
@require_POST
def set_language(request):
    """Django's set_language, reading `next` in its own language: translate_url()
    resolves a path in the active language, and this request's (unprefixed) path
    would make /es/... unresolvable, so Spanish -> English would keep the /es/."""
    next_path = urlsplit(request.POST.get("next", "")).path
    current = translation.get_language_from_path(next_path) or settings.LANGUAGE_CODE
    with translation.override(current):
        return i18n.set_language(request)


_catalog_view = i18n.JavaScriptCatalog.as_view(domain="djangojs")


def javascript_catalog(request):
    """gettext() and friends for static/directory/*.js, in the page's language. The
    address carries the catalogues' version (base.html), so browsers may keep it."""
    response = _catalog_view(request)
    patch_cache_control(response, public=True, max_age=60 * 60 * 24 * 30)
    return response


@functools.cache
def catalogue_version() -> str:
    """A digest of the catalogues this process serves, for the catalogue's address."""
    digest = hashlib.sha256()
    for code, _name in settings.LANGUAGES:
        for domain in DOMAINS:
            compiled = catalogue_path(code, domain).with_suffix(".mo")
            if compiled.is_file():
                digest.update(compiled.read_bytes())
    return digest.hexdigest()[:10]


def _translatable(path: str) -> bool:
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return match.app_name == "directory" and match.url_name not in DATA_URL_NAMES


def alternates(full_path: str) -> list[tuple[str, str]]:
    """(hreflang, absolute URL) of a page in every offered language, then x-default
    (the unprefixed English page, which redirects a first visit by Accept-Language).
    Empty for anything that is not a translatable page (a 404, a data endpoint)."""
    path = urlsplit(full_path).path
    if not _translatable(path):
        return []
    links = [
        (code, absolute_url(translate_url(full_path, code)))
        for code in core_languages.complete_languages()
    ]
    default = translate_url(full_path, settings.LANGUAGE_CODE)
    return [*links, ("x-default", absolute_url(default))]


def switcher_choices(full_path: str) -> list[dict]:
    """The switcher's languages, each with the address of this page in it (the link
    the no-JavaScript form falls back to is the form post itself)."""
    return [
        language | {"url": translate_url(full_path, language["code"])}
        for language in core_languages.offered_languages()
    ]
