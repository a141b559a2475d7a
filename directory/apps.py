from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = _("Directory")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Connect the signals that invalidate cached public data when listings change,
        # and register the deployment checks.
        from directory import caching, checks  # noqa: F401
