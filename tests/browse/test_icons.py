"""The favicon, the icons phones use and the web app manifest."""

import json
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n"


def test_every_page_links_its_icons_and_manifest(client):
    text = client.get(reverse("directory:home")).content.decode()
    assert 'rel="icon" href="/static/directory/icons/icon.svg" type="image/svg+xml"' in text
    assert 'href="/static/directory/icons/favicon-32.png" type="image/png"' in text
    assert 'rel="apple-touch-icon" href="/static/directory/icons/apple-touch-icon.png"' in text
    assert 'rel="manifest" href="/manifest.webmanifest"' in text


def test_the_manifest_names_the_site_and_lists_icons_that_exist(client, settings):
    response = client.get(reverse("directory:web-manifest"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == settings.SITE_NAME
    assert manifest["start_url"] == "/"
    assert {"192x192", "512x512"} <= {icon["sizes"] for icon in manifest["icons"]}
    assert any(icon.get("purpose") == "maskable" for icon in manifest["icons"])
    for icon in manifest["icons"]:
        assert finders.find(icon["src"].removeprefix(settings.STATIC_URL)), icon["src"]


def test_favicon_ico_answers_with_the_png_icon_instead_of_a_404(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content.startswith(PNG)


@pytest.mark.parametrize(
    ("name", "size"),
    [
        ("favicon-32.png", 32),
        ("apple-touch-icon.png", 180),
        ("icon-192.png", 192),
        ("icon-512.png", 512),
        ("icon-maskable-512.png", 512),
    ],
)
def test_each_png_icon_has_its_size(name, size):
    data = Path(finders.find(f"directory/icons/{name}")).read_bytes()
    assert data.startswith(PNG)
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (size, size)
