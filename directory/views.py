"""Public pages. Views stay thin: the filtering lives in directory.selectors."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.generic import DetailView

from directory.contributions import redirect_for_slug
from directory.models import Location, Organization, OrganizationType
from directory.selectors import InvalidFilters, public_filterset

PAGE_SIZE = 25


def _page(request, queryset):
    """The requested page, or (None, message) when the page parameter is unusable."""
    paginator = Paginator(queryset, PAGE_SIZE)
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


def organization_list(request, *, template_name="directory/organization_list.html", extra=None):
    context = {"organization_types": OrganizationType.objects.all(), **(extra or {})}
    base = Organization.objects.for_listing()
    if extra and extra.get("organization_type"):
        base = base.filter(type=extra["organization_type"])
    try:
        filterset = public_filterset(request.GET, queryset=base)
    except InvalidFilters as error:
        context["errors"] = error.messages
        return render(request, template_name, context, status=400)
    page, page_error = _page(request, filterset.qs)
    if page_error:
        context["errors"] = [page_error]
        return render(request, template_name, context, status=400)
    context.update(
        filterset=filterset,
        page_obj=page,
        organizations=page.object_list,
        near=filterset.near_point,
    )
    return render(request, template_name, context)


def home(request):
    return organization_list(request, template_name="directory/home.html")


def type_detail(request, slug):
    organization_type = get_object_or_404(OrganizationType, slug=slug)
    return organization_list(
        request,
        template_name="directory/type_detail.html",
        extra={"organization_type": organization_type},
    )


class OrganizationDetailView(DetailView):
    template_name = "directory/organization_detail.html"
    context_object_name = "organization"

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            return redirect_for_slug(kwargs["slug"])  # a merged listing's old address

    def get_queryset(self):
        return (
            Organization.objects.published()
            .select_related("type")
            .prefetch_related("languages", "sectors", "service_area", "social_links")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["locations"] = (
            Location.objects.filter(organization=self.object)
            .select_related("jurisdiction")
            .with_public_coordinates()
        )
        return context
