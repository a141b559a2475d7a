"""ESSGlobal terms of a listing: its type's organisational structure and legal form, its
sectors' activities.

The mapping is data (OrganizationType.essglobal_structure and essglobal_legal_form,
Sector.essglobal_activity, seeded by a migration, editable in the admin); this module
names the ESSGlobal properties that carry them and the fields every surface reads, so
the JSON API, JSON-LD and the Murmurations profiles say the same.
"""

from directory.models import OrganizationType, Sector

VOCAB = "http://purl.org/essglobal/vocab/"
# The field of each reference model holding a term, with the ESSGlobal property that
# relates an initiative to it.
TERM_FIELDS: dict[type, dict[str, str]] = {
    OrganizationType: {
        "essglobal_structure": f"{VOCAB}organisationalStructure",
        "essglobal_legal_form": f"{VOCAB}legalForm",
    },
    Sector: {"essglobal_activity": f"{VOCAB}economicSector"},
}


def term_fields(model) -> tuple[str, ...]:
    """The term fields of a reference model (none for languages or places)."""
    return tuple(TERM_FIELDS.get(model, {}))


def property_of(field_name: str) -> str:
    for fields in TERM_FIELDS.values():
        if field_name in fields:
            return fields[field_name]
    raise KeyError(field_name)


def terms(organization_type: dict, sectors: list[dict]) -> list[tuple[str, str]]:
    """(property URI, term URI) pairs for a listing whose type and sectors are given as
    the API shows them (dicts with the term fields); empty terms are left out."""
    pairs = [
        (prop, organization_type.get(name) or "")
        for name, prop in TERM_FIELDS[OrganizationType].items()
    ]
    pairs += [
        (prop, sector.get(name) or "")
        for sector in sectors
        for name, prop in TERM_FIELDS[Sector].items()
    ]
    seen = set()
    return [pair for pair in pairs if pair[1] and not (pair in seen or seen.add(pair))]
