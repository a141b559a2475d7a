"""Response headers that depend on the view, and the interface language's redirects.

The site-wide Content-Security-Policy forbids framing (`frame-ancestors 'none'`). A
view that partners may put in an iframe (the `/embed/` map) is marked with Django's
`@xframe_options_exempt`, which already drops X-Frame-Options; here the same mark
opens `frame-ancestors` to every site, so the two headers can never disagree.
"""

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import Http404, HttpResponseRedirect
from django.urls import Resolver404, resolve, translate_url
from django.utils import translation
from django.utils.cache import patch_vary_headers

from directory.core.languages import DATA_URL_NAMES, preferred_language

FRAMEABLE_BY_ANY_SITE = {"frame-ancestors": ["*"]}


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if getattr(response, "xframe_options_exempt", False):
            parts.replace = {**(parts.replace or {}), **FRAMEABLE_BY_ANY_SITE}
        return parts


class LanguageMiddleware:
    """Language choices around Django's LocaleMiddleware (placed after it).

    - A first visit (no language cookie) to an unprefixed page, from a browser whose
      Accept-Language asks first for another complete language, is redirected to that
      language's page (/ -> /es/), query string kept. Data endpoints never redirect.
    - An unprefixed page may thus answer differently by Accept-Language and Cookie, and
      says so (Vary), so that no shared cache serves the English page to everyone.
    - A data endpoint has one address: its language-prefixed twin is a 404.
    - The admin is in English: organizers edit the original texts there, and each
      translation as a field of its own, so no interface language decides which
      column a text is written to.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith("/" + settings.ADMIN_URL):
            translation.activate(settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = settings.LANGUAGE_CODE
            return self.get_response(request)
        unprefixed = translation.get_language_from_path(request.path_info) is None
        redirect = self._first_visit_redirect(request) if unprefixed else None
        response = redirect or self.get_response(request)
        if unprefixed and _is_page(request):
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if _is_data(request) and translation.get_language_from_path(request.path_info):
            raise Http404

    def _first_visit_redirect(self, request):
        if (
            request.method not in ("GET", "HEAD")
            or settings.LANGUAGE_COOKIE_NAME in request.COOKIES
            or not _is_page(request)
        ):
            return None
        code = preferred_language(request.headers.get("Accept-Language", ""))
        if code is None or code == settings.LANGUAGE_CODE:
            return None
        target = translate_url(request.get_full_path(), code)
        if target == request.get_full_path():
            return None
        return HttpResponseRedirect(target)


def _match(request):
    match = getattr(request, "resolver_match", None)
    if match is None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
    return match


def _is_page(request) -> bool:
    """A public page of the directory (language-prefixed when not in English)."""
    match = _match(request)
    return match is not None and match.app_name == "directory" and not _is_data(request)


def _is_data(request) -> bool:
    match = _match(request)
    return match is not None and match.app_name == "directory" and match.url_name in DATA_URL_NAMES
