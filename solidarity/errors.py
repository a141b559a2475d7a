"""Error pages in the site's design that never need the database or the request.

They render base.html with the site's settings only (no context processors), so a page
still appears when the database, the session or a context processor is what failed;
and if even that cannot render, a plain built-in page does. A database that cannot be
reached is a 503 with Retry-After, and the site recovers by itself when it returns:
Django opens a fresh connection for the next request.
"""

import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from directory.core.context_processors import site

logger = logging.getLogger(__name__)

FALLBACK_PAGE = (
    "<!doctype html><html lang=en><meta charset=utf-8><title>{title}</title>"
    "<h1>{title}</h1><p>{text}</p></html>"
)


def render_error_page(template_name: str, *, status: int, context: dict | None = None):
    try:
        body = render_to_string(template_name, {**site(None), **(context or {})})
    except Exception:
        logger.exception("The error page %s could not be rendered", template_name)
        body = FALLBACK_PAGE.format(
            title=_("Something went wrong"),
            text=_("Please try again in a few minutes."),
        )
    response = HttpResponse(body, status=status, content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


def bad_request(request, exception=None):
    return render_error_page("400.html", status=400)


def permission_denied(request, exception=None):
    return render_error_page("403.html", status=403)


def csrf_failure(request, reason=""):
    return render_error_page("403.html", status=403, context={"csrf_failed": True})


def page_not_found(request, exception=None):
    return render_error_page("404.html", status=404)


def service_unavailable():
    response = render_error_page("503.html", status=503)
    response["Retry-After"] = str(settings.DATABASE_RETRY_AFTER)
    return response


def server_error(request):
    # Django calls this while it handles the uncaught exception, wherever it was raised
    # (a view, a template, a middleware), so the exception can still be looked at here.
    if isinstance(sys.exception(), OperationalError | InterfaceError):
        logger.warning("Database unavailable while serving %s", request.path)
        return service_unavailable()
    return render_error_page("500.html", status=500)
