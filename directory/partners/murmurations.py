"""Murmurations profiles: each published organization as a profile of the network's
`organizations_schema-v1.0.0`, at a stable address an index can crawl.

A profile is written from the organization's JSON API representation, never from the
database rows: it shows only what the API shows (published listings, public fields,
the primary location at its public precision, approximate points rounded, hidden ones
absent, no internal contact). ESSGlobal terms of its type and sectors are relationships
(predicate: the ESSGlobal property, object: the term).
"""

import datetime

SCHEMA = "organizations_schema-v1.0.0"
COUNTRY = "US"
MAX_NAME = 200
MAX_TAG = 100


def _full_address(location: dict) -> str:
    """The primary location's address as the public may see it: the street address and
    ZIP code only for an exact location, else the city and state."""
    state_zip = " ".join(part for part in (location["state"], location["zip_code"]) if part)
    parts = (location["street_address"], location["city"], state_zip)
    return ", ".join(part for part in parts if part)


def _unique(values) -> list:
    seen = []
    for value in values:
        if value and value not in seen:
            seen.append(value)
    return seen


def profile(data: dict, *, terms: list[tuple[str, str]]) -> dict:
    """The Murmurations profile of an organization given as the JSON API shows it.
    `terms` are its (ESSGlobal property, term) pairs."""
    tags = _unique(
        [
            data["type"]["name"][:MAX_TAG],
            *(sector["name"][:MAX_TAG] for sector in data["sectors"]),
            *(language["name"][:MAX_TAG] for language in data["languages"]),
        ]
    )
    urls = [
        {"name": "Directory listing", "url": data["url"]},
        {"name": "Directory API", "url": data["api_url"]},
        *({"name": link["label"] or "Link", "url": link["url"]} for link in data["social_links"]),
    ]
    result = {
        "linked_schemas": [SCHEMA],
        "name": data["name"][:MAX_NAME],
        "primary_url": data["website"] or data["url"],
        "tags": tags,
        "urls": _unique(url for url in urls if url["url"].startswith(("http://", "https://"))),
        "status": "active",
        "country_iso_3166": COUNTRY,
        "geographic_scope": "local",
        "unique_id": data["url"],
    }
    description = "\n\n".join(text for text in (data["summary"], data["description"]) if text)
    if description:
        result["description"] = description
    primary = data["locations"][0] if data["locations"] else None
    if primary:
        result["full_address"] = _full_address(primary)
        if primary["latitude"] is not None:
            result["geolocation"] = {"lat": primary["latitude"], "lon": primary["longitude"]}
    if data["email"]:
        result["contact_details"] = {"email": data["email"]}
    if data["phone"]:
        result["telephone"] = data["phone"]
    if data["year_founded"]:
        founded = datetime.datetime(data["year_founded"], 1, 1, tzinfo=datetime.UTC)
        result["starts_at"] = int(founded.timestamp())
    if terms:
        result["relationships"] = [
            {"predicate_url": prop, "object_url": term} for prop, term in terms
        ]
    return result
