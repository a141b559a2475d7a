"""WSGI entry point (gunicorn solidarity.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "solidarity.settings")

application = get_wsgi_application()
