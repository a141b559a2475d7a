"""What search engines and link previews read: schema.org JSON-LD.

Only public fields at public precision go in: the same rules as the page itself. A
place that is approximate or hidden says so, so a reader never takes a rounded point
or a city for an address. ESSGlobal terms of the type and sectors are carried with the
ESSGlobal vocabulary's own properties.
"""

from directory.listings import vocabulary

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
# geo; every Organization may carry an address.
PLACE_TYPES = {"BankOrCreditUnion", "FinancialService", "LocalBusiness"}
CONTEXT = ["https://schema.org", {"essglobal": vocabulary.VOCAB}]
PRECISION_NOTES = {
    "approximate": (
        "Approximate location: the point is rounded to about 1 km and the street "
        "address is not published."
    ),
    "hidden": "The address and point of this location are not published.",
}


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
    if location.precision in PRECISION_NOTES:
        place["description"] = PRECISION_NOTES[location.precision]
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
        "@context": CONTEXT,
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
        primary = places[0]
        data["address"] = primary["address"]
        if schema_type in PLACE_TYPES and "geo" in primary:
            data["geo"] = primary["geo"]
        data["location"] = places
    data.update(_essglobal(organization))
    return data


def _essglobal(organization) -> dict:
    """The listing's ESSGlobal terms as essglobal: properties (a list when several)."""
    type_terms = {
        name: getattr(organization.type, name)
        for name in vocabulary.term_fields(type(organization.type))
    }
    sectors = [
        {name: getattr(sector, name) for name in vocabulary.term_fields(type(sector))}
        for sector in organization.sectors.all()
    ]
    grouped: dict[str, list] = {}
    for prop, term in vocabulary.terms(type_terms, sectors):
        grouped.setdefault(prop.replace(vocabulary.VOCAB, "essglobal:"), []).append({"@id": term})
    return {prop: terms[0] if len(terms) == 1 else terms for prop, terms in grouped.items()}
