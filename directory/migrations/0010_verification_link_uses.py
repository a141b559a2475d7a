"""A verification link works once for "still accurate" and once for an edit: when each
was used is kept on the request. Links answered before this migration count as used
for the answer they gave.
"""

from django.db import migrations, models
from django.db.models import F


def mark_answered_links_used(apps, schema_editor):
    VerificationRequest = apps.get_model("directory", "VerificationRequest")
    requests = VerificationRequest.objects.using(schema_editor.connection.alias)
    requests.filter(answer="confirmed").update(confirmed_at=F("answered_at"))
    requests.filter(answer="edit").update(edit_sent_at=F("answered_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0009_rate_limit_counters"),
    ]

    operations = [
        migrations.AddField(
            model_name="verificationrequest",
            name="confirmed_at",
            field=models.DateTimeField(
                blank=True,
                help_text='When the link\'s "still accurate" button was used (it works once).',
                null=True,
                verbose_name="confirmed still accurate",
            ),
        ),
        migrations.AddField(
            model_name="verificationrequest",
            name="edit_sent_at",
            field=models.DateTimeField(
                blank=True,
                help_text="When an edit was sent through the link (it works once).",
                null=True,
                verbose_name="edit sent",
            ),
        ),
        migrations.RunPython(mark_answered_links_used, migrations.RunPython.noop),
    ]
