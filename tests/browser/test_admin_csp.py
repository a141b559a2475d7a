"""The admin works under the site's strict Content-Security-Policy: no page of it (the
location map, django-import-export, django-reversion, user accounts) has its scripts
or styles refused. Chromium reports every refusal as a console error."""

import reversion
from django.urls import reverse
from reversion.models import Version

from tests.support.factories import LocationFactory, UserFactory


def test_admin_pages_run_without_a_single_policy_violation(page, login, live_server, screenshot):
    with reversion.create_revision():
        location = LocationFactory()
    organization = location.organization
    version = Version.objects.get_for_object(organization).first()
    login(page, UserFactory(is_superuser=True))
    urls = [
        reverse("admin:index"),
        reverse("admin:directory_organization_changelist"),
        reverse("admin:directory_organization_add"),
        reverse("admin:directory_organization_change", args=[organization.pk]),
        reverse("admin:directory_organization_history", args=[organization.pk]),
        reverse("admin:directory_organization_revision", args=[organization.pk, version.pk]),
        reverse("admin:directory_organization_recoverlist"),
        reverse("admin:directory_organization_import"),
        reverse("admin:directory_organization_export"),
        reverse("admin:auth_user_add"),
        reverse("admin:axes_accessattempt_changelist"),
    ]
    for url in urls:
        response = page.goto(url)
        assert response.status == 200, url
        assert "content-security-policy" in response.headers
        assert page.errors == [], f"{url}: {page.errors}"
    page.goto(reverse("admin:directory_organization_change", args=[organization.pk]))
    assert page.locator(".location-map .leaflet-marker-icon").first.is_visible()
    screenshot(page, "admin-change-form-under-csp")


def test_the_export_pages_select_all_toggle_works_without_inline_script(page, login):
    LocationFactory()
    login(page, UserFactory(is_superuser=True))
    page.goto(reverse("admin:directory_organization_export"))
    fields = page.locator(".selectable-field-export-row input[type='checkbox']:visible")
    assert fields.count() > 3
    page.get_by_label("Select all").uncheck()
    assert all(not fields.nth(i).is_checked() for i in range(fields.count()))
    page.get_by_label("Select all").check()
    assert all(fields.nth(i).is_checked() for i in range(fields.count()))
    assert page.errors == []
