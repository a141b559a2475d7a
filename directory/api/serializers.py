"""Public representations of organizations for the JSON API.

Only fields the public page shows; never `internal_*`, `source` or the lifecycle
status. Coordinates come from the database already rounded or withheld
(`public_latitude`/`public_longitude`), and the street address and ZIP code of a
location are given only when its precision is exact.
"""

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from directory.models import (
    Jurisdiction,
    Language,
    Location,
    MembershipModel,
    Organization,
    OrganizationType,
    Sector,
    SocialLink,
)

PUBLIC_ORGANIZATION_FIELDS = (
    "slug",
    "name",
    "type",
    "summary",
    "description",
    "website",
    "email",
    "phone",
    "year_founded",
    "membership_model",
    "how_to_join",
    "eligibility",
    "accepting_members",
    "member_count",
    "limited_equity",
    "last_verified",
)
PUBLIC_LOCATION_FIELDS = (
    "organization",
    "label",
    "is_primary",
    "precision",
    "street_address",
    "city",
    "state",
    "zip_code",
    "jurisdiction",
    "hours",
    "accessibility",
)
JURISDICTION_FIELDS = ("fips", "name", "state")


def with_public_details(organizations: QuerySet) -> QuerySet:
    """Everything the serializers read, in a fixed number of queries for any page size,
    and only that: internal fields are never even loaded. Related rows land in plain
    lists (to_attr), so Django builds no related manager per organization, which cost
    more than the queries themselves."""
    locations = (
        Location.objects.with_public_coordinates()
        .select_related("jurisdiction")
        .only(*PUBLIC_LOCATION_FIELDS, *(f"jurisdiction__{name}" for name in JURISDICTION_FIELDS))
        .order_by("-is_primary", "pk")
    )
    return (
        organizations.select_related("type")
        .only(*PUBLIC_ORGANIZATION_FIELDS, "type__slug", "type__name")
        .prefetch_related(
            Prefetch(
                "languages", Language.objects.only("code", "name"), to_attr="public_languages"
            ),
            Prefetch("sectors", Sector.objects.only("slug", "name"), to_attr="public_sectors"),
            Prefetch(
                "service_area",
                Jurisdiction.objects.only(*JURISDICTION_FIELDS),
                to_attr="public_service_area",
            ),
            Prefetch(
                "social_links",
                SocialLink.objects.only("organization", "label", "url"),
                to_attr="public_social_links",
            ),
            Prefetch("locations", queryset=locations, to_attr="public_locations"),
        )
    )


def public_details_in_order(ids: list[int]) -> list[Organization]:
    """The organizations with these ids, with their details, in the order given."""
    found = {
        organization.pk: organization
        for organization in with_public_details(Organization.objects.filter(pk__in=ids))
    }
    return [found[pk] for pk in ids]


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


class PublicLocationSerializer(serializers.ModelSerializer):
    street_address = serializers.SerializerMethodField(
        help_text="Only when the precision is exact; null otherwise."
    )
    zip_code = serializers.SerializerMethodField(
        help_text="Only when the precision is exact; null otherwise."
    )
    jurisdiction = JurisdictionSerializer(read_only=True, allow_null=True)
    latitude = serializers.FloatField(
        source="public_latitude",
        read_only=True,
        allow_null=True,
        help_text="Exact, rounded to 2 decimals (about 1 km) when approximate, null when hidden.",
    )
    longitude = serializers.FloatField(
        source="public_longitude", read_only=True, allow_null=True, help_text="As latitude."
    )

    class Meta:
        model = Location
        fields = [
            "label",
            "is_primary",
            "precision",
            "street_address",
            "city",
            "state",
            "zip_code",
            "jurisdiction",
            "latitude",
            "longitude",
            "hours",
            "accessibility",
        ]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_street_address(self, location: Location) -> str | None:
        return location.street_address if location.shows_address else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_zip_code(self, location: Location) -> str | None:
        return location.zip_code if location.shows_address else None


class OrganizationSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="The listing's public page.")
    api_url = serializers.SerializerMethodField(help_text="This organization in the API.")
    type = OrganizationTypeSerializer(read_only=True)
    social_links = SocialLinkSerializer(source="public_social_links", many=True, read_only=True)
    languages = LanguageSerializer(source="public_languages", many=True, read_only=True)
    sectors = SectorSerializer(source="public_sectors", many=True, read_only=True)
    service_area = JurisdictionSerializer(source="public_service_area", many=True, read_only=True)
    locations = PublicLocationSerializer(source="public_locations", many=True, read_only=True)
    # Plain strings: an empty value is "" and would not pass as a URI or an email.
    website = serializers.CharField(read_only=True, help_text="http(s) address, or empty.")
    email = serializers.CharField(read_only=True, help_text="Email address, or empty.")
    membership_model = serializers.SerializerMethodField(help_text="Who owns it; null if unknown.")

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

    @extend_schema_field(serializers.ChoiceField(choices=MembershipModel.choices, allow_null=True))
    def get_membership_model(self, organization: Organization) -> str | None:
        return organization.membership_model or None

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, organization: Organization) -> str:
        before, after = self.context["page_url_parts"]
        return f"{before}{organization.slug}{after}"

    @extend_schema_field(OpenApiTypes.URI)
    def get_api_url(self, organization: Organization) -> str:
        before, after = self.context["api_url_parts"]
        return f"{before}{organization.slug}{after}"


class OrganizationDetailSerializer(OrganizationSerializer):
    license = serializers.SerializerMethodField()

    class Meta(OrganizationSerializer.Meta):
        fields = [*OrganizationSerializer.Meta.fields, "license"]
        read_only_fields = fields

    @extend_schema_field(LicenseSerializer)
    def get_license(self, organization: Organization) -> dict[str, str]:
        return license_data()
