"""Fast settings for the test suite: same as production apart from speed knobs.

The suite never depends on the caller's environment: a shell that exported DEBUG=1 to
run the development server, or a developer's .env file, must not change what the tests
see. Every variable the settings read is removed, no .env file is read, and the few
values the tests need are set here. Only DATABASE_URL (which database the suite runs
on) comes from outside.
"""

import os
import re
from pathlib import Path

_FROM_CALLER = {"DATABASE_URL"}
# Every upper-case string literal in settings.py: all the variables it reads, and a few
# dictionary keys that are not variables (removing those is harmless).
_SETTINGS_NAMES = set(
    re.findall(r'"([A-Z][A-Z0-9_]+)"', Path(__file__).with_name("settings.py").read_text())
)
for _name in _SETTINGS_NAMES - _FROM_CALLER:
    os.environ.pop(_name, None)
os.environ.update(
    {
        "ENV_FILE": "",
        "DEBUG": "false",
        "SECRET_KEY": "test-secret-key-" + "x7Qp2Lr9Zt4Wm1Nv8Ks3Hd6Fb0Jc5Yg" * 2,
        "ALLOWED_HOSTS": "testserver,localhost,127.0.0.1",
        "SITE_URL": "http://testserver",
        # The test client speaks plain HTTP; tests/test_security.py checks the redirect.
        "SECURE_SSL_REDIRECT": "false",
    }
)

from solidarity.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
GEOCODER = ""
# WhiteNoise looks files up per request instead of scanning a STATIC_ROOT at start-up.
WHITENOISE_AUTOREFRESH = True
# Plain static storage: the hashed manifest exists only after collectstatic, which
# tests/test_static_files.py runs once into a temporary folder.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Contribution forms: no minimum fill time and a generous rate limit, except in the
# tests that check those two (they override them).
CONTRIBUTION_MIN_FILL_SECONDS = 0
CONTRIBUTION_RATE_LIMIT = 1000
# A cache per test process; tests of the database cache and Redis set their own.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
        "OPTIONS": {"MAX_ENTRIES": 500},
    },
    "documents": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "documents",
        "OPTIONS": {"MAX_ENTRIES": 50},
    },
}
# SQLite: a test database in a file rather than shared-cache memory. In shared-cache
# mode a read by the live server thread (browser tests) makes a concurrent flush fail
# at once with "table is locked"; with a file, SQLite waits for the lock instead.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / ".test-db.sqlite3")}  # noqa: F405
