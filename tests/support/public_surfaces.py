"""Every public surface, in one place, for "this listing appears nowhere public".

Each entry is (name, function(client, organization) -> response). A test passes when
no surface mentions the organization's name or slug. Surfaces added later (the JSON
API, the CSV export, map data, embeds, sitemaps) belong in this list too.
"""

from django.urls import reverse


def _home(client, organization):
    return client.get(reverse("directory:home"))


def _list(client, organization):
    return client.get(reverse("directory:organization-list"))


def _search(client, organization):
    # Searched by its first words only: the search box echoes the query back.
    words = " ".join(organization.name.split()[:2])
    return client.get(reverse("directory:organization-list"), {"q": words})


def _type_page(client, organization):
    return client.get(reverse("directory:type-detail", args=[organization.type.slug]))


def _detail(client, organization):
    return client.get(reverse("directory:organization-detail", args=[organization.slug]))


def _suggest_edit(client, organization):
    return client.get(reverse("directory:suggest-edit", args=[organization.slug]))


def _print_sheet(client, organization):
    return client.get(reverse("directory:print-sheet"))


def _csv_export(client, organization):
    return client.get(reverse("directory:export-organizations-csv"))


def _api_list(client, organization):
    return client.get(reverse("directory:api-organization-list"), {"page_size": 500})


def _api_detail(client, organization):
    return client.get(reverse("directory:api-organization-detail", args=[organization.slug]))


def _geojson(client, organization):
    return client.get(reverse("directory:api-organization-geojson"))


PUBLIC_SURFACES = [
    ("home", _home),
    ("list", _list),
    ("search", _search),
    ("type page", _type_page),
    ("detail page", _detail),
    ("suggest-edit form", _suggest_edit),
    ("print sheet", _print_sheet),
    ("CSV export", _csv_export),
    ("JSON API list", _api_list),
    ("JSON API detail", _api_detail),
    ("GeoJSON", _geojson),
]


def response_text(response) -> str:
    """The body as text, for pages and for streamed downloads (CSV, GeoJSON) alike."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode(errors="replace")


def surfaces_mentioning(client, organization) -> list[str]:
    """The names of the public surfaces that reveal the organization."""
    found = []
    for name, fetch in PUBLIC_SURFACES:
        response = fetch(client, organization)
        text = response_text(response)
        if response.status_code == 200 and (
            organization.name in text or f"/organizations/{organization.slug}/" in text
        ):
            found.append(name)
    return found
