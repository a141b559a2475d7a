"""Moderation in the admin: the queue of suggestions (new listings and edits, newest
first), the review page with its field-by-field diff, possible duplicates with merge,
verification requests, and old addresses that redirect after a merge.

Decisions go through directory.contributions.services, so each one is a revision in the
listing's history, by the organizer who made it, and a log entry on the suggestion.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from directory.contributions import merge, proposals
from directory.contributions import services as contributions
from directory.contributions.forms import ReviewDecision, ReviewForm
from directory.listings.admin import organization_admin_url
from directory.models import (
    ChangeRequest,
    ChangeRequestKind,
    ChangeRequestStatus,
    Organization,
    PossibleDuplicate,
    PossibleDuplicateStatus,
)
from directory.stewardship import verification


def listing_rows(organization: Organization) -> list[tuple[str, str]]:
    """A listing's public details and its locations, as organizers review them."""
    values, _address_public = proposals.public_values(organization)
    rows = [
        (proposals.field_label(name), proposals.display_value(name, values[name]))
        for name in proposals.ORGANIZATION_NAMES
        if values.get(name) not in ("", None, [])
    ]
    for location in organization.locations.select_related("jurisdiction"):
        place = ", ".join(
            part
            for part in (location.street_address, location.city, location.state, location.zip_code)
            if part
        )
        point = _("no point")
        if location.latitude is not None:
            source = location.get_point_source_display()
            point = f"{location.latitude:.5f}, {location.longitude:.5f} ({source})"
        rows.append((_("Location"), f"{place} · {location.jurisdiction or ''} · {point}"))
        rows.append((_("Public precision"), location.get_precision_display()))
    return rows


def comparison_column(organization: Organization) -> dict:
    return {
        "organization": organization,
        "admin_url": organization_admin_url(organization),
        "rows": [
            (_("Status"), organization.get_status_display()),
            (_("Address"), f"/organizations/{organization.slug}/"),
            *listing_rows(organization),
            (
                _("Internal contact (private)"),
                " · ".join(
                    part
                    for part in (
                        organization.internal_contact_name,
                        organization.internal_contact_email,
                        organization.internal_contact_phone,
                    )
                    if part
                )
                or _("none"),
            ),
            (_("Last verified"), organization.last_verified or _("never")),
            (_("Last changed"), organization.updated_at),
            (_("Created"), organization.created_at.date()),
        ],
    }


def suggested_survivor(first: Organization, second: Organization) -> Organization:
    """Keep the published listing; between equals, the older one (its address is the
    one people have bookmarked)."""
    if first.is_published != second.is_published:
        return first if first.is_published else second
    return min(first, second, key=lambda organization: organization.pk)


class DefaultValueFilter(admin.SimpleListFilter):
    """A list filter that starts on one value (the work to do) and offers "All"."""

    default = ""

    def value(self):
        value = super().value()
        return self.default if value is None else value

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == str(lookup),
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }


class QueueStatusFilter(DefaultValueFilter):
    title = _("status")
    parameter_name = "status"
    default = ChangeRequestStatus.PENDING

    def lookups(self, request, model_admin):
        return [*ChangeRequestStatus.choices, ("all", _("All"))]

    def queryset(self, request, queryset):
        if self.value() in ChangeRequestStatus.values:
            return queryset.filter(status=self.value())
        return queryset


