"""Public pages and the map data. Views stay thin: filtering lives in directory.browse.selectors,
the map document in directory.partners.map_data, structured data in directory.browse.seo."""

import re

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe
from django.views.generic import DetailView

from directory.browse.filters import OrganizationFilterSet
from directory.browse.page_cache import cached_public_page
from directory.browse.selectors import (
    public_filterset,
    type_counts,
)
from directory.browse.seo import organization_json_ld
from directory.core import languages
from directory.core.errors import InvalidParameters
from directory.core.links import absolute_url
from directory.core.region import REGION_BOUNDS, REGION_CENTER, State
from directory.listings import privacy, slugs, translations
from directory.models import (
    AcceptingMembers,
    Jurisdiction,
    Language,
    Organization,
    OrganizationType,
    Sector,
)

PAGE_SIZE = 25
EMBED_PAGE_SIZE = 10
# Parameters that are not filters: they never go into map data or export links.
NOT_FILTERS = ("page",)
RADIUS_CHOICES = ["1", "5", "10", "25", "50", "100"]
ACCEPTS_GZIP = re.compile(r"\bgzip\b")


def _page(request, queryset, per_page):
    """The requested page, or (None, message) when the page parameter is unusable."""
    paginator = Paginator(queryset, per_page)
    raw = request.GET.get("page", "1")
    try:
        return paginator.page(raw), None
    except PageNotAnInteger:
        return None, _("“page” must be a whole number, for example page=2.")
    except EmptyPage:
        return None, _("There is no page %(page)s; the results have %(pages)d page(s).") % {
            "page": raw[:12],
            "pages": paginator.num_pages,
        }


def _filter_query(request, *, organization_type=None) -> str:
    """The request's filters as a query string (no page number), for map data, export
    and share links; on a type page the type is one of the filters."""
    params = request.GET.copy()
    for name in NOT_FILTERS:
        params.pop(name, None)
    if organization_type is not None:
        params.setlist("type", [organization_type.slug])
    return params.urlencode()


def _notices(filterset) -> list[str]:
    """Parameters that were valid but had no effect, said out loud."""
    data = filterset.form.cleaned_data
    notices = []
    if data.get("radius") and data.get("near") is None:
        notices.append(_("“Within” applies only with a ZIP code or a point to search near."))
    if data.get("sort") == "distance" and data.get("near") is None:
        notices.append(_("Sorting by distance needs a ZIP code or a point; sorted by name."))
    return notices


def _results(request, *, organization_type=None, per_page=PAGE_SIZE, with_counts=False):
    """(context, status) for a page that shows filtered results."""
    base = Organization.objects.for_listing()
    if organization_type is not None:
        base = base.filter(type=organization_type)
    context = {
        "organization_type": organization_type,
        "filter_query": _filter_query(request),
        "export_query": _filter_query(request, organization_type=organization_type),
        "selected": {
            name: set(request.GET.getlist(name)) for name in ("type", "sector", "language")
        },
    }
    try:
        filterset = public_filterset(request.GET, queryset=base)
        if with_counts:
            context["type_counts"] = type_counts(request.GET)
    except InvalidParameters as error:
        context["errors"] = error.messages
        return context, 400
    page, page_error = _page(request, filterset.qs, per_page)
    if page_error:
        context["errors"] = [page_error]
        return context, 400
    context.update(
        filterset=filterset,
        page_obj=page,
        organizations=page.object_list,
        near=filterset.near_point,
        notices=_notices(filterset),
    )
    return context, 200


def _panel_context():
    """Choices for the filter panel (queried only when a template shows the panel)."""
    return {
        "organization_types": OrganizationType.objects.all(),
        "jurisdictions": Jurisdiction.objects.all(),
        "sectors": Sector.objects.all(),
        "languages": Language.objects.all(),
        "state_choices": State.choices,
        "accepting_choices": AcceptingMembers.choices,
        "sort_choices": OrganizationFilterSet.base_filters["sort"].extra["choices"],
        "radius_choices": RADIUS_CHOICES,
    }


