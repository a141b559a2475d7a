from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from solidarity import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path(settings.ADMIN_URL, admin.site.urls),
    path("", include("directory.urls")),
]

handler400 = "solidarity.errors.bad_request"
handler403 = "solidarity.errors.permission_denied"
handler404 = "solidarity.errors.page_not_found"
handler500 = "solidarity.errors.server_error"