@admin.register(ChangeRequest)
class ChangeRequestAdmin(admin.ModelAdmin):
    """The moderation queue. Its "change" page is the review page."""

    list_display = ["title", "kind", "reason", "status", "created_at", "sender"]
    list_display_links = ["title"]
    list_filter = [QueueStatusFilter, "kind", "reason", "from_verified_contact"]
    search_fields = ["organization_name", "message", "submitter_email", "submitter_name"]
    list_select_related = ["organization"]
    ordering = ["-created_at", "-pk"]
    list_per_page = 50
    review_template = "admin/directory/changerequest/review.html"

    def has_add_permission(self, request):
        return False  # suggestions come from the public forms

    def changelist_view(self, request, extra_context=None):
        title = {"title": _("Suggestions to review")}
        return super().changelist_view(request, {**title, **(extra_context or {})})

    def has_delete_permission(self, request, obj=None):
        return False  # decisions stay on record

    @admin.display(description=_("suggestion"), ordering="organization_name")
    def title(self, change_request):
        return str(change_request)

    @admin.display(description=_("from"))
    def sender(self, change_request):
        if change_request.from_verified_contact:
            return _("the listing's contact")
        if change_request.submitter_is_member:
            return _("a member")
        return _("a visitor")

    def can_decide(self, request, change_request) -> bool:
        return (
            change_request.is_pending
            and self.has_change_permission(request, change_request)
            and request.user.has_perm("directory.change_organization")
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        change_request = self.get_object(request, unquote(object_id))
        if change_request is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, change_request):
            raise PermissionDenied
        can_decide = self.can_decide(request, change_request)
        form = ReviewForm(
            request.POST if request.method == "POST" else None,
            change_request=change_request,
            label_suffix="",
        )
        if request.method == "POST":
            if not can_decide:
                raise PermissionDenied
            if form.is_valid():
                response = self._decide(request, change_request, form)
                if response is not None:
                    return response
        return TemplateResponse(
            request,
            self.review_template,
            self._review_context(request, change_request, form, can_decide),
        )

    def _decide(self, request, change_request, form):
        try:
            if form.decision == ReviewDecision.REJECT:
                contributions.reject(
                    change_request=change_request,
                    user=request.user,
                    note=form.cleaned_data["decision_note"],
                )
                message = _("Rejected: %(request)s.")
            else:
                contributions.approve(
                    change_request=change_request,
                    user=request.user,
                    values=form.values() if form.value_fields else None,
                )
                message = _("Approved: %(request)s.")
        except ValidationError as error:
            for text in error.messages:
                form.add_error(None, text)
            return None
        self.log_change(request, change_request, str(message % {"request": change_request}))
        self.message_user(request, message % {"request": change_request}, messages.SUCCESS)
        return redirect("admin:directory_changerequest_changelist")

    def _review_context(self, request, change_request, form, can_decide):
        organization = change_request.organization
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": str(change_request),
            "subtitle": None,
            "change_request": change_request,
            "form": form,
            "can_decide": can_decide,
            "diff": proposals.diff(change_request),
            "organization": organization,
            "lookalikes": [],
        }
        if organization is not None:
            context["organization_url"] = organization_admin_url(organization)
            context["history_url"] = reverse(
                "admin:directory_organization_history", args=[organization.pk]
            )
            if change_request.kind == ChangeRequestKind.NEW_LISTING:
                context["listing_rows"] = listing_rows(organization)
            context["lookalikes"] = [
                (pair, pair.other(organization))
                for pair in PossibleDuplicate.objects.involving(organization)
                .open()
                .select_related("organization", "similar_to")
            ]
        return context


class DuplicateStatusFilter(DefaultValueFilter):
    title = _("status")
    parameter_name = "status"
    default = PossibleDuplicateStatus.OPEN

    def lookups(self, request, model_admin):
        return [*PossibleDuplicateStatus.choices, ("all", _("All"))]

    def queryset(self, request, queryset):
        if self.value() in PossibleDuplicateStatus.values:
            return queryset.filter(status=self.value())
        return queryset


