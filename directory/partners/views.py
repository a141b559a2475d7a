"""Partner endpoints: JSON API, GeoJSON, CSV export, the OpenAPI schema and /api/.

Views stay thin: filtering is directory.browse.selectors, formats are
directory.partners.csv_export and directory.partners.geojson, validators and limits are
directory.partners.http.
"""

from collections.abc import Sequence

from django.core.paginator import EmptyPage, PageNotAnInteger
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from drf_spectacular.views import SCHEMA_KWARGS, SpectacularAPIView
from rest_framework.exceptions import NotFound, Throttled
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from directory.browse.selectors import filter_organizations
from directory.core.errors import InvalidParameters
from directory.core.links import site_url, slug_url_parts
from directory.models import Organization
from directory.partners import csv_export as exports
from directory.partners import geojson
from directory.partners.docs import docs_context
from directory.partners.http import (
    PublicDataThrottle,
    cached_count,
    cached_payload,
    conditional_response,
    describe_rate,
    rate_limit,
)
from directory.partners.negotiation import (
    BadQuery,
    FirstRendererNegotiation,
    PlainTextErrorRenderer,
)
from directory.partners.schema import csv_option_parameters, filter_parameters
from directory.partners.selectors import public_details_in_order
from directory.partners.serializers import (
    OrganizationDetailSerializer,
    OrganizationSerializer,
    ProblemSerializer,
    license_data,
)

NOT_MODIFIED = OpenApiResponse(
    description="Not modified: the ETag (If-None-Match) or date (If-Modified-Since) sent "
    "still describes the current data."
)
CSV_CONTENT_TYPE = "text/csv; charset=utf-8; header=present"
MAX_PAGE_SIZE = 500


class RateLimited(Throttled):
    extra_detail_singular = gettext_lazy("Try again in {wait} second.")
    extra_detail_plural = gettext_lazy("Try again in {wait} seconds.")


class PublicDataView(APIView):
    """Anonymous, read-only, rate limited per client; readable from partners' pages
    (CORS, for every address in settings.PUBLIC_DATA_PATHS, by django-cors-headers)."""

    throttle_classes = [PublicDataThrottle]
    throttle_scope = "api"

    def throttled(self, request, wait):
        limit = describe_rate(rate_limit(self.throttle_scope))
        what = {"export": _("the CSV export"), "geojson": _("the GeoJSON export")}.get(
            self.throttle_scope, _("the API")
        )
        raise RateLimited(
            wait=wait,
            detail=_("Too many requests from your address. The limit for %(what)s is %(limit)s.")
            % {"what": what, "limit": limit},
        )

    def filtered(self, *, extra_errors: Sequence[str] = ()):
        """Published organizations matching the query string, or a 400 that lists every
        problem, `extra_errors` included."""
        errors = list(extra_errors)
        try:
            organizations = filter_organizations(self.request.query_params)
        except InvalidParameters as error:
            errors += error.messages
        if errors:
            raise BadQuery(errors)
        return organizations

    def serializer_context(self) -> dict:
        return {
            "request": self.request,
            "page_url_parts": slug_url_parts("directory:organization-detail", self.request),
            "api_url_parts": slug_url_parts("directory:api-organization-detail", self.request),
        }


