"""Who is asking: the client's address, told apart the same way by every limit and log.

The contribution rate limit, the API and export throttles, the admin sign-in lockout
(django-axes) and gunicorn's request log all call this module, configured by one
setting, TRUSTED_PROXIES: how many reverse proxies stand in front of the app.

With none, the connection's address (REMOTE_ADDR) is the client. Behind proxies every
connection comes from the nearest proxy, and each proxy appends to X-Forwarded-For the
address it received the request from. So the outermost proxy's entry, the N-th from
the right behind N proxies, is the client. Entries to its left came from the client
and prove nothing; a header with fewer entries than proxies, or an entry that is not an
address, did not come from the proxies, and REMOTE_ADDR is used instead.
"""

import ipaddress
from collections.abc import Mapping

from django.conf import settings
from django.http import HttpRequest


def client_ip_from_meta(meta: Mapping[str, str], *, trusted_proxies: int) -> str:
    """The client's address from a WSGI environ or request.META ("" when unknown)."""
    remote_addr = meta.get("REMOTE_ADDR", "") or ""
    if trusted_proxies <= 0:
        return remote_addr
    entries = (meta.get("HTTP_X_FORWARDED_FOR") or "").split(",")
    if len(entries) < trusted_proxies:
        return remote_addr
    try:
        return str(ipaddress.ip_address(entries[-trusted_proxies].strip()))
    except ValueError:
        return remote_addr


def client_ip(request: HttpRequest) -> str:
    """The address of the client that sent `request`, per TRUSTED_PROXIES."""
    return client_ip_from_meta(request.META, trusted_proxies=settings.TRUSTED_PROXIES)
