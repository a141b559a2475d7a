#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import secrets
import sys

# Commands that only read the code and the migration files: they serve no request and
# sign nothing, so they run without a configured SECRET_KEY (on a fresh checkout, in a
# build step). Every other command with DEBUG off still needs the real one.
KEYLESS_COMMANDS = {"makemigrations", "showmigrations", "sqlmigrate", "collectstatic"}


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "solidarity.settings")
    if len(sys.argv) > 1 and sys.argv[1] in KEYLESS_COMMANDS:
        os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS  # noqa: B018 - load settings now so a bad one stops here
    except ImproperlyConfigured as error:
        # Django's command runner would otherwise carry on without settings.
        sys.exit(f"Configuration error: {error}")
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
