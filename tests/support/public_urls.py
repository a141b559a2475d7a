"""The public URLs that security, fault and hostile-input tests run over, in one place.

`PUBLIC_PAGES` lists each public surface once, as a name and a function that builds its
URL from sample data (`SampleData`, made with the factories). Pages added later (map
data, API, exports, embed, suggestions) are added here, and every test that iterates
`public_urls()` covers them. `url_patterns()` separately walks the URL resolver, so
the hostile-input test also reaches patterns nobody remembered to list.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from directory.models import Organization, OrganizationType


@dataclass(frozen=True)
class SampleData:
    organization: Organization
    organization_type: OrganizationType
    verification_token: str


def sample_data() -> SampleData:
    from directory.stewardship.verification import make_token
    from tests.support.factories import (
        LocationFactory,
        OrganizationFactory,
        VerificationRequestFactory,
    )

    organization = OrganizationFactory(
        name="Sample Bakers Cooperative",
        slug="sample-bakers",
        internal_contact_email="contact@example.org",
    )
    LocationFactory(organization=organization)
    verification = VerificationRequestFactory(organization=organization)
    return SampleData(
        organization=organization,
        organization_type=organization.type,
        verification_token=make_token(verification),
    )


PUBLIC_PAGES: dict[str, Callable[[SampleData], str]] = {
    "home": lambda sample: reverse("directory:home"),
    "organization-list": lambda sample: reverse("directory:organization-list"),
    "organization-list-filtered": lambda sample: (
        reverse("directory:organization-list") + "?state=DC&accepting=yes&q=bakers"
    ),
    "organization-detail": lambda sample: sample.organization.get_absolute_url(),
    "type-detail": lambda sample: sample.organization_type.get_absolute_url(),
    "results-partial": lambda sample: reverse("directory:results-partial") + "?state=DC",
    # Framed by partners: frame-ancestors * instead of 'none', everything else as strict.
    "embed": lambda sample: reverse("directory:embed") + "?type=worker-cooperative",
    "suggest": lambda sample: reverse("directory:suggest"),
    "suggest-thanks": lambda sample: reverse("directory:suggest-thanks"),
    "suggest-edit": lambda sample: reverse(
        "directory:suggest-edit", args=[sample.organization.slug]
    ),
    "suggest-edit-thanks": lambda sample: reverse(
        "directory:suggest-edit-thanks", args=[sample.organization.slug]
    ),
    "verify": lambda sample: reverse(
        "directory:verify", args=[sample.organization.slug, sample.verification_token]
    ),
    "admin-login": lambda sample: reverse("admin:login"),
    "api-docs": lambda sample: reverse("directory:api-docs"),
    "print-sheet": lambda sample: reverse("directory:print-sheet") + "?state=DC",
    "design": lambda sample: reverse("directory:design"),
}

# Responses that are not HTML documents (data, health checks): headers are checked the
# same way; SRI does not apply.
PUBLIC_ENDPOINTS: dict[str, Callable[[SampleData], str]] = {
    "map-data": lambda sample: reverse("directory:location-map-data"),
    "map-data-bbox": lambda sample: (
        reverse("directory:location-map-data") + "?bbox=-77.2,38.8,-76.9,39.0"
    ),
    "sitemap": lambda sample: reverse("directory:sitemap"),
    "sitemap-section": lambda sample: reverse(
        "directory:sitemap-section", kwargs={"section": "organizations"}
    ),
    "robots": lambda sample: reverse("directory:robots-txt"),
    "web-manifest": lambda sample: reverse("directory:web-manifest"),
    "favicon": lambda sample: reverse("directory:favicon"),
    "api-organizations": lambda sample: (
        reverse("directory:api-organization-list") + "?state=DC&page_size=5"
    ),
    "api-organization": lambda sample: reverse(
        "directory:api-organization-detail", args=[sample.organization.slug]
    ),
    "api-geojson": lambda sample: reverse("directory:api-organization-geojson") + "?state=DC",
    "export-csv": lambda sample: reverse("directory:export-organizations-csv") + "?state=DC",
    "api-schema": lambda sample: reverse("directory:api-schema"),
    "datapackage": lambda sample: reverse("directory:export-datapackage"),
    "murmurations-list": lambda sample: reverse("directory:murmurations-list"),
    "murmurations-profile": lambda sample: reverse(
        "directory:murmurations-profile", args=[sample.organization.slug]
    ),
    "javascript-catalog": lambda sample: reverse("javascript-catalog"),
    "healthz": lambda sample: reverse("healthz"),
    "readyz": lambda sample: reverse("readyz"),
}


def public_urls(sample: SampleData, *, include_endpoints: bool = True) -> dict[str, str]:
    pages = {**PUBLIC_PAGES, **(PUBLIC_ENDPOINTS if include_endpoints else {})}
    return {name: build(sample) for name, build in pages.items()}


def url_patterns() -> list[str]:
    """Every route of the site outside the admin, as Django's route strings
    (for example "organizations/<slug:slug>/")."""
    routes = []

    def walk(patterns, prefix=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                if route == settings.ADMIN_URL:
                    continue
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                routes.append(route)

    walk(get_resolver().url_patterns)
    return routes
