"""Public representations of organizations for the JSON API.

Only fields the public page shows; never `internal_*`, `source` or the lifecycle
status. They read what directory.partners.selectors loads: related rows as plain values,
with coordinates already rounded or withheld and the street address and ZIP code
already withheld, by the database, for locations that are not exact.
"""

from django.conf import settings
from rest_framework import serializers

from directory.core.region import State
from directory.listings import schema, vocabulary
from directory.models import (
    Jurisdiction,
    Language,
    MembershipModel,
    Organization,
    OrganizationType,
    Precision,
    Sector,
    SocialLink,
)

# The schema's public fields the API shows ("name" first), in the first version of the
# representation and added since.
API_FIELDS = schema.names(schema.ORGANIZATION_FIELDS, api=True, added=1)
LATER_API_FIELDS = [item.name for item in schema.ORGANIZATION_FIELDS if item.api and item.added > 1]


def license_data() -> dict[str, str]:
    return {"name": settings.DATA_LICENSE, "url": settings.DATA_LICENSE_URL}


class ProblemSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, in plain words.")
    errors = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="For a 400: every parameter that could not be used, and why.",
    )


class LicenseSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="Licence of the data, e.g. CC BY-SA 4.0.")
    url = serializers.URLField(help_text="Address of the licence's text.")


ESSGLOBAL_HELP = "ESSGlobal term's address (http://purl.org/essglobal/standard/...), or null."


class OrganizationTypeSerializer(serializers.ModelSerializer):
    essglobal_structure = serializers.URLField(
        allow_null=True, help_text=f"Organisational structure: {ESSGLOBAL_HELP}"
    )
    essglobal_legal_form = serializers.URLField(
        allow_null=True, help_text=f"Legal form: {ESSGLOBAL_HELP}"
    )

    class Meta:
        model = OrganizationType
        fields = ["slug", "name", "essglobal_structure", "essglobal_legal_form"]


class LanguageSerializer(serializers.ModelSerializer):
    class Meta:
        model = Language
        fields = ["code", "name"]


class SectorSerializer(serializers.ModelSerializer):
    essglobal_activity = serializers.URLField(
        allow_null=True, help_text=f"Activity: {ESSGLOBAL_HELP}"
    )

    class Meta:
        model = Sector
        fields = ["slug", "name", "essglobal_activity"]


class JurisdictionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Jurisdiction
        fields = ["fips", "name", "state"]


class SocialLinkSerializer(serializers.ModelSerializer):
    class Meta:
        model = SocialLink
        fields = ["label", "url"]


class PublicLocationSerializer(serializers.Serializer):
    label = serializers.CharField()
    is_primary = serializers.BooleanField()
    precision = serializers.ChoiceField(choices=Precision.choices)
    street_address = serializers.CharField(
        allow_null=True, help_text="Only when the precision is exact; null otherwise."
    )
    city = serializers.CharField()
    state = serializers.ChoiceField(choices=State.choices)
    zip_code = serializers.CharField(
        allow_null=True, help_text="Only when the precision is exact; null otherwise."
    )
    jurisdiction = JurisdictionSerializer(allow_null=True, help_text="County or city.")
    latitude = serializers.FloatField(
        allow_null=True,
        help_text="Exact, rounded to 2 decimals (about 1 km) when approximate, null when hidden.",
    )
    longitude = serializers.FloatField(allow_null=True, help_text="As latitude.")
    hours = serializers.CharField()
    accessibility = serializers.CharField()


class OrganizationSerializer(serializers.ModelSerializer):
    """The declared fields describe the representation (the OpenAPI schema comes from
    them); to_representation() writes it. tests/partners/test_api.py checks that both list the
    same fields in the same order and validates responses against the schema."""

    url = serializers.URLField(help_text="The listing's public page.")
    api_url = serializers.URLField(help_text="This organization in the API.")
    type = OrganizationTypeSerializer()
    social_links = SocialLinkSerializer(many=True)
    languages = LanguageSerializer(many=True)
    sectors = SectorSerializer(many=True)
    service_area = JurisdictionSerializer(many=True)
    locations = PublicLocationSerializer(many=True)
    # Plain strings: an empty value is "" and would not pass as a URI or an email.
    website = serializers.CharField(help_text="http(s) address, or empty.")
    email = serializers.CharField(help_text="Email address, or empty.")
    membership_model = serializers.ChoiceField(
        choices=MembershipModel.choices, allow_null=True, help_text="Who owns it; null if unknown."
    )

    class Meta:
        model = Organization
        # The public fields of directory.listings.schema in its order, with the API's own:
        # identifiers and addresses first, locations and the verification date last,
        # then any field added to the schema later.
        fields = [
            "slug",
            "name",
            "url",
            "api_url",
            *API_FIELDS[1:],
            "locations",
            "last_verified",
            *LATER_API_FIELDS,
        ]
        read_only_fields = fields

    def to_representation(self, organization: Organization) -> dict:
        # Written out rather than field by field: DRF's per-field work cost more than the
        # database on a page of 100. Related lists come shaped by directory.partners.selectors.
        page_before, page_after = self.context["page_url_parts"]
        api_before, api_after = self.context["api_url_parts"]
        last_verified = organization.last_verified
        data = {
            "slug": organization.slug,
            "name": organization.name,
            "url": f"{page_before}{organization.slug}{page_after}",
            "api_url": f"{api_before}{organization.slug}{api_after}",
        }
        for name in API_FIELDS[1:]:
            data[name] = _value(organization, name)
        data["locations"] = organization.public_locations
        data["last_verified"] = last_verified.isoformat() if last_verified else None
        for name in LATER_API_FIELDS:
            data[name] = _value(organization, name)
        return data


def _value(organization: Organization, name: str):
    """One public field as the API writes it."""
    kind = schema.field(name).kind
    if kind == schema.TYPE:
        related = getattr(organization, name)
        terms = {
            term: getattr(related, term) or None for term in vocabulary.term_fields(type(related))
        }
        return {"slug": related.slug, "name": related.name, **terms}
    if kind == schema.RELATION:
        rows = getattr(organization, f"public_{name}")
        # An empty term is null, as a choice not made.
        return [
            {
                key: (value or None) if key.startswith("essglobal_") else value
                for key, value in row.items()
            }
            for row in rows
        ]
    if kind == schema.LINKS:
        return getattr(organization, f"public_{name}")
    value = getattr(organization, name)
    # A choice not made is null, not an empty string.
    return (value or None) if kind == schema.CHOICE else value


class OrganizationDetailSerializer(OrganizationSerializer):
    license = LicenseSerializer()

    class Meta(OrganizationSerializer.Meta):
        fields = [*OrganizationSerializer.Meta.fields, "license"]
        read_only_fields = fields

    def to_representation(self, organization: Organization) -> dict:
        return {**super().to_representation(organization), "license": license_data()}
