"""Deployment checks of our own, run by `python manage.py check --deploy`."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.caches, deploy=True)
def check_shared_cache(app_configs, **kwargs):
    backend = settings.CACHES["default"]["BACKEND"]
    if backend.endswith(("LocMemCache", "DummyCache")):
        return [
            Warning(
                "The cache is private to each process, so a listing change made through "
                "one gunicorn worker would not refresh cached pages in the others.",
                hint="Set CACHE_URL to a shared cache, e.g. redis://127.0.0.1:6379/1.",
                id="directory.W001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_site_url(app_configs, **kwargs):
    if not settings.SITE_URL.startswith("https://"):
        return [
            Warning(
                "SITE_URL does not start with https://, so links in exports and emails "
                "would send people to an unencrypted address.",
                hint="Set SITE_URL=https://your.domain.",
                id="directory.W002",
            )
        ]
    return []
