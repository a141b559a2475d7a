"""The "Organizers" group: exactly what curating listings needs, nothing more.

Organizers add, edit, publish, archive, delete and recover listings and their
locations (history and recovery in django-reversion follow the change and add
permissions), import and export spreadsheets, and read the reference tables. They
cannot edit the reference tables, users or groups.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CURATED_MODELS = ["organization", "location", "sociallink"]
REFERENCE_MODELS = ["organizationtype", "jurisdiction", "language", "sector"]


def organizer_permission_codenames():
    for model in CURATED_MODELS:
        for action in ("add", "change", "delete", "view"):
            yield f"{action}_{model}"
    for model in REFERENCE_MODELS:
        yield f"view_{model}"


def create_group(apps, schema_editor):
    # Permissions are normally created after migrate; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Organizers")
    group.permissions.set(
        Permission.objects.filter(
            content_type__app_label="directory",
            codename__in=list(organizer_permission_codenames()),
        )
    )


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Organizers").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0002_seed_reference_data"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
