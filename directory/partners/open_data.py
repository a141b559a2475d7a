"""Open data that joins other networks: Murmurations profiles and their list, and the
Frictionless data package describing the CSV export.

Profiles are written from the JSON API's representation (directory.partners.murmurations),
so they show exactly what the API shows; the data package is written from the CSV's
column definitions (directory.partners.datapackage). Both carry the same validators,
rate limits and CORS as every other data endpoint.
"""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.response import Response

from directory.core.links import site_url, slug_url_parts
from directory.listings import vocabulary
from directory.models import Organization
from directory.partners import datapackage, murmurations
from directory.partners.http import cached_payload, conditional_response
from directory.partners.serializers import ProblemSerializer, license_data
from directory.partners.views import NOT_MODIFIED, OrganizationDetailView, PublicDataView


@extend_schema(
    summary="One published organization as a Murmurations profile",
    description=(
        "A profile valid against the Murmurations network's organizations_schema-v1.0.0: "
        "public fields only, the primary location at its public precision, ESSGlobal "
        "terms as relationships."
    ),
    responses={
        200: OpenApiTypes.OBJECT,
        304: NOT_MODIFIED,
        404: OpenApiResponse(ProblemSerializer, "No published organization has this slug."),
        429: ProblemSerializer,
    },
)
class MurmurationsProfileView(OrganizationDetailView):
    def represent(self, data: dict):
        return murmurations.profile(data, terms=vocabulary.terms(data["type"], data["sectors"]))


def profile_urls(request=None) -> list[str]:
    """The profile address of every published organization, by slug."""
    before, after = slug_url_parts("directory:murmurations-profile", request)
    slugs = Organization.objects.published().order_by("slug").values_list("slug", flat=True)
    return [f"{before}{slug}{after}" for slug in slugs.iterator(chunk_size=2000)]


@extend_schema(
    summary="Every Murmurations profile",
    description="The profile address of every published organization, for indexes.",
    responses={200: OpenApiTypes.OBJECT, 304: NOT_MODIFIED, 429: ProblemSerializer},
)
class MurmurationsListView(PublicDataView):
    def get(self, request):
        def payload():
            return {
                "linked_schemas": [murmurations.SCHEMA],
                "profiles": profile_urls(request),
                "license": license_data(),
            }

        return conditional_response(
            request,
            build=lambda version: Response(cached_payload(request, version, payload)),
        )


@extend_schema(
    summary="Frictionless data package of the CSV export",
    description=(
        "A Data Package (datapackage.json) describing the CSV export with a Table Schema: "
        "types, formats, allowed values, primary key and licence."
    ),
    responses={200: OpenApiTypes.OBJECT, 304: NOT_MODIFIED, 429: ProblemSerializer},
)
class DataPackageView(PublicDataView):
    def get(self, request):
        base_url = site_url(request)
        csv_url = base_url + reverse("directory:export-organizations-csv")

        def payload():
            return datapackage.descriptor(
                csv_url=csv_url, docs_url=base_url + reverse("directory:api-docs")
            )

        return conditional_response(
            request,
            build=lambda version: Response(cached_payload(request, version, payload)),
        )
