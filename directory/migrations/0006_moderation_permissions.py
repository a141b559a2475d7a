"""Give the "Organizers" group what moderating public contributions needs.

Organizers review the queue of suggestions (view and decide: the change permission),
review and dismiss possible duplicates, see verification requests and the old
addresses that redirect after a merge. Nobody deletes a suggestion: decisions stay
in the record.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODERATION_PERMISSIONS = [
    "view_changerequest",
    "change_changerequest",
    "view_possibleduplicate",
    "change_possibleduplicate",
    "view_verificationrequest",
    "view_slugredirect",
]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Organizers")
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="directory", codename__in=MODERATION_PERMISSIONS
        )
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="Organizers").first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="directory", codename__in=MODERATION_PERMISSIONS
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0005_contributions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