@admin.register(PossibleDuplicate)
class PossibleDuplicateAdmin(admin.ModelAdmin):
    """Pairs of listings that look like one organization. Its "change" page compares
    them and offers the merge."""

    list_display = ["pair", "why", "status", "created_at"]
    list_filter = [DuplicateStatusFilter]
    list_select_related = ["organization", "similar_to"]
    search_fields = ["organization__name", "similar_to__name"]
    ordering = ["-created_at", "-pk"]
    compare_template = "admin/directory/possibleduplicate/compare.html"

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("listings"))
    def pair(self, duplicate):
        return format_html("{} / {}", duplicate.organization, duplicate.similar_to)

    @admin.display(description=_("why"))
    def why(self, duplicate):
        return ", ".join(duplicate.reason_labels())

    def _merged_message(self, request, duplicate, survivor, summary):
        self.message_user(request, _merged_text(duplicate, survivor, summary), messages.SUCCESS)

    def can_merge(self, request) -> bool:
        return request.user.has_perm("directory.change_organization") and request.user.has_perm(
            "directory.delete_organization"
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        pair = self.get_object(request, unquote(object_id))
        if pair is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, pair):
            raise PermissionDenied
        error = None
        if request.method == "POST":
            if not self.has_change_permission(request, pair):
                raise PermissionDenied
            if "dismiss" in request.POST:
                contributions.dismiss_duplicate(pair=pair, user=request.user)
                self.log_change(request, pair, str(_("Marked as different organizations.")))
                self.message_user(
                    request, _("Marked as different organizations."), messages.SUCCESS
                )
                return redirect("admin:directory_possibleduplicate_changelist")
            if not self.can_merge(request):
                raise PermissionDenied
            keep = request.POST.get("keep", "")
            listings = {str(pair.organization_id): pair.organization}
            listings[str(pair.similar_to_id)] = pair.similar_to
            if keep not in listings:
                error = _("Choose which listing to keep.")
            else:
                survivor = listings.pop(keep)
                duplicate = next(iter(listings.values()))
                chosen = {}
                for choice in merge.field_choices(pair.organization, pair.similar_to):
                    picked = request.POST.get(f"choice_{choice.name}", "")
                    if picked.isdigit() and int(picked) in choice.values:
                        chosen[choice.name] = int(picked)
                try:
                    summary = merge.merge(
                        duplicate=duplicate, survivor=survivor, user=request.user, chosen=chosen
                    )
                except ValidationError as problem:
                    error = " ".join(problem.messages)
                else:
                    self._merged_message(request, duplicate, survivor, summary)
                    return redirect(organization_admin_url(survivor))
        return TemplateResponse(
            request,
            self.compare_template,
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": _("Possible duplicate"),
                "subtitle": None,
                "pair": pair,
                "error": error,
                "columns": [
                    comparison_column(pair.organization),
                    comparison_column(pair.similar_to),
                ],
                "suggested_keep": suggested_survivor(pair.organization, pair.similar_to),
                "field_choices": [
                    (
                        choice,
                        [
                            (listing, choice.values[listing.pk])
                            for listing in (pair.organization, pair.similar_to)
                        ],
                    )
                    for choice in merge.field_choices(pair.organization, pair.similar_to)
                ],
                "can_merge": self.can_merge(request)
                and pair.status == PossibleDuplicateStatus.OPEN,
                "can_dismiss": self.has_change_permission(request, pair)
                and pair.status == PossibleDuplicateStatus.OPEN,
            },
        )


def _merged_text(duplicate, survivor, summary) -> str:
    parts = [
        _(
            "Merged “%(old)s” into “%(new)s”: %(locations)d location(s) moved; its old "
            "address now redirects here."
        )
        % {"old": duplicate.name, "new": survivor.name, "locations": summary.locations}
    ]
    if summary.same_place:
        parts.append(
            _("%(count)d location(s) within 50 m of one already here were not added again.")
            % {"count": summary.same_place}
        )
    if summary.taken:
        parts.append(
            _("Values taken from “%(old)s”: %(fields)s.")
            % {"old": duplicate.name, "fields": ", ".join(summary.taken)}
        )
    if summary.published:
        parts.append(
            _("“%(old)s” was published, so “%(new)s” is published now.")
            % {"old": duplicate.name, "new": survivor.name}
        )
    return " ".join(str(part) for part in parts)


def moderation_counts() -> dict:
    """The numbers the admin index shows organizers."""
    pending = ChangeRequest.objects.pending()
    return {
        "new_listings": pending.filter(kind=ChangeRequestKind.NEW_LISTING).count(),
        "edits": pending.filter(kind=ChangeRequestKind.EDIT).count(),
        "duplicates": PossibleDuplicate.objects.open().count(),
        "stale": Organization.objects.needing_verification().count(),
        "unanswered": verification.needing_attention().count(),
    }
