"""Keeping spam and junk out of the public contribution forms.

- A honeypot field people never see and bots fill in.
- A minimum fill time, carried in a signed timestamp the form was served with; the
  timestamp expires after CONTRIBUTION_FORM_HOURS and works for one post only.
- A per-address limit on form posts (directory.core.limits): every POST counts, whatever
  it answers. A failing store never blocks a person: the post is let through and the
  failure logged.
- Plain text only (directory.core.text) and readable POSTs only (directory.core.posts).
"""

import logging
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.core import signing

from directory.core import limits
from directory.core.clients import client_ip

logger = logging.getLogger(__name__)

HONEYPOT_FIELD = "homepage"
STARTED_FIELD = "started"
_STARTED_SALT = "directory.abuse.started"


# Fill time ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Started:
    seconds_ago: float
    nonce: str


def started_token(at: float | None = None) -> str:
    """A signed record of when the form was served, with a nonce so it works once."""
    served = round(time.time() if at is None else at, 3)
    return signing.dumps({"t": served, "n": secrets.token_urlsafe(12)}, salt=_STARTED_SALT)


def read_started(token: str) -> Started | None:
    """When the form was served, or None when the token is missing, forged or older
    than CONTRIBUTION_FORM_HOURS."""
    try:
        data = signing.loads(token or "", salt=_STARTED_SALT)
        started = Started(time.time() - float(data["t"]), str(data["n"]))
    except (signing.BadSignature, TypeError, ValueError, KeyError):
        return None
    return started if started.seconds_ago <= settings.CONTRIBUTION_FORM_HOURS * 3600 else None


def seconds_since_started(token: str) -> float | None:
    started = read_started(token)
    return started.seconds_ago if started else None


def use_started_token(started: Started) -> bool:
    """A form's token works once: False when it was already sent."""
    return limits.claim_once(
        "form-token", started.nonce, ttl=settings.CONTRIBUTION_FORM_HOURS * 3600
    )


# Rate limit ---------------------------------------------------------------------------


def _limit() -> dict:
    return {
        "limit": settings.CONTRIBUTION_RATE_LIMIT,
        "window": settings.CONTRIBUTION_RATE_WINDOW_MINUTES * 60,
    }


def is_rate_limited(request, *, scope: str = "suggest") -> bool:
    """True when this address has used up its submissions for the current window (for
    showing a warning with the form; a POST is checked by take_submission)."""
    return not limits.peek(f"contrib-{scope}", client_ip(request), **_limit()).allowed


def take_submission(request, *, scope: str = "suggest") -> bool:
    """Count one POST of the form, whatever it will answer, and say whether it may be
    handled: checked and counted in one atomic step, so parallel posts cannot slip
    past the limit together."""
    return limits.hit(f"contrib-{scope}", client_ip(request), **_limit()).allowed
