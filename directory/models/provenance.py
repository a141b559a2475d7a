"""Provenance: where an imported listing came from (a public source's record), and
the source's values as of the last import, so a re-import can tell an organizer's edit
from a change at the source.

Written by directory.listings.sources; shown to organizers in the admin.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.models.listings import Organization


class Source(models.TextChoices):
    NCUA = "ncua", _("NCUA: federally insured credit unions")
    CDFI = "cdfi", _("CDFI Fund: certified CDFIs")


class SourceRecord(models.Model):
    """One record of a public source and the listing made from it."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("listing"),
        # Deleting the listing keeps its provenance: a re-import then reports the listing
        # as deleted instead of creating it again, and recovering the listing from its
        # history (same id) links it again.
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="source_records",
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    record_id = models.CharField(
        _("source record id"),
        max_length=100,
        help_text=_("The record's identifier at the source (NCUA: the charter number)."),
    )
    retrieved_on = models.DateField(_("retrieved on"))
    license = models.CharField(_("licence"), max_length=200)
    license_url = models.URLField(_("licence address"), blank=True)
    imported_values = models.JSONField(
        _("values at the last import"),
        default=dict,
        help_text=_("The source's values as last imported, by import column."),
    )
    first_imported_at = models.DateTimeField(_("first imported"), default=timezone.now)
    last_imported_at = models.DateTimeField(_("last imported"), default=timezone.now)

    class Meta:
        ordering = ["source", "record_id"]
        verbose_name = _("source record")
        verbose_name_plural = _("source records")
        constraints = [
            models.UniqueConstraint(fields=["source", "record_id"], name="unique_source_record"),
            models.CheckConstraint(
                condition=Q(source__in=Source.values), name="source_record_source_valid"
            ),
        ]
        indexes = [models.Index(fields=["organization"], name="source_record_org_idx")]

    def __str__(self):
        return f"{self.get_source_display()} #{self.record_id}"
