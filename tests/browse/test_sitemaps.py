"""sitemap.xml lists published organizations and type pages, from SITE_URL, in files of
at most URLS_PER_FILE addresses, kept until the data changes
(directory/browse/sitemaps.py)."""

import re
import xml.etree.ElementTree as ElementTree

import pytest

from directory.browse import sitemaps
from tests.support.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

NAMESPACE = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def locations(text):
    return set(re.findall(r"<loc>(.*?)</loc>", text))


def fetch(client, path, **query):
    response = client.get(path, query)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    ElementTree.fromstring(response.content)  # noqa: S314 (the site's own document): well-formed
    return response.content.decode()


def test_the_index_points_to_each_section(client):
    text = fetch(client, "/sitemap.xml")
    assert locations(text) == {
        "http://testserver/sitemap-pages.xml",
        "http://testserver/sitemap-types.xml",
        "http://testserver/sitemap-organizations.xml",
    }
    root = ElementTree.fromstring(text)  # noqa: S314 (the site's own document)
    assert root.tag == f"{NAMESPACE}sitemapindex"


def test_sections_list_published_organizations_and_every_type_page(client):
    published = OrganizationFactory(slug="open-door")
    OrganizationFactory(slug="still-a-draft", status="draft")
    OrganizationFactory(slug="closed-down", status="archived")
    OrganizationFactory(slug="waiting", status="pending")
    organizations = locations(fetch(client, "/sitemap-organizations.xml"))
    assert organizations == {f"http://testserver{published.get_absolute_url()}"}
    types = locations(fetch(client, "/sitemap-types.xml"))
    assert "http://testserver/types/credit-union/" in types
    assert len(types) == 10
    pages = locations(fetch(client, "/sitemap-pages.xml"))
    assert pages == {"http://testserver/", "http://testserver/organizations/"}


def test_organization_entries_carry_the_last_change(client):
    organization = OrganizationFactory()
    text = fetch(client, "/sitemap-organizations.xml")
    assert f"<lastmod>{organization.updated_at.date().isoformat()}</lastmod>" in text
    assert f"<lastmod>{organization.updated_at.date().isoformat()}</lastmod>" in fetch(
        client, "/sitemap.xml"
    )


def test_addresses_come_from_site_url_not_the_requests_host(client, settings):
    # Before: <loc> followed whatever Host the request named.
    settings.SITE_URL = "https://directory.example.org"
    settings.ALLOWED_HOSTS = ["testserver", "mirror.example.net"]
    organization = OrganizationFactory()
    for path in ("/sitemap.xml", "/sitemap-organizations.xml"):
        response = client.get(path, headers={"host": "mirror.example.net"})
        found = locations(response.content.decode())
        assert found and all(url.startswith("https://directory.example.org/") for url in found)
    assert f"https://directory.example.org{organization.get_absolute_url()}" in found


def test_sections_are_split_into_files_and_the_index_lists_every_one(client, monkeypatch):
    # The protocol allows 50,000 addresses a file; here 2, to see the split.
    monkeypatch.setattr(sitemaps, "URLS_PER_FILE", 2)
    organizations = OrganizationFactory.create_batch(5)
    index = locations(fetch(client, "/sitemap.xml"))
    files = sorted(url for url in index if "organizations" in url)
    assert files == [
        "http://testserver/sitemap-organizations.xml",
        "http://testserver/sitemap-organizations.xml?p=2",
        "http://testserver/sitemap-organizations.xml?p=3",
    ]
    listed = []
    for page in ("1", "2", "3"):
        found = locations(fetch(client, "/sitemap-organizations.xml", p=page))
        assert 1 <= len(found) <= 2
        listed += found
    assert sorted(listed) == sorted(
        f"http://testserver{o.get_absolute_url()}" for o in organizations
    )


@pytest.mark.parametrize("page", ["4", "0", "-1", "abc", "\u00b2", "9" * 5000])
def test_a_page_that_does_not_exist_is_a_404(client, monkeypatch, page):
    monkeypatch.setattr(sitemaps, "URLS_PER_FILE", 2)
    OrganizationFactory.create_batch(5)
    assert client.get("/sitemap-organizations.xml", {"p": page}).status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_a_sitemap_is_built_once_per_data_version(client, django_assert_num_queries):
    # Before: every request queried (and at 10,000 listings took 1-2 s).
    first = OrganizationFactory()
    fetch(client, "/sitemap.xml")
    fetch(client, "/sitemap-organizations.xml")
    with django_assert_num_queries(0):
        fetch(client, "/sitemap.xml")
        text = fetch(client, "/sitemap-organizations.xml")
    assert locations(text) == {f"http://testserver{first.get_absolute_url()}"}

    second = OrganizationFactory()  # a change makes a new data version
    text = fetch(client, "/sitemap-organizations.xml")
    assert f"http://testserver{second.get_absolute_url()}" in locations(text)
