"""Public contribution pages: suggest a listing, suggest an edit, answer a
verification request. Thin: forms validate, directory.contributions.services writes."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from directory.contributions import abuse, lookalikes, proposals
from directory.contributions import services as contributions
from directory.contributions.forms import SuggestEditForm, SuggestListingForm
from directory.core import posts
from directory.core.region import REGION_CENTER, tile_attribution
from directory.listings import slugs
from directory.models import Organization
from directory.stewardship import verification


def _map_config() -> dict:
    return {
        "tileUrl": settings.MAP_TILE_URL,
        "attribution": tile_attribution(),
        "center": REGION_CENTER,
        "zoom": 8,
    }


def _submitter(form) -> contributions.Submitter:
    return contributions.Submitter(
        name=form.cleaned_data.get("submitter_name", ""),
        email=form.cleaned_data.get("submitter_email", ""),
        is_member=bool(form.cleaned_data.get("submitter_is_member")),
    )


def _show_errors(form, error: ValidationError) -> None:
    """A model rule the form did not catch still reaches the person as a form error."""
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for field, messages in error.message_dict.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)


def _published_lookalikes(form: SuggestListingForm) -> list[Organization]:
    """Published listings the suggestion may duplicate (never a pending one: the
    public must not learn what is waiting for review), compared by public points."""
    values = form.listing_values()
    location = form.location
    pin = (
        (location.latitude, location.longitude)
        if location is not None and location.latitude is not None
        else None
    )
    return lookalikes.published_lookalikes(
        name=values["name"],
        website=values.get("website") or "",
        phone=values.get("phone") or "",
        pin=pin,
    )


@csrf_exempt  # checked by csrf_protect below, once the body is known to be a readable form
@require_http_methods(["GET", "POST"])
@posts.refuse_unreadable_posts
@csrf_protect
def suggest(request):
    # Every post counts towards the address's limit, whatever it is answered: a page
    # that shows lookalikes or errors is an answer a script could learn from.
    limited = (
        not abuse.take_submission(request)
        if request.method == "POST"
        else abuse.is_rate_limited(request)
    )
    context = {
        "map_config": _map_config(),
        "limited": limited,
        "rate_window": settings.CONTRIBUTION_RATE_WINDOW_MINUTES,
        "lookalikes": [],
    }
    if request.method != "POST":
        context["form"] = SuggestListingForm(label_suffix="")
        return render(request, "directory/suggest.html", context)

    form = SuggestListingForm(
        request.POST, label_suffix="", min_fill_seconds=settings.CONTRIBUTION_MIN_FILL_SECONDS
    )
    context["form"] = form
    if limited:
        # What they typed stays on the page, so nothing is lost while they wait.
        return render(request, "directory/suggest.html", context, status=429)
    if not form.is_valid():
        return render(request, "directory/suggest.html", context)
    if not form.cleaned_data["not_a_duplicate"]:
        context["lookalikes"] = _published_lookalikes(form)
        if context["lookalikes"]:
            return render(request, "directory/suggest.html", context)
    try:
        contributions.submit_listing(
            values=form.listing_values(), location=form.location, submitter=_submitter(form)
        )
    except ValidationError as error:
        _show_errors(form, error)
        return render(request, "directory/suggest.html", context)
    return redirect("directory:suggest-thanks")


def suggest_thanks(request):
    return render(request, "directory/suggest_thanks.html")


@csrf_exempt  # checked by csrf_protect below, once the body is known to be a readable form
@require_http_methods(["GET", "POST"])
@posts.refuse_unreadable_posts
@csrf_protect
def suggest_edit(request, slug):
    organization, moved = slugs.published_or_redirect(slug, "directory:suggest-edit")
    if moved:
        return moved
    token = request.POST.get("verification") or request.GET.get("verification", "")
    verified, link_problem = verification.read_edit_link(token[:500], organization)
    current, address_public = proposals.public_values(organization)
    if verified is not None:
        limited = False
    elif request.method == "POST":
        limited = not abuse.take_submission(request)
    else:
        limited = abuse.is_rate_limited(request)
    form_options = {
        "organization": organization,
        "current": current,
        "address_public": address_public,
        "label_suffix": "",
        "check_fill_time": verified is None,
        "min_fill_seconds": settings.CONTRIBUTION_MIN_FILL_SECONDS,
    }
    context = {
        "organization": organization,
        "limited": limited,
        "rate_window": settings.CONTRIBUTION_RATE_WINDOW_MINUTES,
        "verified": verified,
        "link_problem": link_problem,
    }
    if request.method != "POST":
        initial = {}
        if verified is not None:
            # Never the address the email went to: it may be the internal contact, and
            # the link may have been forwarded. An empty email means that address.
            initial = {"verification": token, "submitter_is_member": True}
        context["form"] = SuggestEditForm(initial=initial, **form_options)
        return render(request, "directory/suggest_edit.html", context)

    form = SuggestEditForm(request.POST, **form_options)
    context["form"] = form
    if limited:
        return render(request, "directory/suggest_edit.html", context, status=429)
    if not form.is_valid():
        return render(request, "directory/suggest_edit.html", context)
    try:
        contributions.submit_change_request(
            organization=organization,
            reason=form.cleaned_data["reason"],
            proposed=form.proposed,
            message=form.cleaned_data.get("message", ""),
            duplicate_of_text=form.cleaned_data.get("duplicate_of", ""),
            submitter=_submitter(form),
            verification=verified,
        )
    except ValidationError as error:
        _show_errors(form, error)
        return render(request, "directory/suggest_edit.html", context)
    return redirect("directory:suggest-edit-thanks", slug=organization.slug)


def suggest_edit_thanks(request, slug):
    organization = get_object_or_404(Organization.objects.published(), slug=slug)
    return render(request, "directory/suggest_edit_thanks.html", {"organization": organization})
