"""Public pages and the map data. Views stay thin: filtering lives in directory.browse.selectors,
the map document in directory.partners.map_data, structured data in directory.browse.seo."""

import functools
import re
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe
from django.views.generic import DetailView

from directory.browse import design as design_system
from directory.browse import preview
from directory.browse.applied import applied_filters, wider_radius
from directory.browse.filters import OrganizationFilterSet
from directory.browse.navigation import back_to_results, directions_url
from directory.browse.page_cache import cached_public_page
from directory.browse.print_sheet import build_sheet, filter_summary, qr_code_svg
from directory.browse.selectors import public_filterset, type_counts
from directory.browse.seo import organization_json_ld
from directory.core import languages
from directory.core.errors import InvalidParameters
from directory.core.links import absolute_url
from directory.core.markers import glyph_paths, ink_for
from directory.core.region import REGION_BOUNDS, REGION_CENTER, State, tile_attribution
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
        "applied": applied_filters(request.GET, fixed_type=organization_type),
        "wider": wider_radius(request.GET),
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
    outcome = filterset.search_outcome
    suggestion_params = request.GET.copy()
    for name in NOT_FILTERS:
        suggestion_params.pop(name, None)
    if outcome and outcome.suggestion:
        suggestion_params["q"] = outcome.suggestion
    context.update(
        filterset=filterset,
        # The search as run: a misspelling found nothing and its correction was searched
        # ("Showing results for ..."), or a correction that would find listings is offered.
        search_query=outcome.query if outcome else "",
        search_corrected_from=outcome.corrected_from if outcome else "",
        spelling_suggestion=outcome.suggestion if outcome else "",
        # The same filters with the suggestion as the query, for its link.
        spelling_suggestion_query=suggestion_params.urlencode()
        if outcome and outcome.suggestion
        else "",
        page_obj=page,
        organizations=page.object_list,
        near=filterset.near_point,
        near_radius=filterset.form.cleaned_data.get("radius") or 25,
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
        "tileAttribution": tile_attribution(),
        "center": REGION_CENTER,
        "bounds": [
            [REGION_BOUNDS.south, REGION_BOUNDS.west],
            [REGION_BOUNDS.north, REGION_BOUNDS.east],
        ],
        "types": {
            organization_type.slug: {
                "name": organization_type.name,
                "plural": organization_type.plural,
                "colour": organization_type.colour,
                "ink": ink_for(organization_type.colour),
                "glyph": glyph_paths(organization_type.marker),
            }
            for organization_type in OrganizationType.objects.all()
        },
        "embed": embed,
        "linkTarget": "_blank" if embed else "",
        "strings": {
            "cluster": _("%(count)s organizations here: select to zoom in"),
            "clusterMix": _("%(count)s organizations here (%(mix)s): select to zoom in"),
            "accepting": _("Accepting new members"),
            "notAccepting": _("Not accepting new members"),
            "details": _("See details"),
            "nearLabel": _("You searched near %(place)s"),
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


@require_safe
def print_sheet(request):
    """A resource sheet to print: every match of the filters, not one page of them.
    Not kept in the page cache: it carries today's date."""
    query = _filter_query(request)
    sheet_url = absolute_url(reverse("directory:print-sheet") + (f"?{query}" if query else ""))
    context = {
        "filter_query": query,
        "sheet_url": sheet_url,
        "results_url": reverse("directory:organization-list") + (f"?{query}" if query else ""),
    }
    try:
        filterset = public_filterset(request.GET, queryset=Organization.objects.all())
    except InvalidParameters as error:
        context["errors"] = error.messages
        return render(request, "directory/print_sheet.html", context, status=400)
    sheet = build_sheet(filterset.qs)
    context.update(
        entries=sheet.entries,
        too_many=sheet.too_many,
        max_rows=sheet.limit,
        summary=filter_summary(filterset),
        qr_code=qr_code_svg(sheet_url),
        today=timezone.localdate(),
    )
    return render(request, "directory/print_sheet.html", context)


@method_decorator(cached_public_page, name="get")
class OrganizationDetailView(DetailView):
    template_name = "directory/organization_detail.html"
    context_object_name = "organization"

    def get(self, request, *args, **kwargs):
        try:
            response = super().get(request, *args, **kwargs)
        except Http404:
            return slugs.redirect_for_slug(kwargs["slug"])  # a merged listing's old address
        return preview.keep_private(response) if preview.is_preview(self.object) else response

    def get_queryset(self):
        # Published listings; for staff who may preview (directory.browse.preview), all.
        return (
            preview.detail_queryset(self.request)
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
            preview=preview.is_preview(self.object),
            locations=locations,
            location_rows=[(location, directions_url(location)) for location in locations],
            back=back_to_results(self.request),
            is_stale=self.object.is_stale(),
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
def design(request):
    """The living reference of the design system, for the people who build the site."""
    tokens = design_system.design_tokens()
    colours = [(name, tokens.get(name, "")) for name in design_system.COLOUR_TOKENS]
    return render(
        request,
        "directory/design.html",
        {
            "colours": colours,
            "spaces": [
                (name, value) for name, value in tokens.items() if name.startswith("space-")
            ],
            "text_sizes": [
                (name, value) for name, value in tokens.items() if name.startswith("text-")
            ],
            "organization_types": OrganizationType.objects.all(),
        },
    )


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


# The icons every page links to (templates/base.html); the manifest lists the same files.
ICON_SIZES = (192, 512)
THEME_COLOUR = "#1f5f8b"


@require_safe
def web_manifest(request):
    """The web app manifest: the name and icons a phone shows when the site is added to
    its home screen."""
    icons = [
        {"src": static("directory/icons/icon.svg"), "type": "image/svg+xml", "sizes": "any"},
        *(
            {
                "src": static(f"directory/icons/icon-{size}.png"),
                "type": "image/png",
                "sizes": f"{size}x{size}",
            }
            for size in ICON_SIZES
        ),
        {
            "src": static("directory/icons/icon-maskable-512.png"),
            "type": "image/png",
            "sizes": "512x512",
            "purpose": "maskable",
        },
    ]
    manifest = {
        "name": settings.SITE_NAME,
        "short_name": _("Solidarity map"),
        "description": _(
            "Co-ops, land trusts, mutual aid groups, credit unions and community lenders "
            "in DC, Maryland and Virginia."
        ),
        "lang": get_language(),
        "start_url": reverse("directory:home"),
        "scope": "/",
        "display": "minimal-ui",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOUR,
        "icons": icons,
    }
    response = JsonResponse(manifest, content_type="application/manifest+json")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@functools.cache
def _favicon_png() -> bytes:
    return Path(finders.find("directory/icons/favicon-32.png")).read_bytes()


@require_safe
def favicon(request):
    """For browsers and feed readers that ask for /favicon.ico without reading the
    page's icon links: the 32 px PNG icon (browsers read a PNG at this address)."""
    response = HttpResponse(_favicon_png(), content_type="image/png")
    response["Cache-Control"] = "public, max-age=86400"
    return response
