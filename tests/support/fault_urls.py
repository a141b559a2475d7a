"""A test URLconf: the site's URLs plus views that fail the ways real code can."""

from django.db import OperationalError
from django.urls import path

from solidarity.urls import urlpatterns as site_urlpatterns


def broken_view(request):
    raise RuntimeError("a bug in a view")


def database_gone_view(request):
    raise OperationalError("connection to server at 127.0.0.1, port 5432 failed")


urlpatterns = [
    path("test-broken/", broken_view),
    path("test-database-gone/", database_gone_view),
    *site_urlpatterns,
]

handler400 = "solidarity.errors.bad_request"
handler403 = "solidarity.errors.permission_denied"
handler404 = "solidarity.errors.page_not_found"
handler500 = "solidarity.errors.server_error"
