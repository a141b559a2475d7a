"""What search engines and link previews read: schema.org JSON-LD.

Only public fields at public precision go in: the same rules as the page itself.
"""

# The closest schema.org type for each organization type slug; anything else is an
# Organization. https://schema.org/docs/full.html
SCHEMA_TYPES = {
    "credit-union": "BankOrCreditUnion",
    "public-bank": "BankOrCreditUnion",
    "community-lender": "FinancialService",
    "worker-cooperative": "LocalBusiness",
    "consumer-cooperative": "LocalBusiness",
    "producer-cooperative": "LocalBusiness",
    "community-land-trust": "NGO",
    "mutual-aid": "NGO",
}
# Types whose schema.org class is a place (LocalBusiness and its subtypes) may carry
# an address and geo; for the others the location goes under `location`.
PLACE_TYPES = {"BankOrCreditUnion", "FinancialService", "LocalBusiness"}


def _place(location) -> dict:
    address = {"@type": "PostalAddress", "addressRegion": location.state, "addressCountry": "US"}
    if location.city:
        address["addressLocality"] = location.city
    if location.shows_address:
        if location.street_address:
            address["streetAddress"] = location.street_address
        if location.zip_code:
            address["postalCode"] = location.zip_code
    place = {"@type": "Place", "address": address}
    if location.label:
        place["name"] = location.label
    if location.has_point:
        place["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": location.public_latitude,
            "longitude": location.public_longitude,
        }
    return place


def organization_json_ld(organization, locations, *, url: str) -> dict:
    """schema.org data for a published organization. `locations` are what the public
    may see of its locations (directory.listings.privacy.public_places)."""
    schema_type = SCHEMA_TYPES.get(organization.type.slug, "Organization")
    data = {
        "@context": "https://schema.org",
        "@type": schema_type,
        "@id": url,
        "url": organization.website or url,
        "mainEntityOfPage": url,
        "name": organization.name,
    }
    if organization.summary or organization.description:
        data["description"] = organization.summary or organization.description
    if organization.phone:
        data["telephone"] = organization.phone
    if organization.email:
        data["email"] = organization.email
    if organization.year_founded:
        data["foundingDate"] = str(organization.year_founded)
    same_as = [link.url for link in organization.social_links.all()]
    if organization.website:
        same_as.insert(0, organization.website)
    if same_as:
        data["sameAs"] = same_as
    area = [jurisdiction.name for jurisdiction in organization.service_area.all()]
    if area:
        data["areaServed"] = [{"@type": "AdministrativeArea", "name": name} for name in area]
    languages = [language.name for language in organization.languages.all()]
    if languages:
        data["knowsLanguage"] = languages
    places = [_place(location) for location in locations]
    if places:
        if schema_type in PLACE_TYPES:
            primary = places[0]
            data["address"] = primary["address"]
            if "geo" in primary:
                data["geo"] = primary["geo"]
        data["location"] = places
    return data
