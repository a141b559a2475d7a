"""What the data migrations seed (types, jurisdictions, the Organizers group), put back
for tests that commit for real: the database is emptied after each of them."""

import importlib


def seed_reference_data() -> None:
    from django.apps import apps
    from django.contrib.auth.models import Group, Permission

    seed = importlib.import_module("directory.migrations.0002_seed_reference_data")
    organizers = importlib.import_module("directory.migrations.0003_organizers_group")
    moderation = importlib.import_module("directory.migrations.0006_moderation_permissions")
    markers = importlib.import_module("directory.migrations.0013_type_markers")
    essglobal = importlib.import_module("directory.migrations.0018_essglobal_terms")
    translations = importlib.import_module("directory.migrations.0021_translate_reference_data")
    seed.seed(apps, None)
    markers.apply_markers(apps, None)
    essglobal.map_terms(apps)
    translations.fill_english(apps, None)
    translations.translate_reference_data(apps, None)
    group, _ = Group.objects.get_or_create(name="Organizers")
    group.permissions.set(
        Permission.objects.filter(
            content_type__app_label="directory",
            codename__in=[
                *organizers.organizer_permission_codenames(),
                *moderation.MODERATION_PERMISSIONS,
            ],
        )
    )
