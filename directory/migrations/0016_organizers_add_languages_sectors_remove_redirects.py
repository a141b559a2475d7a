"""Organizers add the languages and sectors a listing needs, and remove an old-address
redirect that a wrong merge left behind (issue 11)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMISSIONS = ["add_language", "change_language", "add_sector", "change_sector", "delete_slugredirect"]


def _permissions(apps):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(content_type__app_label="directory", codename__in=PERMISSIONS)


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    group, _ = Group.objects.get_or_create(name="Organizers")
    group.permissions.add(*_permissions(apps))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name="Organizers").first()
    if group is not None:
        group.permissions.remove(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [("directory", "0015_slug_redirects_outlive_deletion")]

    operations = [migrations.RunPython(grant, revoke)]
