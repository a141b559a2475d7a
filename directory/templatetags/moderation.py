"""Admin template tags for moderation: the dashboard on the admin index and the
panel of suggestions and possible duplicates on an organization's page."""

from django import template
from django.urls import reverse

from directory.models import ChangeRequest, PossibleDuplicate

register = template.Library()


@register.inclusion_tag("admin/directory/moderation_dashboard.html", takes_context=True)
def moderation_dashboard(context):
    from directory.contributions.admin import moderation_counts

    user = context["request"].user
    if not user.has_perm("directory.view_changerequest"):
        return {"show": False}
    counts = moderation_counts()
    queue = reverse("admin:directory_changerequest_changelist")
    organizations = reverse("admin:directory_organization_changelist")
    return {
        "show": True,
        "counts": counts,
        "links": {
            "new_listings": f"{queue}?kind__exact=new",
            "edits": f"{queue}?kind__exact=edit",
            "duplicates": reverse("admin:directory_possibleduplicate_changelist"),
            "stale": f"{organizations}?status__exact=published&verification=stale",
            "unanswered": reverse("admin:directory_verificationrequest_changelist")
            + "?attention=yes",
        },
    }


@register.inclusion_tag("admin/directory/organization/moderation_panel.html", takes_context=True)
def organization_moderation(context, organization):
    user = context["request"].user
    if not organization or getattr(organization, "pk", None) is None:  # the add form
        return {"show": False}
    suggestions = []
    if user.has_perm("directory.view_changerequest"):
        suggestions = list(ChangeRequest.objects.pending().filter(organization=organization))
    lookalikes = []
    if user.has_perm("directory.view_possibleduplicate"):
        lookalikes = [
            (pair, pair.other(organization))
            for pair in PossibleDuplicate.objects.involving(organization)
            .open()
            .select_related("organization", "similar_to")
        ]
    return {
        "show": bool(suggestions or lookalikes),
        "organization": organization,
        "suggestions": suggestions,
        "lookalikes": lookalikes,
    }
