"""POST bodies a form view can read: anything too large, not a form, carrying files or
binary data is refused with a 400 page that says so, before the view runs."""

from functools import wraps

from django.conf import settings
from django.core.exceptions import (
    BadRequest,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
)
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.translation import gettext as _

from directory.core.text import CONTROL_CHARACTERS

FORM_CONTENT_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}


def _bad_request(request, message: str):
    return render(request, "directory/suggest_bad_request.html", {"message": message}, status=400)


def _has_binary(request) -> bool:
    for _key, values in request.POST.lists():
        if any(CONTROL_CHARACTERS.search(value) for value in values):
            return True
    return False


def refuse_unreadable_posts(view):
    """A POST that is too large, not a form, carries files or binary data gets a 400
    page that says so; the view only ever sees readable form data."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method != "POST":
            return view(request, *args, **kwargs)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.CONTRIBUTION_MAX_BODY_BYTES:
            return _bad_request(
                request,
                _("What you sent is too large (%(size)d kB; the limit is %(limit)d kB).")
                % {"size": length // 1024, "limit": settings.CONTRIBUTION_MAX_BODY_BYTES // 1024},
            )
        if request.content_type not in FORM_CONTENT_TYPES:
            return _bad_request(request, _("This address only accepts the form on its page."))
        try:
            if request.FILES:
                return _bad_request(request, _("This form does not take files."))
            if _has_binary(request):
                return _bad_request(
                    request, _("What you sent contains data that is not text, so it was refused.")
                )
        except (
            MultiPartParserError,
            RequestDataTooBig,
            TooManyFieldsSent,
            BadRequest,
            SuspiciousOperation,
            UnicodeDecodeError,
        ):
            return _bad_request(request, _("What you sent could not be read as a form."))
        return view(request, *args, **kwargs)

    return wrapped
