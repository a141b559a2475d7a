"""Organizers' previews of listings that are not public (draft, pending review,
archived): the detail page as the public would see it once published, for staff who
may view organizations in the admin ("View on site").

A preview is one person's page: it is marked `private, no-store` and `noindex`, the
page cache never keeps it (a signed-in request never reaches that cache either), and
everyone else still gets 404. Locations go through the same privacy rule as the public
page, so the preview shows what the public would see, not the stored points.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from directory.models import Organization

VIEW_PERMISSION = "directory.view_organization"


def may_preview(request: HttpRequest) -> bool:
    """Staff allowed to view organizations in the admin. A visitor without a session
    cookie is never looked up (their page stays shareable and cacheable)."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    user = request.user
    return user.is_active and user.is_staff and user.has_perm(VIEW_PERMISSION)


def detail_queryset(request: HttpRequest):
    """The listings the detail page may show this request: published ones, and for
    staff who may preview, every listing."""
    if may_preview(request):
        return Organization.objects.all()
    return Organization.objects.published()


def is_preview(organization: Organization) -> bool:
    return not organization.is_published


def keep_private(response: HttpResponse) -> HttpResponse:
    """Never stored by any cache, never indexed."""
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
