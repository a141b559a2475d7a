"""Registering the directory's Murmurations profiles with an index.

The index (MURMURATIONS_INDEX_URL, for example https://index.murmurations.network/v2;
empty turns registration off) is told each published profile's address with
`POST {index}/nodes` and fetches and validates the profile itself. A profile that is no
longer published (an archived listing, the old address of a merged one) answers 404,
and `DELETE {index}/nodes/{node_id}` withdraws it; the node id is the SHA-256 of the
profile's address, as the index computes it. Run daily: every run re-registers, which
makes the index fetch each profile again and so see its changes.
"""

import hashlib
import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass, field

from django.conf import settings

from directory.core.links import slug_url_parts
from directory.models import Organization, OrganizationStatus, SlugRedirect

logger = logging.getLogger(__name__)
TIMEOUT = 20


@dataclass
class Summary:
    registered: list[str] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)


def node_id(profile_url: str) -> str:
    return hashlib.sha256(profile_url.encode()).hexdigest()


def profile_url_parts() -> tuple[str, str]:
    """The text before and after the slug in a profile's address, from SITE_URL."""
    return slug_url_parts("directory:murmurations-profile")


def published_profiles() -> list[str]:
    before, after = profile_url_parts()
    slugs = Organization.objects.published().order_by("slug").values_list("slug", flat=True)
    return [f"{before}{slug}{after}" for slug in slugs]


def withdrawn_profiles() -> list[str]:
    """Addresses that may have been registered and no longer hold a profile: archived
    listings, and old addresses left by merges."""
    before, after = profile_url_parts()
    published = set(Organization.objects.published().values_list("slug", flat=True))
    archived = Organization.objects.filter(status=OrganizationStatus.ARCHIVED).values_list(
        "slug", flat=True
    )
    merged = SlugRedirect.objects.values_list("old_slug", flat=True)
    slugs = sorted({*archived, *merged} - published)
    return [f"{before}{slug}{after}" for slug in slugs]


def _send(method: str, url: str, body: dict | None = None) -> int:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(  # noqa: S310 (the operator's configured https index)
        url, data=data, method=method, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def synchronize(*, index_url: str, dry_run: bool = False) -> Summary:
    """Register every published profile and withdraw the others. A failure is logged
    and counted; the rest go on (the next run tries again)."""
    index = index_url.rstrip("/")
    summary = Summary()
    for url in published_profiles():
        try:
            status = 200 if dry_run else _send("POST", f"{index}/nodes", {"profile_url": url})
        except OSError as error:
            status, reason = None, str(error)
        else:
            reason = f"HTTP {status}"
        if status is not None and 200 <= status < 300:
            summary.registered.append(url)
        else:
            logger.warning("Murmurations index refused %s: %s", url, reason)
            summary.failed.append((url, reason))
    for url in withdrawn_profiles():
        try:
            status = 200 if dry_run else _send("DELETE", f"{index}/nodes/{node_id(url)}")
        except OSError as error:
            logger.warning("Murmurations index unreachable withdrawing %s: %s", url, error)
            summary.failed.append((url, str(error)))
            continue
        # 404: the index never had it, which is as good.
        if 200 <= status < 300 or status == 404:
            summary.withdrawn.append(url)
        else:
            logger.warning("Murmurations index kept %s: HTTP %s", url, status)
            summary.failed.append((url, f"HTTP {status}"))
    return summary


def configured_index() -> str:
    return settings.MURMURATIONS_INDEX_URL
