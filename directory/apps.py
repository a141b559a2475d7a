from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = _("Directory")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from reversion.signals import post_revision_commit

        from directory.contributions.duplicates import flag_after_import, flag_after_revision
        from directory.core import checks  # noqa: F401 (deployment checks)
        from directory.listings import signals

        # Every saved revision (admin, import, suggestion, approval) checks its listings
        # for likely duplicates.
        post_revision_commit.connect(flag_after_revision, dispatch_uid="directory-duplicates")
        # An import job holds those checks while it writes and checks its file at the end.
        signals.import_written.connect(
            flag_after_import, dispatch_uid="directory-import-duplicates"
        )
