"""Static files in production: hashed, compressed names that WhiteNoise serves with
long caching, and every public page renders with them (a missing file would be a 500
only in production, where the manifest is strict)."""

import pytest
from django.templatetags.static import static
from django.test import Client, override_settings

from tests.support.public_urls import public_urls, sample_data

pytestmark = pytest.mark.django_db

MANIFEST_STORAGE = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


@pytest.fixture
def production_static(collected_static):
    with override_settings(
        STATIC_ROOT=collected_static, STORAGES=MANIFEST_STORAGE, WHITENOISE_AUTOREFRESH=False
    ):
        yield collected_static


def test_collectstatic_writes_hashed_and_compressed_files(collected_static):
    css = list((collected_static / "directory").glob("site.*.css"))
    assert css, "site.css has a content-hashed copy"
    assert css[0].with_name(css[0].name + ".gz").exists()
    assert css[0].with_name(css[0].name + ".br").exists()
    assert (collected_static / "staticfiles.json").exists()


def test_whitenoise_serves_hashed_files_compressed_and_cached_for_a_year(production_static):
    url = static("directory/site.css")
    assert url != "/static/directory/site.css", "the URL names the hashed file"
    response = Client().get(url, headers={"accept-encoding": "gzip, br"})
    assert response.status_code == 200
    assert response["Content-Encoding"] == "br"
    assert "immutable" in response["Cache-Control"]
    assert "max-age=315360000" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_every_public_page_renders_with_the_hashed_static_files(production_static):
    client = Client()
    for url in public_urls(sample_data()).values():
        response = client.get(url)
        assert response.status_code == 200, url
    text = client.get("/").content.decode()
    assert static("directory/site.css") in text
