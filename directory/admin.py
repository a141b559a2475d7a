"""The admin site's registrations, found by Django's admin autodiscovery: each domain
keeps its own admin module."""

from directory.contributions import admin as contributions_admin  # noqa: F401
from directory.listings import admin as listings_admin  # noqa: F401
from directory.stewardship import admin as stewardship_admin  # noqa: F401
