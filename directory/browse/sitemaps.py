"""sitemap.xml: the map and list pages, each type page and each published organization.

Every address is built from SITE_URL, never from the request's Host. Each document is
kept per data version (directory.core.cache.cached_public_data): after the first
request that follows a change, every request reads the finished bytes back. Sections
are split into files as the Sitemaps protocol requires (at most 50,000 addresses and
50 MB each; an address here takes under 200 bytes), and the index lists every file.
Only existing pages are built or kept: a page number past the end is a 404.

Each address lists its alternates in every offered language (xhtml:link hreflang, and
x-default for the unprefixed English page): page paths differ only by the language
prefix, so no row needs a reverse() per language.
"""

import math
import re
from collections.abc import Iterator
from datetime import datetime
from xml.sax.saxutils import escape

from django.conf import settings
from django.db.models import Max
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from directory.core import languages, links
from directory.core.cache import cached_public_data
from directory.models import Organization, OrganizationType

URLS_PER_FILE = 50_000
_PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,5}")
_XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
_NAMESPACE = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
_XHTML_NAMESPACE = 'xmlns:xhtml="http://www.w3.org/1999/xhtml"'


class Section:
    """One group of addresses: how many there are, when they last changed, and one
    file's worth of (path, last change) pairs."""

    changefreq = "weekly"
    priority = "0.5"

    def count(self) -> int:
        raise NotImplementedError

    def lastmod(self) -> datetime | None:
        return None

    def entries(self, offset: int, limit: int) -> Iterator[tuple[str, datetime | None]]:
        raise NotImplementedError


class PageSection(Section):
    changefreq = "daily"
    priority = "1.0"
    names = ["directory:home", "directory:organization-list"]

    def count(self) -> int:
        return len(self.names)

    def entries(self, offset, limit):
        for name in self.names[offset : offset + limit]:
            yield reverse(name), None


class TypeSection(Section):
    priority = "0.8"

    def count(self) -> int:
        return OrganizationType.objects.count()

    def entries(self, offset, limit):
        slugs = OrganizationType.objects.order_by("sort_order", "pk").values_list("slug", flat=True)
        for slug in slugs[offset : offset + limit]:
            yield reverse("directory:type-detail", args=[slug]), None


class OrganizationSection(Section):
    priority = "0.6"

    def count(self) -> int:
        return Organization.objects.published().count()

    def lastmod(self):
        return Organization.objects.published().aggregate(latest=Max("updated_at"))["latest"]

    def entries(self, offset, limit):
        # One reverse() for all: at 50,000 addresses a file, one per row costs seconds.
        before, after = links.slug_path_parts("directory:organization-detail")
        rows = (
            Organization.objects.published()
            .order_by("pk")
            .values_list("slug", "updated_at")[offset : offset + limit]
        )
        for slug, updated_at in rows.iterator(chunk_size=5000):
            yield f"{before}{slug}{after}", updated_at


SECTIONS = {
    "pages": PageSection(),
    "types": TypeSection(),
    "organizations": OrganizationSection(),
}


def _date(moment: datetime | None) -> str:
    return f"<lastmod>{moment.date().isoformat()}</lastmod>" if moment else ""


def _pages(name: str, site: str) -> int:
    """How many files a section takes (one even when it is empty), per data version."""
    count = cached_public_data(f"sitemap-count-{name}", {"site": site}, SECTIONS[name].count)
    return max(1, math.ceil(count / URLS_PER_FILE))


def _file_url(site: str, name: str, page: int) -> str:
    path = reverse("directory:sitemap-section", args=[name])
    return f"{site}{path}" + (f"?p={page}" if page > 1 else "")


def _build_index(site: str) -> bytes:
    parts = [_XML_HEAD, f"<sitemapindex {_NAMESPACE}>\n"]
    for name, section in SECTIONS.items():
        lastmod = _date(section.lastmod())
        for page in range(1, _pages(name, site) + 1):
            location = escape(_file_url(site, name, page))
            parts.append(f"<sitemap><loc>{location}</loc>{lastmod}</sitemap>\n")
    parts.append("</sitemapindex>\n")
    return "".join(parts).encode()


def _alternates(site: str, path: str, offered: tuple[str, ...]) -> str:
    """xhtml:link alternates of an (unprefixed, English) page path; none when English
    is the only language offered."""
    if len(offered) < 2:
        return ""
    links_ = [
        (code, path if code == settings.LANGUAGE_CODE else f"/{code}{path}") for code in offered
    ]
    links_.append(("x-default", path))
    return "".join(
        f'<xhtml:link rel="alternate" hreflang="{code}" href="{escape(site + href)}"/>'
        for code, href in links_
    )


def _build_file(site: str, name: str, page: int) -> bytes:
    section = SECTIONS[name]
    tail = f"<changefreq>{section.changefreq}</changefreq><priority>{section.priority}</priority>"
    offered = languages.complete_languages()
    parts = [_XML_HEAD, f"<urlset {_NAMESPACE} {_XHTML_NAMESPACE}>\n"]
    for path, lastmod in section.entries((page - 1) * URLS_PER_FILE, URLS_PER_FILE):
        parts.append(
            f"<url><loc>{escape(site + path)}</loc>{_alternates(site, path, offered)}"
            f"{_date(lastmod)}{tail}</url>\n"
        )
    parts.append("</urlset>\n")
    return "".join(parts).encode()


def _xml(body: bytes) -> HttpResponse:
    response = HttpResponse(body, content_type="application/xml")
    response["X-Robots-Tag"] = "noindex, noodp, noarchive"  # the file itself is no page
    return response


@require_GET
def sitemap_index(request):
    site = links.site_url(request)
    return _xml(cached_public_data("sitemap-index", {"site": site}, lambda: _build_index(site)))


@require_GET
def sitemap_section(request, section):
    if section not in SECTIONS:
        raise Http404("No such sitemap.")
    site = links.site_url(request)
    page = request.GET.get("p", "1")
    if not _PAGE_NUMBER.fullmatch(page) or int(page) > _pages(section, site):
        raise Http404("No such sitemap page.")
    page = int(page)
    body = cached_public_data(
        f"sitemap-{section}",
        {"site": site, "p": page, "languages": ",".join(languages.complete_languages())},
        lambda: _build_file(site, section, page),
    )
    return _xml(body)
