"""Root URLs. Public pages are language-prefixed (/es/, /zh-hans/, ...; English has no
prefix); health checks, the admin and the language switch are not, and data endpoints
answer at one address only (directory.core.languages.DATA_URL_NAMES)."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from directory.browse import languages
from solidarity import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path(settings.ADMIN_URL, admin.site.urls),
    path("i18n/setlang/", languages.set_language, name="set_language"),
    *i18n_patterns(
        path("jsi18n/", languages.javascript_catalog, name="javascript-catalog"),
        path("", include("directory.urls")),
        prefix_default_language=False,
    ),
]

handler400 = "solidarity.errors.bad_request"
handler403 = "solidarity.errors.permission_denied"
handler404 = "solidarity.errors.page_not_found"
handler500 = "solidarity.errors.server_error"
