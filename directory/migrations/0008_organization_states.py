"""Organization.states: the state filter's answer kept on the row (see the model), filled
here for existing listings from their locations and service areas.

On PostgreSQL the public-order index also carries type_id and states (INCLUDE), so a
page or a count filtered by type and state is an index-only scan. SQLite has no
covering indexes; there the index stays as it was.
"""

from django.db import migrations, models
from django.db.models import Case, Exists, OuterRef, Value, When
from django.db.models.functions import Concat, Trim

STATES = ("DC", "MD", "VA")


def fill_states(apps, schema_editor):
    Organization = apps.get_model("directory", "Organization")
    Location = apps.get_model("directory", "Location")
    ServiceArea = Organization.service_area.through
    in_states = [
        Case(
            When(
                Exists(Location.objects.filter(organization=OuterRef("pk"), state=code))
                | Exists(
                    ServiceArea.objects.filter(
                        organization=OuterRef("pk"), jurisdiction__state=code
                    )
                ),
                then=Value(f"{code} "),
            ),
            default=Value(""),
            output_field=models.CharField(),
        )
        for code in STATES
    ]
    Organization.objects.using(schema_editor.connection.alias).update(
        states=Trim(Concat(*in_states, output_field=models.CharField()))
    )


COVERING_INDEX_SQL = """
DROP INDEX IF EXISTS org_status_name_id_idx;
CREATE INDEX org_status_name_id_idx ON directory_organization (status, name, id)
    INCLUDE (type_id, states);
"""
PLAIN_INDEX_SQL = """
DROP INDEX IF EXISTS org_status_name_id_idx;
CREATE INDEX org_status_name_id_idx ON directory_organization (status, name, id);
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0007_organization_order_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="organization",
            name="states",
            field=models.CharField(
                blank=True,
                default="",
                editable=False,
                help_text="State codes of its locations and service area, such as “DC MD”.",
                max_length=20,
                verbose_name="states",
            ),
        ),
        migrations.RunPython(fill_states, migrations.RunPython.noop),
        migrations.RunPython(
            _on_postgresql(COVERING_INDEX_SQL), _on_postgresql(PLAIN_INDEX_SQL)
        ),
    ]
