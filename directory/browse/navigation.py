"""Links out of a detail page: back to the results it was opened from, and directions
to a public street address.

The way back comes from a `from` parameter (the results page's path and query string)
that the page accepts only as a path on this site naming a results page: never another
host, never a scheme, so it cannot send a visitor elsewhere. Without it the page links
to the list, and its script upgrades the link from the Referer when that is one of
this site's results pages (done in the browser, so the cached page stays the same for
everyone).
"""

from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from django.urls import Resolver404, resolve, reverse

from directory.listings.privacy import PublicPlace

# Pages that show results, and so are somewhere to go back to.
RESULTS_PAGES = {"directory:home", "directory:organization-list", "directory:type-detail"}
MAX_FROM_LENGTH = 2000
DIRECTIONS_URL = "https://www.google.com/maps/dir/?"


@dataclass(frozen=True)
class BackLink:
    url: str
    # False when the page could not tell where the visitor came from.
    is_from_results: bool

    @property
    def results_paths(self) -> list[str]:
        """Paths of the results pages, for the script that reads the Referer."""
        return [reverse("directory:home"), reverse("directory:organization-list")]

    @property
    def type_prefix(self) -> str:
        """What every type page's path begins with."""
        return reverse("directory:type-detail", args=["TYPE"]).partition("TYPE")[0]


def results_path(value: str) -> str | None:
    """`value` when it is a path and query on this site that shows results, else None."""
    if not value or len(value) > MAX_FROM_LENGTH or not value.startswith("/"):
        return None
    parts = urlsplit(value)
    # "//host" and "/\host" are read by browsers as another host.
    if parts.scheme or parts.netloc or value.startswith(("//", "/\\")) or "\\" in parts.path:
        return None
    if any(ord(character) < 32 for character in value):
        return None
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    if match.view_name not in RESULTS_PAGES:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def back_to_results(request) -> BackLink:
    """Where "Back to results" leads from a detail page."""
    path = results_path(request.GET.get("from", ""))
    if path:
        return BackLink(url=path, is_from_results=True)
    return BackLink(url=reverse("directory:organization-list"), is_from_results=False)


def directions_url(place: PublicPlace) -> str | None:
    """A directions link for a location the public may see the street address of;
    None for approximate and hidden locations, whose address must not leave the site."""
    if not place.shows_address or not place.street_address:
        return None
    destination = ", ".join(
        part
        for part in (place.street_address, place.city, f"{place.state} {place.zip_code}".strip())
        if part
    )
    return DIRECTIONS_URL + urlencode({"api": "1", "destination": destination})
