"""Every XSS payload in tests/xss.py, stored in every text field, stays inert text on
every surface that exists: public pages and the admin. Add a surface as one entry in
SURFACES: how to fetch it, which checker reads it, which fields it must show."""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from directory.models import Organization
from tests.support.admin_forms import ADD_URL, new_organization_data
from tests.support.factories import (
    ChangeRequestFactory,
    LocationFactory,
    OrganizationFactory,
    UserFactory,
)
from tests.support.xss import CORPUS, Payload, check_html, marker, store_everywhere

pytestmark = pytest.mark.django_db

PUBLIC_FIELDS = ["name", "summary", "description", "phone", "email", "how_to_join", "eligibility"]
PUBLIC_LOCATION_FIELDS = ["label", "street_address", "city", "hours", "accessibility"]


@dataclass(frozen=True)
class Surface:
    fetch: Callable[[Client, Client, Organization, Payload], str]
    check: Callable[[str, Payload], list[str]]
    shows: tuple[str, ...]  # fields whose marker must be on the surface
    hides: tuple[str, ...] = ()  # fields that must never be there


def _moderation_review(admin: Client, organization: Organization, payload: Payload) -> str:
    """The review page of a suggested edit whose proposal and message are hostile."""
    request = ChangeRequestFactory(
        organization=organization,
        proposed={"summary": f"{marker('proposed_summary', payload)} {payload.text}"[:300]},
        message=f"{marker('message', payload)} {payload.text}",
        submitter_name=f"{marker('submitter_name', payload)} {payload.text}"[:100],
    )
    return _get(admin, reverse("admin:directory_changerequest_change", args=[request.pk]))


def _get(client: Client, url: str, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return response.content.decode()


SURFACES = {
    "home": Surface(
        lambda public, admin, org, payload: _get(public, reverse("directory:home")),
        check_html,
        shows=("name", "summary", "city"),
        hides=("internal_notes", "source"),
    ),
    "organization-list": Surface(
        lambda public, admin, org, payload: _get(public, reverse("directory:organization-list")),
        check_html,
        shows=("name", "summary", "city"),
        hides=("internal_notes", "source"),
    ),
    "search-results": Surface(
        lambda public, admin, org, payload: _get(
            public, reverse("directory:organization-list"), q=marker("name", payload)
        ),
        check_html,
        shows=("name",),
    ),
    "organization-detail": Surface(
        lambda public, admin, org, payload: _get(public, org.get_absolute_url()),
        check_html,
        shows=(*PUBLIC_FIELDS, *PUBLIC_LOCATION_FIELDS),
        hides=(
            "internal_notes",
            "internal_contact_name",
            "internal_contact_email",
            "internal_contact_phone",
            "source",
        ),
    ),
    "type-page": Surface(
        lambda public, admin, org, payload: _get(public, org.type.get_absolute_url()),
        check_html,
        shows=("name", "summary"),
    ),
    "suggest-edit-form": Surface(
        lambda public, admin, org, payload: _get(
            public, reverse("directory:suggest-edit", args=[org.slug])
        ),
        check_html,
        shows=("name",),
        hides=("internal_notes", "internal_contact_email", "source"),
    ),
    "admin-changelist": Surface(
        lambda public, admin, org, payload: _get(
            admin, reverse("admin:directory_organization_changelist")
        ),
        check_html,
        shows=("name",),
    ),
    "admin-change-form": Surface(
        lambda public, admin, org, payload: _get(
            admin, reverse("admin:directory_organization_change", args=[org.pk])
        ),
        check_html,
        shows=("name", "summary", "description", "internal_notes", "hours", "city"),
    ),
    "moderation-diff": Surface(
        lambda public, admin, org, payload: _moderation_review(admin, org, payload),
        check_html,
        shows=("summary", "proposed_summary", "message", "submitter_name"),
    ),
    "admin-history": Surface(
        lambda public, admin, org, payload: _get(
            admin, reverse("admin:directory_organization_history", args=[org.pk])
        ),
        check_html,
        shows=("name",),
    ),
}


@pytest.fixture
def hostile(request):
    """An organization with the payload in every text field, and the payload."""
    payload = request.param
    organization = OrganizationFactory()
    location = LocationFactory(organization=organization)
    store_everywhere(organization, location, payload)
    return organization, payload


@pytest.fixture
def admin_client(db):
    client = Client()
    client.force_login(UserFactory(organizer=True))
    return client


@pytest.mark.parametrize("surface", SURFACES)
@pytest.mark.parametrize("hostile", CORPUS, ids=[p.name for p in CORPUS], indirect=True)
def test_stored_hostile_text_is_inert_on_every_surface(hostile, surface, admin_client):
    organization, payload = hostile
    spec = SURFACES[surface]
    content = spec.fetch(Client(), admin_client, organization, payload)
    assert spec.check(content, payload) == []
    for field in spec.shows:
        assert marker(field, payload) in content, f"{field} is shown on {surface}"
    for field in spec.hides:
        assert marker(field, payload) not in content, f"{field} must not be on {surface}"


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<script>", "ftp://example.org"],
)
def test_website_fields_accept_only_http_addresses(organizer_client, url):
    response = organizer_client.post(ADD_URL, new_organization_data(website=url))
    assert response.status_code == 200
    assert "starting with http:// or https://" in response.content.decode()
    assert not Organization.objects.filter(slug="riverdale-bakers").exists()


LIVE_PAYLOADS = [payload for payload in CORPUS if payload.forbidden]


@pytest.mark.parametrize("payload", LIVE_PAYLOADS, ids=[p.name for p in LIVE_PAYLOADS])
def test_the_html_checker_catches_each_payload_left_unescaped(payload):
    page = f'<!doctype html><p title="{payload.text}">{payload.text}</p>'
    assert check_html(page, payload) != []


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", " java\tscript:alert(1)", "data:text/html,x"]
)
def test_the_html_checker_catches_script_urls_in_links(url):
    assert check_html(f'<a href="{url}">x</a>', CORPUS[0]) != []


def test_the_html_checker_catches_a_json_block_broken_out_of():
    page = '<script type="application/ld+json">{"name": "</script><script>alert(1)</script>"}'
    assert check_html(page, CORPUS[0]) != []
