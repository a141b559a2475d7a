"""Public representations of organizations for the JSON API.

Only fields the public page shows; never `internal_*`, `source` or the lifecycle
status. They read what directory.partners.selectors loads: related rows as plain values,
with coordinates already rounded or withheld and the street address and ZIP code
already withheld, by the database, for locations that are not exact.
"""

from django.conf import settings
from rest_framework import serializers

from directory.core.region import State
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


class OrganizationTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrganizationType
        fields = ["slug", "name"]


class LanguageSerializer(serializers.ModelSerializer):
    class Meta:
        model = Language
        fields = ["code", "name"]


class SectorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Sector
        fields = ["slug", "name"]


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
        fields = [
            "id",
            "slug",
            "name",
            "url",
            "api_url",
            "type",
            "summary",
            "description",
            "website",
            "email",
            "phone",
            "social_links",
            "year_founded",
            "membership_model",
            "how_to_join",
            "eligibility",
            "accepting_members",
            "member_count",
            "limited_equity",
            "languages",
            "sectors",
            "service_area",
            "locations",
            "last_verified",
        ]
        read_only_fields = fields

    def to_representation(self, organization: Organization) -> dict:
        # Written out rather than field by field: DRF's per-field work cost more than the
        # database on a page of 100. Related lists come shaped by directory.partners.selectors.
        page_before, page_after = self.context["page_url_parts"]
        api_before, api_after = self.context["api_url_parts"]
        last_verified = organization.last_verified
        return {
            "id": organization.pk,
            "slug": organization.slug,
            "name": organization.name,
            "url": f"{page_before}{organization.slug}{page_after}",
            "api_url": f"{api_before}{organization.slug}{api_after}",
            "type": {"slug": organization.type.slug, "name": organization.type.name},
            "summary": organization.summary,
            "description": organization.description,
            "website": organization.website,
            "email": organization.email,
            "phone": organization.phone,
            "social_links": organization.public_social_links,
            "year_founded": organization.year_founded,
            "membership_model": organization.membership_model or None,
            "how_to_join": organization.how_to_join,
            "eligibility": organization.eligibility,
            "accepting_members": organization.accepting_members,
            "member_count": organization.member_count,
            "limited_equity": organization.limited_equity,
            "languages": organization.public_languages,
            "sectors": organization.public_sectors,
            "service_area": organization.public_service_area,
            "locations": organization.public_locations,
            "last_verified": last_verified.isoformat() if last_verified else None,
        }


class OrganizationDetailSerializer(OrganizationSerializer):
    license = LicenseSerializer()

    class Meta(OrganizationSerializer.Meta):
        fields = [*OrganizationSerializer.Meta.fields, "license"]
        read_only_fields = fields

    def to_representation(self, organization: Organization) -> dict:
        return {**super().to_representation(organization), "license": license_data()}
