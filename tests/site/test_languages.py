"""Interface languages as a visitor meets them: prefixed pages in each language with
the right <html lang> and dir, the first-visit redirect, the switcher, hreflang
alternates in pages and the sitemap, one address per data endpoint, the page cache per
language, the JavaScript catalogue, and listing text that falls back to English."""

import json
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from directory.core import languages
from tests.support.factories import LocationFactory, OrganizationFactory
from tests.support.languages import english_attributes_left, english_left, offer

pytestmark = pytest.mark.django_db

CODES = [code for code, _name in settings.LANGUAGES]


def prefixed(code: str, path: str) -> str:
    return path if code == settings.LANGUAGE_CODE else f"/{code}{path}"


@pytest.fixture
def listing(db):
    organization = OrganizationFactory(
        name="Anacostia Makers",
        slug="anacostia-makers",
        summary="Furniture makers who own their workshop.",
        how_to_join="Come to a Tuesday open shop.",
    )
    LocationFactory(organization=organization)
    return organization


def pages(listing) -> dict[str, str]:
    with translation.override("en"):
        return {
            "home": reverse("directory:home"),
            "list": reverse("directory:organization-list"),
            "detail": listing.get_absolute_url(),
            "type": listing.type.get_absolute_url(),
            "suggest": reverse("directory:suggest"),
            "api": reverse("directory:api-docs"),
        }


def html_tag(html: str) -> str:
    return re.search(r"<html[^>]*>", html).group(0)


@pytest.mark.parametrize("code", CODES)
def test_every_page_says_its_language_and_direction(client, listing, code):
    for name, path in pages(listing).items():
        response = client.get(prefixed(code, path))
        assert response.status_code == 200, name
        assert html_tag(response.content.decode()) == f'<html lang="{code}" dir="ltr">', name
        assert response["Content-Language"] == code, name
    missing = client.get(prefixed(code, "/no-such-page/"))
    assert missing.status_code == 404
    assert html_tag(missing.content.decode()) == f'<html lang="{code}" dir="ltr">'


@pytest.mark.parametrize("code", [code for code in languages.SHIPPED if code != "en"])
def test_a_shipped_language_leaves_no_english_sentence_on_its_pages(client, listing, code):
    for name, path in pages(listing).items():
        html = client.get(prefixed(code, path)).content.decode()
        assert english_left(html) == [], name
    invalid = client.post(prefixed(code, pages(listing)["suggest"]), {"name": ""})
    assert english_left(invalid.content.decode()) == []
    assert english_left(client.get(prefixed(code, "/no-such-page/")).content.decode()) == []


@pytest.mark.parametrize("code", [code for code in languages.SHIPPED if code != "en"])
def test_no_english_label_is_left_in_the_attributes_people_hear(client, listing, code):
    """aria-label, title, placeholder and alt: a screen reader speaks them and a
    tooltip shows them, so a short English label ("Main", "Close") counts as well."""
    for name, path in pages(listing).items():
        html = client.get(prefixed(code, path)).content.decode()
        assert english_attributes_left(html, code) == [], name
    invalid = client.post(prefixed(code, pages(listing)["suggest"]), {"name": ""})
    assert english_attributes_left(invalid.content.decode(), code) == []
    missing = client.get(prefixed(code, "/no-such-page/")).content.decode()
    assert english_attributes_left(missing, code) == []


def test_the_attribute_check_finds_an_english_label():
    """The check above is not vacuous: an English aria-label of the interface is found,
    and one inside an element marked as English is not."""
    html = '<nav aria-label="Main"></nav><p lang="en"><a title="Main" href="/">x</a></p>'
    assert english_attributes_left(html, "es") == ["Main"]


def test_the_english_check_finds_the_english_of_an_untranslated_page(client, listing):
    """The check above is not vacuous: it finds the interface's English sentences."""
    with translation.override("vi"):
        html = client.get(prefixed("vi", pages(listing)["list"])).content.decode()
    if languages.catalogue_gaps("vi"):
        assert english_left(html)


