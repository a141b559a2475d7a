"""sitemap.xml: the map and list pages, each published organization and each type page."""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from directory.models import Organization, OrganizationType


class _SiteSitemap(Sitemap):
    @property
    def protocol(self):
        return "https" if settings.SITE_URL.startswith("https://") else None


class PageSitemap(_SiteSitemap):
    changefreq = "daily"
    priority = 1.0

    def items(self):
        return ["directory:home", "directory:organization-list"]

    def location(self, item):
        return reverse(item)


class OrganizationTypeSitemap(_SiteSitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return OrganizationType.objects.order_by("sort_order", "pk")


class OrganizationSitemap(_SiteSitemap):
    changefreq = "weekly"
    priority = 0.6
    limit = 10_000

    def items(self):
        return Organization.objects.published().order_by("pk").only("slug", "updated_at")

    def lastmod(self, organization):
        return organization.updated_at


SITEMAPS = {
    "pages": PageSitemap,
    "types": OrganizationTypeSitemap,
    "organizations": OrganizationSitemap,
}
