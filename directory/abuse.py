"""Keeping spam and junk out of the public contribution forms.

- A honeypot field people never see and bots fill in.
- A minimum fill time, carried in a signed timestamp the form was served with.
- A per-address limit on submissions (directory.clients tells clients apart), counted
  in the shared Django cache. A failing cache never blocks a person: the limit is
  skipped and the failure logged.
- Plain text only: no HTML tags, no control characters, a few web addresses at most.
- A POST that is too large, binary, or not a form is refused with a 400 page.

The IP address is never stored: cache keys hold a keyed hash of it.
"""

import hashlib
import hmac
import logging
import re
import time
from functools import wraps

from django.conf import settings
from django.core import signing
from django.core.cache import caches
from django.core.exceptions import (
    BadRequest,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    ValidationError,
)
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory.clients import client_ip

logger = logging.getLogger(__name__)

HONEYPOT_FIELD = "homepage"
STARTED_FIELD = "started"
_STARTED_SALT = "directory.abuse.started"

# A "<" directly followed by a letter, "/", "!" or "?" starts a tag in HTML; "a < b"
# and "<3" do not, so they stay allowed.
_HTML_TAG = re.compile(r"<[a-zA-Z!?/]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd]")
_LINK = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
FORM_CONTENT_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}


# Field validators --------------------------------------------------------------------


def validate_plain_text(value: str) -> None:
    """No HTML tags and no control characters, in any text field."""
    if _HTML_TAG.search(value or ""):
        raise ValidationError(
            gettext_lazy(
                "Please write plain text, without HTML tags such as <b> or <a>. "
                "Remove the angle brackets < >."
            ),
            code="html",
        )
    if _CONTROL.search(value or ""):
        raise ValidationError(
            gettext_lazy("This contains characters that are not text. Please retype it."),
            code="control_characters",
        )


def validate_few_links(value: str) -> None:
    """At most CONTRIBUTION_MAX_LINKS web addresses in a free-text field."""
    limit = settings.CONTRIBUTION_MAX_LINKS
    count = len(_LINK.findall(value or ""))
    if count > limit:
        raise ValidationError(
            gettext_lazy(
                "Please include at most %(limit)d web addresses here (this has %(count)d)."
            ),
            code="too_many_links",
            params={"limit": limit, "count": count},
        )


# Fill time ----------------------------------------------------------------------------


def started_token(at: float | None = None) -> str:
    """A signed record of when the form was served."""
    return signing.dumps(round(time.time() if at is None else at, 3), salt=_STARTED_SALT)


def seconds_since_started(token: str) -> float | None:
    """How long ago the form was served, or None when the token is missing or forged."""
    try:
        started = float(signing.loads(token or "", salt=_STARTED_SALT))
    except (signing.BadSignature, TypeError, ValueError):
        return None
    return time.time() - started


# Rate limit ---------------------------------------------------------------------------


def _bucket_key(request, scope: str) -> str:
    window = settings.CONTRIBUTION_RATE_WINDOW_MINUTES * 60
    ip_hash = hmac.new(
        settings.SECRET_KEY.encode(), (client_ip(request) or "unknown").encode(), hashlib.sha256
    ).hexdigest()[:24]
    return f"contrib-rate:{scope}:{ip_hash}:{int(time.time() // window)}"


def _cache():
    return caches[settings.CONTRIBUTION_RATE_CACHE]


def is_rate_limited(request, *, scope: str = "suggest") -> bool:
    """True when this address has used up its submissions for the current window."""
    try:
        count = _cache().get(_bucket_key(request, scope), 0)
    except Exception:
        # A cache outage must not stop people contributing; moderation still applies.
        logger.warning("Rate-limit cache unavailable; not limiting", exc_info=True)
        return False
    return count >= settings.CONTRIBUTION_RATE_LIMIT


def count_submission(request, *, scope: str = "suggest") -> None:
    key = _bucket_key(request, scope)
    window = settings.CONTRIBUTION_RATE_WINDOW_MINUTES * 60
    try:
        cache = _cache()
        cache.add(key, 0, timeout=window + 60)
        cache.incr(key)
    except ValueError:
        # The key expired between add and incr: start the new window's count.
        logger.info("Rate-limit window rolled over while counting")
    except Exception:
        logger.warning("Rate-limit cache unavailable; submission not counted", exc_info=True)


# Unreadable POSTs ---------------------------------------------------------------------


def _bad_request(request, message: str):
    return render(request, "directory/suggest_bad_request.html", {"message": message}, status=400)


def _has_binary(request) -> bool:
    for _key, values in request.POST.lists():
        if any(_CONTROL.search(value) for value in values):
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