def test_a_first_visit_goes_to_the_browser_language_when_it_is_offered(client, monkeypatch):
    offer(monkeypatch, "es")
    response = client.get("/?type=credit-union&state=MD", HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9")
    assert response.status_code == 302
    assert response["Location"] == "/es/?type=credit-union&state=MD"
    assert {"Accept-Language", "Cookie"} <= {v.strip() for v in response["Vary"].split(",")}


@pytest.mark.parametrize(
    ("accept", "cookies"),
    [
        ("vi,en;q=0.5", {}),  # Vietnamese is not offered (its catalogue is incomplete)
        ("en-US,es;q=0.8", {}),  # English first
        ("es", {settings.LANGUAGE_COOKIE_NAME: "en"}),  # chose English before
        ("", {}),
    ],
)
def test_no_redirect_without_an_offered_first_choice_or_after_a_choice(
    client, monkeypatch, accept, cookies
):
    offer(monkeypatch, "es")
    for name, value in cookies.items():
        client.cookies[name] = value
    response = client.get("/organizations/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 200
    assert html_tag(response.content.decode()).startswith('<html lang="en"')
    vary = {value.strip() for value in response["Vary"].split(",")}
    assert {"Accept-Language", "Cookie"} <= vary


def test_data_endpoints_never_redirect_and_have_one_address(client, monkeypatch, listing):
    offer(monkeypatch, "es")
    for name in ("api-organization-list", "location-map-data", "sitemap", "robots-txt"):
        path = languages.data_url(name)
        response = client.get(path, HTTP_ACCEPT_LANGUAGE="es")
        assert response.status_code == 200, name
        assert "Cookie" not in response.get("Vary", ""), name
        assert client.get(f"/es{path}").status_code == 404, name
    with translation.override("es"):
        assert languages.data_url("location-map-data") == "/api/locations.geojson"


def test_the_map_page_in_spanish_asks_for_the_one_map_data_address(client):
    html = client.get("/es/").content.decode()
    assert "/es/api/locations" not in html
    assert '"dataUrl": "/api/locations.geojson"' in html


def test_the_map_tiles_credit_is_marked_as_english_on_other_languages_pages(client):
    def credit(path):
        html = client.get(path).content.decode()
        found = re.search(r'<script id="map-config" type="application/json">(.*?)</script>', html)
        return json.loads(found.group(1))["tileAttribution"]

    assert credit("/es/") == f'<span lang="en">{settings.MAP_TILE_ATTRIBUTION}</span>'
    assert credit("/") == settings.MAP_TILE_ATTRIBUTION


def test_hreflang_alternates_list_the_offered_languages_and_x_default(client, monkeypatch):
    offer(monkeypatch, "es", "ko")
    html = client.get("/es/organizations/?state=DC").content.decode()
    alternates = re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html)
    assert alternates == [
        ("en", "http://testserver/organizations/?state=DC"),
        ("es", "http://testserver/es/organizations/?state=DC"),
        ("ko", "http://testserver/ko/organizations/?state=DC"),
        ("x-default", "http://testserver/organizations/?state=DC"),
    ]


def test_the_sitemap_lists_each_page_in_every_offered_language(client, monkeypatch, listing):
    offer(monkeypatch, "es")
    body = client.get(reverse("directory:sitemap-section", args=["organizations"])).content
    text = body.decode()
    assert 'xmlns:xhtml="http://www.w3.org/1999/xhtml"' in text
    assert (
        '<xhtml:link rel="alternate" hreflang="es" '
        'href="http://testserver/es/organizations/anacostia-makers/"/>'
    ) in text
    assert 'hreflang="x-default" href="http://testserver/organizations/anacostia-makers/"' in text


def test_the_switcher_appears_once_another_language_is_offered(client, monkeypatch):
    offer(monkeypatch)
    assert "language-switcher" not in client.get("/").content.decode()
    offer(monkeypatch, "es", "zh-hans")
    html = client.get("/organizations/?state=DC&page=2").content.decode()
    form = re.search(r'<form class="language-switcher".*?</form>', html, re.S).group(0)
    assert 'action="/i18n/setlang/"' in form
    assert 'name="next" value="/organizations/?state=DC&amp;page=2"' in form
    assert '<option value="zh-hans" lang="zh-hans">简体中文</option>' in form
    assert "csrfmiddlewaretoken" not in form  # the page stays shareable by the page cache


def test_switching_keeps_the_page_the_filters_and_the_map_position(client, monkeypatch):
    offer(monkeypatch, "es")
    response = client.post(
        "/i18n/setlang/",
        {"language": "es", "next": "/organizations/?type=credit-union&page=2#map=12/38.9/-77.03"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/es/organizations/?type=credit-union&page=2#map=12/38.9/-77.03"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    back = client.post("/i18n/setlang/", {"language": "en", "next": "/es/?state=VA"})
    assert back["Location"] == "/?state=VA"


def test_the_switch_refuses_a_next_address_elsewhere(client):
    response = client.post("/i18n/setlang/", {"language": "es", "next": "https://evil.example/"})
    assert response["Location"] == "/es/"  # the home page, in the language chosen


def test_the_page_cache_keeps_each_language_apart(client):
    english = client.get("/organizations/").content.decode()
    spanish = client.get("/es/organizations/").content.decode()
    again = client.get("/organizations/").content.decode()
    assert html_tag(english).startswith('<html lang="en"')
    assert html_tag(spanish).startswith('<html lang="es"')
    assert again == english


def test_the_javascript_catalogue_is_per_language_cacheable_and_deferred(client):
    response = client.get(reverse("javascript-catalog"))
    assert response.status_code == 200
    assert "max-age" in response["Cache-Control"] and "public" in response["Cache-Control"]
    assert client.get("/es/jsi18n/").status_code == 200
    html = client.get("/es/suggest/").content.decode()
    # Deferred, so it never holds up the first paint; it still runs before the page's
    # own deferred scripts, which come after it.
    assert re.search(r'<script src="/es/jsi18n/\?v=[0-9a-f]+" defer></script>', html)


def test_listing_text_falls_back_to_english_with_a_note(client, listing):
    listing.summary_es = "Carpinteros dueños de su taller."
    listing.save()
    path = listing.get_absolute_url()
    html = client.get(f"/es{path}").content.decode()
    assert "Carpinteros dueños de su taller." in html
    assert "Furniture makers" not in html
    # How to join has no Spanish text: the English one, marked as English, with a note.
    assert re.search(r'<p lang="en">Come to a Tuesday open shop\.', html)
    assert html.count('class="untranslated-note"') == 1
    english = client.get(path).content.decode()
    assert "untranslated-note" not in english


def test_text_that_exists_only_in_english_is_marked_as_english(client, listing):
    """A screen reader reads a listing's English-only texts (its description, a
    location's label, hours and accessibility notes), the site's name and a summary
    without translation with English pronunciation on a page in another language."""
    listing.description = "We build tables and chairs."
    listing.save()
    listing.locations.update(label="Workshop", hours="Tue-Sat 10-6", accessibility="Ramp.")
    path = pages(listing)["detail"]
    spanish = client.get(f"/es{path}").content.decode()
    for text in ("We build tables", "Workshop", "Tue-Sat 10-6", "Ramp.", "Solidarity Economy"):
        assert re.search(rf'lang="en"[^<>]*>(<p>)?{re.escape(text)}', spanish), text
    card = client.get("/es/organizations/").content.decode()
    assert re.search(r'<p class="summary" lang="en">Furniture makers', card)
    english = client.get(path).content.decode()
    assert ' lang="en">' not in english.replace('<option value="en" lang="en">', "")


def test_reference_data_is_shown_in_the_page_language(client, listing):
    html = client.get(f"/es{listing.type.get_absolute_url()}").content.decode()
    assert "Cooperativa de trabajo" in html
    assert "untranslated-note" not in html


def test_the_admin_stays_in_english_whatever_the_visitor_chose(admin_client):
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    response = admin_client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="es")
    assert html_tag(response.content.decode()).startswith('<html lang="en"')


SECURITY_HEADERS = (
    "Content-Security-Policy",
    "Permissions-Policy",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
)


def test_a_prefixed_page_and_the_switch_carry_the_same_security_headers(client):
    english, spanish = client.get("/"), client.get("/es/")
    switch = client.post("/i18n/setlang/", {"language": "es", "next": "/"})
    for header in SECURITY_HEADERS:
        assert spanish[header] == english[header], header
        assert header in switch, header


@pytest.mark.parametrize("code", [code for code in CODES if code != "en"])
def test_dates_and_numbers_follow_the_language_and_miles_stay(code):
    import datetime

    from django.template import Context, Template
    from django.utils import formats

    with translation.override(code):
        date = formats.date_format(datetime.date(2026, 11, 30), "DATE_FORMAT")
        miles = Template(
            "{% load i18n %}{% blocktranslate with miles=distance|floatformat:1 %}"
            "{{ miles }} miles away{% endblocktranslate %}"
        ).render(Context({"distance": 2.25}))
    assert "Nov" not in date and "30" in date
    assert "2" in miles and "km" not in miles


@pytest.mark.parametrize("code", CODES)
def test_what_a_page_links_in_its_head_answers_in_every_language(client, listing, code):
    """The manifest, the map data a page preloads, the JavaScript catalogue and the
    alternates: each address a page's <head> names answers (before: a Spanish page
    linked /es/manifest.webmanifest, a 404 in the browser's console)."""
    for path in (
        "/",
        "/organizations/",
        reverse("directory:organization-detail", args=[listing.slug]),
    ):
        html = client.get(prefixed(code, path)).content.decode()
        head = html.split("</head>", 1)[0]
        linked = re.findall(r'<(?:link|script)\b[^>]*?(?:href|src)="(/[^"]*)"', head)
        linked += re.findall(
            r'<link rel="alternate" hreflang="[^"]+" href="https?://[^/]+(/[^"]*)"', head
        )
        assert any("manifest" in url for url in linked), path
        for url in {url for url in linked if not url.startswith(settings.STATIC_URL)}:
            answer = client.get(url.replace("&amp;", "&"))
            assert answer.status_code == 200, f"{code} {path} links {url}: {answer.status_code}"
