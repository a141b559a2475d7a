"""sitemap.xml lists published organizations and type pages (directory/sitemaps.py)."""

import re

import pytest

from tests.support.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def locations(text):
    return set(re.findall(r"<loc>(.*?)</loc>", text))


def test_the_index_points_to_each_section(client):
    text = client.get("/sitemap.xml").content.decode()
    assert locations(text) == {
        "http://testserver/sitemap-pages.xml",
        "http://testserver/sitemap-types.xml",
        "http://testserver/sitemap-organizations.xml",
    }


def test_sections_list_published_organizations_and_every_type_page(client):
    published = OrganizationFactory(slug="open-door")
    OrganizationFactory(slug="still-a-draft", status="draft")
    OrganizationFactory(slug="closed-down", status="archived")
    organizations = locations(client.get("/sitemap-organizations.xml").content.decode())
    assert organizations == {f"http://testserver{published.get_absolute_url()}"}
    types = locations(client.get("/sitemap-types.xml").content.decode())
    assert "http://testserver/types/credit-union/" in types
    assert len(types) == 10
    pages = locations(client.get("/sitemap-pages.xml").content.decode())
    assert pages == {"http://testserver/", "http://testserver/organizations/"}


def test_organization_entries_carry_the_last_change(client):
    OrganizationFactory()
    assert "<lastmod>" in client.get("/sitemap-organizations.xml").content.decode()
