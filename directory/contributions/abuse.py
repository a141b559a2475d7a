"""Keeping spam and junk out of the public contribution forms.

- A honeypot field people never see and bots fill in.
- A minimum fill time, carried in a signed timestamp the form was served with.
- A per-address limit on submissions (directory.core.clients tells clients apart), counted
  in the shared Django cache. A failing cache never blocks a person: the limit is
  skipped and the failure logged.
- Plain text only (directory.core.text) and readable POSTs only (directory.core.posts).

The IP address is never stored: cache keys hold a keyed hash of it.
"""

import hashlib
import hmac
import logging
import time

from django.conf import settings
from django.core import signing
from django.core.cache import caches

from directory.core.clients import client_ip

logger = logging.getLogger(__name__)

HONEYPOT_FIELD = "homepage"
STARTED_FIELD = "started"
_STARTED_SALT = "directory.abuse.started"


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
