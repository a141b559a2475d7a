"""Verification requests in the admin: what was sent to whom, the answers, and the
listings whose contacts have stayed silent."""

from django.contrib import admin
from django.db.models import Exists, OuterRef
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from directory.listings.admin import organization_admin_url
from directory.models import VerificationRequest
from directory.stewardship import verification


class AttentionFilter(admin.SimpleListFilter):
    title = _("needs attention")
    parameter_name = "attention"

    def lookups(self, request, model_admin):
        return [("yes", _("No answer for a long time (listing still not verified)"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            listings = verification.needing_attention()
            return queryset.unanswered().filter(
                Exists(listings.filter(pk=OuterRef("organization_id"))),
                flagged_at__isnull=False,
            )
        return queryset


@admin.register(VerificationRequest)
class VerificationRequestAdmin(admin.ModelAdmin):
    list_display = ["organization_link", "email", "sent_at", "answer", "answered_at", "flagged_at"]
    list_filter = [AttentionFilter, "answer", ("answered_at", admin.EmptyFieldListFilter)]
    list_select_related = ["organization"]
    search_fields = ["organization__name", "email"]
    ordering = ["-sent_at"]

    def has_add_permission(self, request):
        return False  # sent by `manage.py send_verification_requests`

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("organization"), ordering="organization__name")
    def organization_link(self, request_):
        return format_html(
            '<a href="{}">{}</a>',
            organization_admin_url(request_.organization),
            request_.organization,
        )
