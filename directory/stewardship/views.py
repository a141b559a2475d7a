"""The page a verification email links to."""

from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from directory.core import posts
from directory.listings import slugs
from directory.stewardship import verification


@csrf_exempt  # checked by csrf_protect below, once the body is known to be a readable form
@require_http_methods(["GET", "POST"])
@posts.refuse_unreadable_posts
@csrf_protect
def verify(request, slug, token):
    """The page a verification email links to. Opening it changes nothing; the
    "still accurate" button does, once."""
    organization, moved = slugs.published_or_redirect(slug, "directory:organization-detail")
    if moved:
        return moved
    request_, problem = verification.read_link(token, organization)
    context = {"organization": organization}
    if problem is not None:
        context["expired"] = problem == "expired"
        status = 410 if problem == "expired" else 400
        return render(request, "directory/verify_invalid.html", context, status=status)
    if request.method == "POST":
        if verification.confirm(request_):
            return render(request, "directory/verify_done.html", context)
        # Used already (a second click, or a forwarded link): the page says when.
        request_.refresh_from_db()
    context.update(
        verification_request=request_,
        edit_url=verification.edit_path(request_) if request_.edit_sent_at is None else "",
        expires=request_.sent_at + verification.link_lifetime(),
    )
    return render(request, "directory/verify.html", context)
