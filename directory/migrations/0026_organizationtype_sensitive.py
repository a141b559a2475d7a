"""Kinds of organization whose addresses must be protected (OrganizationType.sensitive):
a new location of such a listing is approximate unless someone chose its precision.

Mutual aid groups are marked, and any type an organizer added whose slug or name speaks
of a shelter. Adding a non-null column makes SQLite rebuild the type table, which the
search triggers read: they are set aside first and put back after
(directory.listings.search_index).
"""

from django.db import migrations, models

from directory.listings import search_index

SENSITIVE_SLUGS = ("mutual-aid",)
SHELTER_WORDS = ("shelter", "refuge", "safe-house", "safe house")


def set_triggers_aside(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite" and search_index.sqlite_index_exists(connection):
        search_index.drop_sqlite_triggers(connection.cursor())


def put_triggers_back(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite" and search_index.sqlite_index_exists(connection):
        search_index.create_sqlite_triggers(connection.cursor())


def mark_sensitive_types(apps, schema_editor):
    OrganizationType = apps.get_model("directory", "OrganizationType")
    for organization_type in OrganizationType.objects.all():
        words = f"{organization_type.slug} {organization_type.name}".lower()
        if organization_type.slug in SENSITIVE_SLUGS or any(
            word in words for word in SHELTER_WORDS
        ):
            organization_type.sensitive = True
            organization_type.save(update_fields=["sensitive"])


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0025_source_records"),
    ]

    operations = [
        migrations.RunPython(set_triggers_aside, put_triggers_back),
        migrations.AddField(
            model_name="organizationtype",
            name="sensitive",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "Groups of this kind often must not show an exact address (mutual aid, "
                    "shelters): a new location without a chosen precision is shown "
                    "approximately."
                ),
                verbose_name="protect addresses",
            ),
        ),
        migrations.RunPython(put_triggers_back, set_triggers_aside),
        migrations.RunPython(mark_sensitive_types, migrations.RunPython.noop),
    ]
