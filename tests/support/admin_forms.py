"""Organization admin form data, as the add page posts it."""

from django.urls import reverse

from directory.models import OrganizationType

ADD_URL = reverse("admin:directory_organization_add")


def new_organization_data(**overrides):
    data = {
        "name": "Riverdale Bakers Cooperative",
        "slug": "riverdale-bakers",
        "type": str(OrganizationType.objects.get(slug="worker-cooperative").pk),
        "status": "draft",
        "summary": "A worker-owned bakery.",
        "description": "",
        "website": "https://example.org/riverdale",
        "email": "",
        "phone": "(301) 555-0100",
        "accepting_members": "yes",
        "membership_model": "workers",
        "locations-TOTAL_FORMS": "1",
        "locations-INITIAL_FORMS": "0",
        "locations-MIN_NUM_FORMS": "0",
        "locations-MAX_NUM_FORMS": "1000",
        "locations-0-label": "Bakery",
        "locations-0-is_primary": "on",
        "locations-0-street_address": "6200 Baltimore Ave",
        "locations-0-city": "",
        "locations-0-state": "MD",
        "locations-0-zip_code": "20737",
        "locations-0-latitude": "",
        "locations-0-longitude": "",
        "locations-0-point_source": "",
        "locations-0-precision": "exact",
        "social_links-TOTAL_FORMS": "0",
        "social_links-INITIAL_FORMS": "0",
        "social_links-MIN_NUM_FORMS": "0",
        "social_links-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data