class OrganizationPagination(PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not (raw.isascii() and raw.isdigit() and 1 <= int(raw) <= self.max_page_size):
            raise BadQuery(
                [
                    _("page_size: give a whole number from 1 to %(max)d.")
                    % {"max": self.max_page_size}
                ]
            )
        return int(raw)

    def paginate_queryset(self, queryset, request, view=None, *, count=None):
        """Give it the ids of the filtered organizations: counting and slicing ids is
        an index-only scan in the default order, so a page deep in 100,000
        organizations costs a walk of the index, not a sort of every row. `count`, when
        known, saves counting them."""
        self.request = request
        paginator = self.django_paginator_class(queryset, self.get_page_size(request))
        if count is not None:
            paginator.count = count
        number = request.query_params.get(self.page_query_param, "1")
        try:
            self.page = paginator.page(number)
        except PageNotAnInteger:
            raise BadQuery([_("page: give a whole number, for example page=2.")]) from None
        except EmptyPage:
            message = _("page: there is no page %(page)s; the results have %(pages)d page(s).") % {
                "page": number[:12],
                "pages": paginator.num_pages,
            }
            if int(number) < 1:
                raise BadQuery([message]) from None
            # A page past the end is a page that does not exist (and may again, when
            # listings are added): not a malformed request.
            raise NotFound(message) from None
        return list(self.page)

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.page.paginator.count,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "license": license_data(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        paginated = super().get_paginated_response_schema(schema)
        paginated["properties"]["license"] = {
            "type": "object",
            "properties": {
                "name": {"type": "string", "example": "CC BY-SA 4.0"},
                "url": {"type": "string", "format": "uri"},
            },
            "required": ["name", "url"],
        }
        paginated["required"] = [*paginated.get("required", []), "license"]
        return paginated


@extend_schema(
    summary="Published organizations",
    description=(
        "Published organizations matching the filters, a page at a time (100 by "
        "default), with the total count, links to the next and previous pages and the "
        "data licence."
    ),
    parameters=filter_parameters(),
    responses={
        200: OrganizationSerializer(many=True),
        304: NOT_MODIFIED,
        400: ProblemSerializer,
        404: OpenApiResponse(ProblemSerializer, "A page past the last one."),
        429: ProblemSerializer,
    },
)
class OrganizationListView(PublicDataView):
    pagination_class = OrganizationPagination

    def get(self, request):
        organizations = self.filtered()
        paginator = self.pagination_class()
        paginator.get_page_size(request)

        def payload(version):
            ids = organizations.values_list("pk", flat=True)
            filters = sorted(
                (key, values)
                for key, values in request.query_params.lists()
                if key not in ("page", "page_size")
            )
            count = cached_count(ids, version=version, key=repr(filters))
            page_ids = paginator.paginate_queryset(ids, request, view=self, count=count)
            page = public_details_in_order(page_ids)
            serializer = OrganizationSerializer(page, many=True, context=self.serializer_context())
            return paginator.get_paginated_response(serializer.data).data

        return conditional_response(
            request,
            build=lambda version: Response(
                cached_payload(request, version, lambda: payload(version))
            ),
        )


@extend_schema(
    summary="One published organization",
    description="Its public fields, locations at public precision and the data licence.",
    responses={
        200: OrganizationDetailSerializer,
        304: NOT_MODIFIED,
        404: OpenApiResponse(ProblemSerializer, "No published organization has this slug."),
        429: ProblemSerializer,
    },
)
class OrganizationDetailView(PublicDataView):
    def get(self, request, slug):
        published = Organization.objects.published().filter(slug=slug)
        ids = list(published.values_list("pk", flat=True))
        if not ids:
            self.not_found()

        def payload():
            found = public_details_in_order(ids)
            if not found:  # unpublished a moment ago
                self.not_found()
            serializer = OrganizationDetailSerializer(found[0], context=self.serializer_context())
            return self.represent(serializer.data)

        return conditional_response(
            request,
            build=lambda version: Response(cached_payload(request, version, payload)),
        )

    def represent(self, data: dict):
        """What the answer holds, from the organization's API representation."""
        return data

    def not_found(self):
        raise NotFound(_("No published organization has this slug."))


@extend_schema(
    summary="Published organizations as GeoJSON",
    description=(
        "An RFC 7946 FeatureCollection with one Feature per organization matching the "
        "filters, at its primary location's public point; `geometry` is null when that "
        "point is hidden. Properties as the CSV columns, with arrays for lists."
    ),
    parameters=filter_parameters(),
    responses={
        (200, geojson.MEDIA_TYPE): OpenApiTypes.OBJECT,
        304: NOT_MODIFIED,
        400: ProblemSerializer,
        429: ProblemSerializer,
    },
)
class OrganizationGeoJSONView(PublicDataView):
    throttle_scope = "geojson"
    content_negotiation_class = FirstRendererNegotiation

    def get(self, request):
        organizations = self.filtered()
        base_url = site_url(request)

        def build(version):
            if request.method == "HEAD":
                return HttpResponse(content_type=geojson.MEDIA_TYPE)
            return StreamingHttpResponse(
                geojson.stream_feature_collection(organizations, base_url=base_url),
                content_type=geojson.MEDIA_TYPE,
            )

        return conditional_response(request, build=build)


@extend_schema(
    summary="Published organizations as CSV",
    description=(
        "One row per organization matching the filters, UTF-8, RFC 4180, columns as "
        "documented on /api/. Text cells that a spreadsheet would run as a formula start "
        "with an added apostrophe."
    ),
    parameters=[*filter_parameters(), *csv_option_parameters()],
    responses={
        (200, "text/csv"): OpenApiTypes.STR,
        304: NOT_MODIFIED,
        (400, "text/plain"): OpenApiTypes.STR,
        (429, "text/plain"): OpenApiTypes.STR,
    },
)
class OrganizationCSVView(PublicDataView):
    throttle_scope = "export"
    renderer_classes = [PlainTextErrorRenderer]
    content_negotiation_class = FirstRendererNegotiation

    def get(self, request):
        try:
            options = exports.parse_options(request.query_params)
        except InvalidParameters as error:
            options, option_errors = None, error.messages
        else:
            option_errors = []
        organizations = self.filtered(extra_errors=option_errors)
        base_url = site_url(request)
        filename = f"organizations-{timezone.localdate().isoformat()}.csv"

        def build(version):
            if request.method == "HEAD":
                response = HttpResponse(content_type=CSV_CONTENT_TYPE)
            else:
                response = StreamingHttpResponse(
                    exports.stream_csv(organizations, options=options, base_url=base_url),
                    content_type=CSV_CONTENT_TYPE,
                )
            response.headers["Content-Disposition"] = content_disposition_header(
                as_attachment=True, filename=filename
            )
            return response

        return conditional_response(request, build=build)


class SchemaView(SpectacularAPIView):
    throttle_classes = [PublicDataThrottle]
    throttle_scope = "api"

    @extend_schema(**SCHEMA_KWARGS)
    def get(self, request, *args, **kwargs):
        # The enums come from the reference tables: validators from the data version.
        return conditional_response(
            request, build=lambda version: super(SchemaView, self).get(request, *args, **kwargs)
        )


class ApiDocsView(TemplateView):
    """/api/: every endpoint, filter, option and column, with examples to paste."""

    template_name = "directory/api_docs.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **docs_context(self.request)}