def _map_config(
    request, *, fixed: dict | None = None, embed: bool = False, data_query: str = ""
) -> dict:
    """Everything the map script needs, for json_script. `initialDataUrl` is the map
    data for the page as served, which the page also preloads."""
    data_url = languages.data_url("location-map-data")
    return {
        "dataUrl": data_url,
        "initialDataUrl": f"{data_url}?{data_query}" if data_query else data_url,
        "resultsUrl": reverse("directory:results-partial"),
        "fixedParams": fixed or {},
        "tileUrl": settings.MAP_TILE_URL,
        "tileAttribution": settings.MAP_TILE_ATTRIBUTION,
        "center": REGION_CENTER,
        "bounds": [
            [REGION_BOUNDS.south, REGION_BOUNDS.west],
            [REGION_BOUNDS.north, REGION_BOUNDS.east],
        ],
        "types": {
            organization_type.slug: {
                "name": organization_type.name,
                "colour": organization_type.colour,
            }
            for organization_type in OrganizationType.objects.all()
        },
        "embed": embed,
        "linkTarget": "_blank" if embed else "",
        "strings": {
            "cluster": _("%(count)s organizations here: select to zoom in"),
            "truncated": _(
                "The map shows the first %(count)s matches only. Zoom in, filter or use the "
                "list to see the rest."
            ),
            "noPoints": _("No matching organization has a public location on the map."),
            "loadError": _("The map could not be loaded. The list below still works."),
            "locating": _("Finding your location…"),
            "locateFailed": _("Your location is not available (%(reason)s). Enter a ZIP code."),
            "copied": _("Copied."),
            "copyManually": _("Select the text and copy it."),
        },
    }


@require_safe
@cached_public_page
def home(request):
    context, status = _results(request, with_counts=True)
    context.update(
        _panel_context(), map_config=_map_config(request, data_query=context["export_query"])
    )
    context["embed_url"] = absolute_url(reverse("directory:embed"))
    context["home_url"] = absolute_url(reverse("directory:home"))
    return render(request, "directory/home.html", context, status=status)


@require_safe
@cached_public_page
def organization_list(request):
    context, status = _results(request, with_counts=True)
    context.update(_panel_context())
    return render(request, "directory/organization_list.html", context, status=status)


@require_safe
@cached_public_page
def type_detail(request, slug):
    organization_type = get_object_or_404(OrganizationType, slug=slug)
    context, status = _results(request, organization_type=organization_type)
    context.update(
        _panel_context(),
        map_config=_map_config(
            request, fixed={"type": organization_type.slug}, data_query=context["export_query"]
        ),
        canonical_url=absolute_url(organization_type.get_absolute_url()),
        type_shown_in_english=translations.shown_in_original(
            organization_type, fields=("description",)
        ),
    )
    return render(request, "directory/type_detail.html", context, status=status)


@require_safe
@cached_public_page
def results_partial(request):
    """The result list and per-type counts, for the map page to swap in without a reload."""
    context, status = _results(request, with_counts=True)
    return render(request, "includes/results_partial.html", context, status=status)


@xframe_options_exempt
@require_safe
@cached_public_page
def embed(request):
    """A minimal map and list for partners' iframes: the only page that may be framed."""
    context, status = _results(request, per_page=EMBED_PAGE_SIZE)
    context.update(
        embed=True,
        map_config=_map_config(request, embed=True, data_query=context["export_query"]),
        full_view_url=absolute_url(reverse("directory:home")),
    )
    return render(request, "directory/embed.html", context, status=status)


@method_decorator(cached_public_page, name="get")
class OrganizationDetailView(DetailView):
    template_name = "directory/organization_detail.html"
    context_object_name = "organization"

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            return slugs.redirect_for_slug(kwargs["slug"])  # a merged listing's old address

    def get_queryset(self):
        return (
            Organization.objects.published()
            .select_related("type")
            .prefetch_related("languages", "sectors", "service_area", "social_links")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        locations = privacy.public_places(self.object)
        canonical_url = absolute_url(self.object.get_absolute_url())
        points = [
            {
                "latitude": location.public_latitude,
                "longitude": location.public_longitude,
                "label": location.label or self.object.name,
                "approximate": location.is_approximate,
            }
            for location in locations
            if location.has_point
        ]
        context.update(
            locations=locations,
            # Which texts are the English original standing in for a translation.
            shown_in_english=translations.shown_in_original(self.object),
            canonical_url=canonical_url,
            json_ld=organization_json_ld(self.object, locations, url=canonical_url),
            map_config={
                **_map_config(self.request),
                "points": points,
                "pointType": self.object.type.slug,
            }
            if points
            else None,
        )
        return context


@require_safe
def robots_txt(request):
    sitemap = absolute_url(reverse("directory:sitemap"))
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /partials/",
        "Disallow: /embed/",
        f"Sitemap: {sitemap}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
