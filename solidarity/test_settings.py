"""Fast settings for the test suite: same as production apart from speed knobs."""

import os

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "test-secret-key-" + "x7Qp2Lr9Zt4Wm1Nv8Ks3Hd6Fb0Jc5Yg" * 2)
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SITE_URL", "http://testserver")
# The test client speaks plain HTTP; tests/test_security.py checks the HTTPS redirect.
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")

from solidarity.settings import *  # noqa: F403

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
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20  # noqa: F405
