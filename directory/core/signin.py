"""Admin sign-in lockout (django-axes): per username on one address, and per address.

Two limits, both counted over AXES_COOLOFF_MINUTES:

- AXES_FAILURE_LIMIT (5) wrong passwords for one username from one address lock that
  username out from that address. The next person at a shared library computer can
  still sign in, and nobody elsewhere can lock an organizer out.
- AXES_ADDRESS_FAILURE_LIMIT (20) wrong passwords from one address, whatever the
  usernames, lock the whole address out: spraying a few passwords across many usernames
  stops there. It is four times the per-username limit, so a few people mistyping at
  one shared computer, or behind one office's address, are not locked out together,
  while a spray over 12 usernames is stopped in its second round.

django-axes compares one failure count with AXES_FAILURE_LIMIT; SignInLockoutHandler
gives it the per-address count on that scale, so each limit applies at its own number.
A successful sign-in clears that person's failures only, never the address's: signing
in with one's own account does not reset a spray from the same address.
"""

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum


class SignInLockoutHandler(AxesDatabaseHandler):
    """For AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]: the
    attempts of this username from this address, then of this address."""

    def get_failures(self, request, credentials=None) -> int:
        per_username, per_address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        username_limit = settings.AXES_FAILURE_LIMIT
        # Floor division: the scaled count reaches the username limit exactly when the
        # address's count reaches its own limit.
        scaled = per_address * username_limit // settings.AXES_ADDRESS_FAILURE_LIMIT
        # Read by the lockout page, to say what is paused: this account or this address.
        request.signin_address_locked = scaled >= username_limit > per_username
        return max(per_username, scaled)

    def reset_user_attempts(self, request, credentials=None) -> int:
        own_attempts = self.filter_user_attempts(request, credentials)[0]
        count, _ = own_attempts.delete()
        return count
